-- Adds occurrences of valid NIKs in programs. KEYS: the keys named by index in ARGV (the bucket's
-- occ hashes, seen bitmaps, occurrence lists). ARGV: the number of fields, then per field
-- (program|nik): field, index of its occ hash, index of its list key, k occurrences, then per occurrence: index of its seen bitmap, row, token (file F row),
-- order token. The hash value is `count F order F token` of the first occurrence; the list holds
-- every token in arrival order once there are two.
-- Returns per field: field, count, the first's token, n, then n tokens: every occurrence when an
-- occurrence of this call is the first and there are others, else none.
local out, i = {}, 2
for _ = 1, tonumber(ARGV[1]) do
  local field, hash, list, k = ARGV[i], KEYS[tonumber(ARGV[i + 1])], KEYS[tonumber(ARGV[i + 2])], tonumber(ARGV[i + 3])
  i = i + 4
  local cur = redis.call('HGET', hash, field)
  local count, ord, token = 0, nil, nil
  if cur then
    local a = string.find(cur, '\31', 1, true)
    local b = string.find(cur, '\31', a + 1, true)
    count, ord, token = tonumber(string.sub(cur, 1, a - 1)), string.sub(cur, a + 1, b - 1), string.sub(cur, b + 1)
  end
  local own, changed = {}, false
  for _ = 1, k do
    local seen, row, tok, o = KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    i = i + 4
    own[tok] = true
    if redis.call('SETBIT', seen, row, 1) == 0 then
      if count == 1 then redis.call('RPUSH', list, token) end
      if count >= 1 then redis.call('RPUSH', list, tok) end
      if count == 0 or less(o, ord) then
        ord, token = o, tok
      end
      count = count + 1
      changed = true
    end
  end
  if changed then redis.call('HSET', hash, field, count .. '\31' .. ord .. '\31' .. token) end
  out[#out + 1] = field
  out[#out + 1] = count
  out[#out + 1] = token
  if own[token] and count > 1 then
    local all = redis.call('LRANGE', list, 0, -1)
    out[#out + 1] = #all
    for _, t in ipairs(all) do out[#out + 1] = t end
  else
    out[#out + 1] = 0
  end
end
return out
