-- Writes fields of many small hashes of one bucket in one call. KEYS: the hashes. ARGV[1]: a blob
-- (blob.lua) of the number of fields, then per field: index of its hash, field, value. Returns the
-- number of fields written.
local args = blob_reader(ARGV[1])
local n = args.int()
for _ = 1, n do
  local hash = KEYS[args.int()]
  local field = args.str()
  redis.call('HSET', hash, field, args.str())
end
return n
