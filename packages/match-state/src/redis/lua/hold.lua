-- KEYS: held, held:data. ARGV: id, JSON. Holds the batch unless a batch with that id is held.
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[1]) end
return 1
