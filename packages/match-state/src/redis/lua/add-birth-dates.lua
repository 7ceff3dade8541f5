-- Adds DTKS persons to the birth-date index (set semantics). KEYS: the bucket's bd hashes and
-- overflow sets. ARGV[1]: a blob (blob.lua) of the number of persons, then per person: index of
-- the bd hash, index of the date's overflow set, the date's field, the NIK packed (7 bytes,
-- nik-bytes.ts).
-- The field's value is `i` and the packed NIKs concatenated while there are at most INLINE (a
-- date has ~10 persons in a province: no key of its own), then `o` with every NIK in the set: a
-- date shared by thousands (a default date) costs one SADD per person, never a rewrite. The set's
-- members are the NIKs' integers in decimal (nik_number), so Redis keeps the set an intset, 8 bytes
-- a member, up to set-max-intset-entries (512): a set of 7-byte strings is a hash table of ~50
-- bytes a member, which cost 15 B per DTKS row at Jambi scale (3 255 dates past 64 persons).
local INLINE, W = 64, 7
local args = blob_reader(ARGV[1])
local n = args.int()
for _ = 1, n do
  local hash, set = KEYS[args.int()], KEYS[args.int()]
  local field = args.str()
  local nik = args.str()
  local cur = redis.call('HGET', hash, field)
  if not cur then
    redis.call('HSET', hash, field, 'i' .. nik)
  elseif string.sub(cur, 1, 1) == 'o' then
    redis.call('SADD', set, nik_number(nik))
  else
    local found = false
    for at = 2, #cur, W do
      if string.sub(cur, at, at + W - 1) == nik then
        found = true
        break
      end
    end
    if not found then
      if (#cur - 1) / W < INLINE then
        redis.call('HSET', hash, field, cur .. nik)
      else
        for at = 2, #cur, W do redis.call('SADD', set, nik_number(string.sub(cur, at, at + W - 1))) end
        redis.call('SADD', set, nik_number(nik))
        redis.call('HSET', hash, field, 'o')
      end
    end
  end
end
return n
