-- Adds DTKS households to No. KKs (set semantics). KEYS[1]: a kk hash (No. KK → household ids
-- joined by U+001E). ARGV: pairs of No. KK, household id.
for i = 1, #ARGV, 2 do
  local kk, id = ARGV[i], ARGV[i + 1]
  local hh = redis.call('HGET', KEYS[1], kk)
  if not hh then
    redis.call('HSET', KEYS[1], kk, id)
  elseif not string.find('\30' .. hh .. '\30', '\30' .. id .. '\30', 1, true) then
    redis.call('HSET', KEYS[1], kk, hh .. '\30' .. id)
  end
end
return #ARGV / 2
