-- Adds DTKS rows of one bucket, NIK by NIK. KEYS: the keys named by index in ARGV (the bucket's
-- dtks and dtks:n hashes, member lists, row sets).
-- ARGV[1]: a blob (blob.lua) of the number of NIKs, then per NIK: nik, the value it is expected to have (compare-and-set:
-- '' when absent), the new value computed from it ('': the first row's packed person, the value of
-- a new NIK of one row, not sent twice), flags (1: the new detail is D, 2: the old detail is D), index of its
-- member list key, index of its dtks hash, index of its dtks:n hash, index of its row set, k rows,
-- then per row: its identity (file id * 2^32 + row), packed person.
-- A row the NIK already holds is a redelivery and changes nothing: a NIK of one row compares the
-- row's identity with the stored person's (row_identity); a NIK of several rows keeps its rows'
-- identities in its row set (integers: an intset), whose SADD tells. No per-file bitmap: one per
-- bucket was as long as the file, 2.7 B per DTKS row. A NIK whose value is
-- not the one expected is left alone and answered 'retry' and its value ('' when absent): the
-- caller computes again from it. Returns per NIK: nik, 'ok' or 'retry', then for 'retry' the
-- value, for 'ok': rows after, rows before, redelivered (0/1),
-- the first row by arrival (packed), the number of members returned, the members (packed, arrival
-- order) — all of them only when the detail became DIFFERENT_PERSON here or was already and the
-- call is a redelivery. The birth-date and No. KK indexes are written apart (other buckets), with
-- set semantics.
-- The identity (file id * 2^32 + row) of a packed person (person-bytes.ts: a flags byte, the file
-- id as a varint when FILE_ID (32) is set, which it always is in Redis, then the row as a varint).
local function row_identity(packed)
  if string.byte(packed, 1) % 64 < 32 then error('padan add-dtks: a stored DTKS person has no file id; the state is inconsistent: rebuild it') end
  local file_id, at = read_varint(packed, 2)
  local row = read_varint(packed, at)
  return file_id * 4294967296 + row
end
local function member(identity) return string.format('%.0f', identity) end
local out, args = {}, blob_reader(ARGV[1])
for _ = 1, args.int() do
  local nik, expected, value = args.str(), args.str(), args.str()
  local flags = args.int()
  local newD, oldD = flags % 2 == 1, flags >= 2
  local members, hash, counts, rowSet, k = KEYS[args.int()], KEYS[args.int()], KEYS[args.int()], KEYS[args.int()], args.int()
  local cur = redis.call('HGET', hash, nik)
  -- Every row is read, whatever happens: the next NIK's items follow them.
  local rows = {}
  for j = 1, k do rows[j] = { args.int(), args.str() } end
  if value == '' then value = rows[1][2] end
  if (cur or '') ~= expected then
    out[#out + 1] = nik
    out[#out + 1] = 'retry'
    out[#out + 1] = cur or ''
  else
    local n = 0
    if cur then n = tonumber(redis.call('HGET', counts, nik) or '1') end
    local before, redelivered, single = n, 0, cur
    local singleId = nil
    if n == 1 then singleId = row_identity(cur) end
    for j = 1, k do
      local id, packed = rows[j][1], rows[j][2]
      local new
      if n == 0 then
        new, singleId = true, id
      elseif n == 1 then
        new = id ~= singleId
        if new then redis.call('SADD', rowSet, member(singleId), member(id)) end
      else
        new = redis.call('SADD', rowSet, member(id)) == 1
      end
      if not new then
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
