-- KEYS[1]: a bitmap. ARGV: bit offsets to set. Returns the number of bits set.
for i = 1, #ARGV do redis.call('SETBIT', KEYS[1], ARGV[i], 1) end
return redis.call('BITCOUNT', KEYS[1])
