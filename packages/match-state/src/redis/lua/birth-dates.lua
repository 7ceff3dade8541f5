-- Reads the birth-date index. KEYS: the bucket's bd hashes and overflow sets. ARGV: triples of
-- index of the bd hash, index of the date's overflow set, the date's field. Returns per date the
-- packed NIKs concatenated ('' when none), see add-birth-dates.lua.
local out = {}
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i + 2])
  if not cur then
    out[#out + 1] = ''
  elseif string.sub(cur, 1, 1) == 'o' then
    out[#out + 1] = table.concat(redis.call('SMEMBERS', KEYS[tonumber(ARGV[i + 1])]))
  else
    out[#out + 1] = string.sub(cur, 2)
  end
end
return out
