-- Writes fields of many small hashes of one bucket in one call. KEYS: the hashes. ARGV: triples
-- of index of the hash, field, value. Returns the number of fields written.
for i = 1, #ARGV, 3 do
  redis.call('HSET', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
end
return #ARGV / 3
