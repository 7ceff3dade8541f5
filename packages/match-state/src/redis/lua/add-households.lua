-- Adds DTKS households to No. KKs (set semantics). KEYS: the bucket's kk hashes (No. KK → household
-- entries, household-list.ts: each a varint byte length and the packed id). ARGV[1]: a blob
-- (blob.lua) of the number of pairs, then per pair: index of the kk hash, No. KK, the household's
-- entry. An entry the value already holds (the same bytes: one household) is not added again.
local function holds(value, entry)
  local at = 1
  while at <= #value do
    local start = at
    local len
    len, at = read_varint(value, at)
    if string.sub(value, start, at + len - 1) == entry then return true end
    at = at + len
  end
  return false
end
local args = blob_reader(ARGV[1])
local n = args.int()
for _ = 1, n do
  local key = KEYS[args.int()]
  local kk = args.str()
  local entry = args.str()
  local hh = redis.call('HGET', key, kk)
  if not hh then
    redis.call('HSET', key, kk, entry)
  elseif not holds(hh, entry) then
    redis.call('HSET', key, kk, hh .. entry)
  end
end
return n
