-- Adds occurrences of valid NIKs in programs. KEYS: the bucket's token table (token-table.lua:
-- tokens are stored short, given and answered long) first, then the keys named by index in ARGV
-- (the bucket's occ hashes, seen bitmaps, occurrence lists). ARGV[1]: a blob (blob.lua) of the number of
-- fields, then per field
-- (program|nik): field, index of its occ hash, index of its list key, k occurrences, then per
-- occurrence: index of its seen bitmap, row, order token (order-token.ts).
-- The hash value is `count U+001F tokens` (every occurrence, arrival order, concatenated) while
-- there are at most INLINE, then `count U+001E first` (the first by order) with every token in the
-- list: nearly every NIK occurs once or twice and costs no key of its own, while one NIK repeated
-- 20 000 times costs one RPUSH per occurrence, never a rewrite of a growing value.
-- Returns per field, in the order given (the field is binary: occurrence-field.ts, not echoed):
-- count, the first's token, n, then n tokens: every occurrence when an occurrence of this call is
-- the first and there are others, else none.
local INLINE = 8
local out, args, tt = {}, blob_reader(ARGV[1]), token_table(KEYS[1])
for _ = 1, args.int() do
  local field, hash, list, k = args.str(), KEYS[args.int()], KEYS[args.int()], args.int()
  local cur = redis.call('HGET', hash, field)
  local count, first, inline = 0, nil, {}
  if cur then
    local a = string.find(cur, '[\30\31]')
    count = tonumber(string.sub(cur, 1, a - 1))
    if string.byte(cur, a) == 31 then
      inline = tt.all(tokens(string.sub(cur, a + 1)), tt.long, 0)
      for _, t in ipairs(inline) do
        if first == nil or less(t, first) then first = t end
      end
    else
      inline, first = nil, tt.long(string.sub(cur, a + 1), 0)
    end
  end
  local own, changed = {}, false
  for _ = 1, k do
    local seen, row, tok = KEYS[args.int()], args.int(), args.str()
    own[tok] = true
    if redis.call('SETBIT', seen, row, 1) == 0 then
      if inline and count < INLINE then
        inline[#inline + 1] = tok
      else
        if inline then
          redis.call('RPUSH', list, unpack(tt.all(inline, tt.short, 0)))
          inline = nil
        end
        redis.call('RPUSH', list, tt.short(tok, 0))
      end
      if first == nil or less(tok, first) then first = tok end
      count = count + 1
      changed = true
    end
  end
  if changed then
    if inline then
      redis.call('HSET', hash, field, count .. '\31' .. table.concat(tt.all(inline, tt.short, 0)))
    else
      redis.call('HSET', hash, field, count .. '\30' .. tt.short(first, 0))
    end
  end
  out[#out + 1] = count
  out[#out + 1] = first
  if own[first] and count > 1 then
    local all = inline or tt.all(redis.call('LRANGE', list, 0, -1), tt.long, 0)
    out[#out + 1] = #all
    for _, t in ipairs(all) do out[#out + 1] = t end
  else
    out[#out + 1] = 0
  end
end
return out
