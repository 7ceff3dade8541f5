-- Adds program records to families. KEYS: the bucket's token table (token-table.lua: members are
-- stored short, given and answered long) first, then the keys named by index in ARGV (the
-- bucket's fam hashes, seen bitmaps, member lists). ARGV[1]: a blob (blob.lua) of the number of families, then
-- per family: family,
-- index of its fam hash, index of its list key, k members, then per member: index of its seen
-- bitmap, row, member (its program's one-letter code, then its order token: order-token.ts).
-- The hash value is `count U+001F members` (every member, arrival order, concatenated) while
-- there are at most INLINE, then `count U+001E firsts` (per program, in the order programs joined,
-- its first member by order) with every member in the list: a family of a few records costs no key
-- of its own, one repeated 20 000 times one RPUSH per member.
-- Returns per family: family, count, n, the n program codes, m, the m codes of programs whose
-- first member is of this call, a, then a members: every member when m > 0.
local INLINE = 16
local out, args, tt = {}, blob_reader(ARGV[1]), token_table(KEYS[1])
for _ = 1, args.int() do
  local family, hash, list, k = args.str(), KEYS[args.int()], KEYS[args.int()], args.int()
  local cur = redis.call('HGET', hash, family)
  local count, firsts, programs, inline = 0, {}, {}, {}
  local function consider(m)
    local code = string.sub(m, 1, 1)
    local f = firsts[code]
    if not f then
      programs[#programs + 1] = code
      firsts[code] = m
    elseif less(m, f) then
      firsts[code] = m
    end
  end
  if cur then
    local a = string.find(cur, '[\30\31]')
    count = tonumber(string.sub(cur, 1, a - 1))
    local stored = tt.all(tokens(string.sub(cur, a + 1)), tt.long, 1)
    if string.byte(cur, a) == 31 then inline = stored else inline = nil end
    for _, m in ipairs(stored) do consider(m) end
  end
  local own, changed = {}, false
  for _ = 1, k do
    local seen, row, m = KEYS[args.int()], args.int(), args.str()
    own[m] = true
    if redis.call('SETBIT', seen, row, 1) == 0 then
      if inline and count < INLINE then
        inline[#inline + 1] = m
      else
        if inline then
          redis.call('RPUSH', list, unpack(tt.all(inline, tt.short, 1)))
          inline = nil
        end
        redis.call('RPUSH', list, tt.short(m, 1))
      end
      consider(m)
      count = count + 1
      changed = true
    end
  end
  if changed then
    if inline then
      redis.call('HSET', hash, family, count .. '\31' .. table.concat(tt.all(inline, tt.short, 1)))
    else
      local value = {}
      for _, code in ipairs(programs) do value[#value + 1] = tt.short(firsts[code], 1) end
      redis.call('HSET', hash, family, count .. '\30' .. table.concat(value))
    end
  end
  out[#out + 1] = family
  out[#out + 1] = count
  out[#out + 1] = #programs
  local firstOf = {}
  for _, code in ipairs(programs) do
    out[#out + 1] = code
    if own[firsts[code]] then firstOf[#firstOf + 1] = code end
  end
  out[#out + 1] = #firstOf
  for _, code in ipairs(firstOf) do out[#out + 1] = code end
  if #firstOf == 0 then
    out[#out + 1] = 0
  else
    local all = inline or tt.all(redis.call('LRANGE', list, 0, -1), tt.long, 1)
    out[#out + 1] = #all
    for _, m in ipairs(all) do out[#out + 1] = m end
  end
end
return out
