-- Adds DTKS rows of one bucket, NIK by NIK. KEYS: the keys named by index in ARGV (the bucket's
-- dtks and dtks:n hashes, seen bitmaps, member lists).
-- ARGV: the number of NIKs, then per NIK: nik, the value it is expected to have (compare-and-set:
-- '' when absent), the new value computed from it ('': the first row's packed person, the value of
-- a new NIK of one row, not sent twice), new detail is D ('1'/''), old detail is D, index of its
-- member list key, index of its dtks hash, index of its dtks:n hash, k rows, then per row: index
-- of its seen bitmap, row, packed person.
-- A row whose seen bit is already set is a redelivery and changes nothing. A NIK whose value
-- that is not the one expected is left alone and answered 'retry' and its value ('' when absent):
-- the caller computes again from it. Returns per NIK: nik, 'ok' or 'retry', then for 'retry' the
-- value, for 'ok': rows after, rows before, redelivered (0/1),
-- the first row by arrival (packed), the number of members returned, the members (packed, arrival
-- order) — all of them only when the detail became DIFFERENT_PERSON here or was already and the
-- call is a redelivery. The birth-date and No. KK indexes are written apart (other buckets), with
-- set semantics.
local out, i = {}, 2
for _ = 1, tonumber(ARGV[1]) do
  local nik, expected, value, newD, oldD = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3] == '1', ARGV[i + 4] == '1'
  local members, hash, counts, k = KEYS[tonumber(ARGV[i + 5])], KEYS[tonumber(ARGV[i + 6])], KEYS[tonumber(ARGV[i + 7])], tonumber(ARGV[i + 8])
  i = i + 9
  local cur = redis.call('HGET', hash, nik)
  if (cur or '') ~= expected then
    out[#out + 1] = nik
    out[#out + 1] = 'retry'
    out[#out + 1] = cur or ''
    i = i + 3 * k
  else
    if value == '' then value = ARGV[i + 2] end
    local n = 0
    if cur then n = tonumber(redis.call('HGET', counts, nik) or '1') end
    local before, redelivered, single = n, 0, cur
    for _ = 1, k do
      local seen, row, packed = KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2]
      if redis.call('SETBIT', seen, row, 1) == 1 then
        redelivered = 1
      else
        if n == 0 then
          single = packed
        else
          if n == 1 then redis.call('RPUSH', members, single) end
          redis.call('RPUSH', members, packed)
        end
        n = n + 1
      end
      i = i + 3
    end
    if n > before then
      redis.call('HSET', hash, nik, value)
      if n > 1 then redis.call('HSET', counts, nik, n) end
    end
    local first = single
    if n > 1 then first = redis.call('LINDEX', members, 0) end
    out[#out + 1] = nik
    out[#out + 1] = 'ok'
    out[#out + 1] = n
    out[#out + 1] = before
    out[#out + 1] = redelivered
    out[#out + 1] = first
    if n > 1 and newD and ((not oldD) or redelivered == 1) then
      local all = redis.call('LRANGE', members, 0, -1)
      out[#out + 1] = #all
      for _, m in ipairs(all) do out[#out + 1] = m end
    else
      out[#out + 1] = 0
    end
  end
end
return out
