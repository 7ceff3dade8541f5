-- KEYS[1]: a bitmap. ARGV[1] (optional): a blob (blob.lua) of the number of bits to set, then the
-- bits. Returns the number of bits set.
if ARGV[1] then
  local args = blob_reader(ARGV[1])
  for _ = 1, args.int() do redis.call('SETBIT', KEYS[1], args.int(), 1) end
end
return redis.call('BITCOUNT', KEYS[1])
