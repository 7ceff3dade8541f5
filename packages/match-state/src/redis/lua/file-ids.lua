-- The short ids of DTKS file names, assigned once per release. KEYS[1]: the release's files hash
-- (`n:<name>` → id, `i:<id>` → name, `#` → last id). ARGV: file names. Returns their ids, in order.
local out = {}
for i = 1, #ARGV do
  local id = redis.call('HGET', KEYS[1], 'n:' .. ARGV[i])
  if not id then
    id = tostring(redis.call('HINCRBY', KEYS[1], '#', 1))
    redis.call('HSET', KEYS[1], 'n:' .. ARGV[i], id, 'i:' .. id, ARGV[i])
  end
  out[#out + 1] = id
end
return out
