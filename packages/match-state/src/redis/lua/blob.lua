-- Reads the items of a script call from one binary argument (blob-writer.ts: varints, 7 bits a
-- byte, low bits first; strings as their length and bytes): one argument per call instead of a
-- dozen per item, which the client would otherwise format and the server parse one by one.
-- The varint of `s` at byte `at`: its value and the byte after it. Also used on packed values
-- (a stored person's file id and row, a household list's lengths), which use the same varints.
local function read_varint(s, at)
  local n, scale = 0, 1
  while true do
    local b = string.byte(s, at)
    at = at + 1
    if b < 128 then return n + b * scale, at end
    n = n + (b - 128) * scale
    scale = scale * 128
  end
end

local function blob_reader(blob)
  local at = 1
  local r = {}
  function r.int()
    local n
    n, at = read_varint(blob, at)
    return n
  end
  function r.str()
    local len = r.int()
    local s = string.sub(blob, at, at + len - 1)
    at = at + len
    return s
  end
  return r
end
