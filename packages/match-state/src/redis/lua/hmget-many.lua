-- Reads fields of many small hashes of one bucket in one call (one HMGET per hash would be a
-- command per record). KEYS: the hashes. ARGV[1]: a blob (blob.lua) of the number of fields, then
-- per field: index of its hash, the field. Returns the values in the order asked; nil where the
-- field is absent.
local out, args = {}, blob_reader(ARGV[1])
for i = 1, args.int() do
  local hash = KEYS[args.int()]
  out[i] = redis.call('HGET', hash, args.str())
end
return out
