-- Adds DTKS households to No. KKs (set semantics). KEYS: the bucket's kk hashes (No. KK → household
-- ids joined by U+001E). ARGV[1]: a blob (blob.lua) of the number of pairs, then per pair: index
-- of the kk hash, No. KK, household id.
local args = blob_reader(ARGV[1])
local n = args.int()
for _ = 1, n do
  local key = KEYS[args.int()]
  local kk = args.str()
  local id = args.str()
  local hh = redis.call('HGET', key, kk)
  if not hh then
    redis.call('HSET', key, kk, id)
  elseif not string.find('\30' .. hh .. '\30', '\30' .. id .. '\30', 1, true) then
    redis.call('HSET', key, kk, hh .. '\30' .. id)
  end
end
return n
