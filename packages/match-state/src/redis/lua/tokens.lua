-- Splits concatenated order tokens (order-token.ts: the file's bytes, 0x00, 6 row bytes; a family
-- member has a one-letter program code first), which need no separator: each ends 6 bytes after
-- its 0x00.
local function tokens(s)
  local out, at = {}, 1
  while at <= #s do
    local z = string.find(s, '\0', at, true)
    out[#out + 1] = string.sub(s, at, z + 6)
    at = z + 7
  end
  return out
end
