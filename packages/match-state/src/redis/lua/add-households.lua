-- Adds DTKS households to No. KKs (set semantics). KEYS: the bucket's kk hashes (No. KK → household
-- ids joined by U+001E). ARGV: triples of index of the kk hash, No. KK, household id.
for i = 1, #ARGV, 3 do
  local key, kk, id = KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2]
  local hh = redis.call('HGET', key, kk)
  if not hh then
    redis.call('HSET', key, kk, id)
  elseif not string.find('\30' .. hh .. '\30', '\30' .. id .. '\30', 1, true) then
    redis.call('HSET', key, kk, hh .. '\30' .. id)
  end
end
return #ARGV / 3
