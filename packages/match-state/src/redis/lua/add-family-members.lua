-- Adds program records to families. KEYS: the keys named by index in ARGV (the bucket's fam
-- hashes, seen bitmaps, member lists). ARGV: the number of families, then per family: family,
-- index of its fam hash, index of its list key, k members,
-- then per member: index of its seen bitmap, row, program, order token, record key. The hash value
-- is `count`, then per program `L program F order F key` of its first member; the list holds every
-- member (`program F key`) in arrival order once there are two.
-- Returns per family: family, count, n, n programs, m, the m programs of this call's members that
-- are first of their program, a, then a members (`program F key`): every member when m > 0.
local out, i = {}, 2
for _ = 1, tonumber(ARGV[1]) do
  local family, hash, list, k = ARGV[i], KEYS[tonumber(ARGV[i + 1])], KEYS[tonumber(ARGV[i + 2])], tonumber(ARGV[i + 3])
  i = i + 4
  local cur = redis.call('HGET', hash, family)
  local count, firsts, programs = 0, {}, {}
  if cur then
    local parts = {}
    for part in string.gmatch(cur, '[^\30]+') do parts[#parts + 1] = part end
    count = tonumber(parts[1])
    for j = 2, #parts do
      local a = string.find(parts[j], '\31', 1, true)
      local b = string.find(parts[j], '\31', a + 1, true)
      local program = string.sub(parts[j], 1, a - 1)
      firsts[program] = { ord = string.sub(parts[j], a + 1, b - 1), key = string.sub(parts[j], b + 1) }
      programs[#programs + 1] = program
    end
  end
  local own, changed = {}, false
  for _ = 1, k do
    local seen, row, program, o, key = KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
    i = i + 5
    own[key] = true
    if redis.call('SETBIT', seen, row, 1) == 0 then
      if count == 1 then
        local only = programs[1]
        redis.call('RPUSH', list, only .. '\31' .. firsts[only].key)
      end
      if count >= 1 then redis.call('RPUSH', list, program .. '\31' .. key) end
      local f = firsts[program]
      if not f then
        programs[#programs + 1] = program
        firsts[program] = { ord = o, key = key }
      elseif less(o, f.ord) then
        firsts[program] = { ord = o, key = key }
      end
      count = count + 1
      changed = true
    end
  end
  if changed then
    local value = tostring(count)
    for _, program in ipairs(programs) do value = value .. '\30' .. program .. '\31' .. firsts[program].ord .. '\31' .. firsts[program].key end
    redis.call('HSET', hash, family, value)
  end
  out[#out + 1] = family
  out[#out + 1] = count
  out[#out + 1] = #programs
  local firstOf = {}
  for _, program in ipairs(programs) do
    out[#out + 1] = program
    if own[firsts[program].key] then firstOf[#firstOf + 1] = program end
  end
  out[#out + 1] = #firstOf
  for _, program in ipairs(firstOf) do out[#out + 1] = program end
  if #firstOf == 0 then
    out[#out + 1] = 0
  elseif count == 1 then
    out[#out + 1] = 1
    out[#out + 1] = programs[1] .. '\31' .. firsts[programs[1]].key
  else
    local all = redis.call('LRANGE', list, 0, -1)
    out[#out + 1] = #all
    for _, m in ipairs(all) do out[#out + 1] = m end
  end
end
return out
