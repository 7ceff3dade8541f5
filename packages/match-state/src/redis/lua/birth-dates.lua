-- Reads the birth-date index. KEYS: the bucket's bd hashes and overflow sets. ARGV[1]: a blob
-- (blob.lua) of the number of dates, then per date: index of the bd hash, index of the date's
-- overflow set, the date's field. Returns per date '' when none, else the stored value (`i` and
-- the packed NIKs) while inline, or `o` and the set's members (decimal integers) joined by `,`
-- (see add-birth-dates.lua; nik-bytes.ts reads both).
local out, args = {}, blob_reader(ARGV[1])
for _ = 1, args.int() do
  local hash, set = KEYS[args.int()], KEYS[args.int()]
  local cur = redis.call('HGET', hash, args.str())
  if not cur then
    out[#out + 1] = ''
  elseif string.sub(cur, 1, 1) == 'o' then
    out[#out + 1] = 'o' .. table.concat(redis.call('SMEMBERS', set), ',')
  else
    out[#out + 1] = cur
  end
end
return out
