-- A packed NIK (7 bytes big-endian, nik-bytes.ts) as the decimal of its integer, without leading
-- zeros: the form Redis keeps in an intset (8 bytes a member). Lua's numbers are doubles (exact
-- below 2^53) and the NIK needs 56 bits, so it is split: hi (24 bits) * 2^32 + lo (32 bits), with
-- 2^32 = 42 * 10^8 + 94967296, gives the two 8-digit halves exactly.
local function nik_number(packed)
  local b1, b2, b3, b4, b5, b6, b7 = string.byte(packed, 1, 7)
  local hi = (b1 * 256 + b2) * 256 + b3
  local lo = ((b4 * 256 + b5) * 256 + b6) * 256 + b7
  local low = hi * 94967296 + lo
  local rest = low % 100000000
  local high = hi * 42 + (low - rest) / 100000000
  if high == 0 then return string.format('%d', rest) end
  return string.format('%d%08d', high, rest)
end
