-- Byte order of two strings, whatever the server's locale (Lua's `<` uses strcoll). The order
-- tokens compared here (see orderToken) are built so that byte order is compareByFileRow's order.
local function less(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
