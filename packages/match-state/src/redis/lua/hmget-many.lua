-- Reads fields of many small hashes of one bucket in one call (one HMGET per hash would be a
-- command per record). KEYS: the hashes. ARGV: pairs of index of the hash, field.
-- Returns the values in the order asked; nil where the field is absent.
local out = {}
for i = 1, #ARGV, 2 do
  out[#out + 1] = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i + 1])
end
return out
