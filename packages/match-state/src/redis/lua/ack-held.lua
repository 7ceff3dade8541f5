-- KEYS: held, held:data. ARGV: ids. Forgets the batches (acknowledged after their results were published).
for i = 1, #ARGV do
  redis.call('LREM', KEYS[1], 0, ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return #ARGV
