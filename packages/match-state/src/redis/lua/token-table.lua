-- Order tokens (order-token.ts: the file's bytes, 0x00, 6 row bytes; a family member has its
-- program's letter first) are stored with the file as its id in the bucket's token table (KEY:
-- `n<file>` → id, `i<id>` → file, `#` → last id), so an occurrence costs 8 bytes, not the 16 of
-- `pbi-2021-09.csv` more. The id's decimal digits hold no 0x00, so stored tokens split as the long
-- ones do (tokens.lua). Scripts compare and answer long tokens (byte order is compareByFileRow's)
-- and store short ones: `short` on the way in, `long` on the way out.
local function token_table(key)
  local ids, files, t = {}, {}, {}
  function t.short(tok, skip)
    local z = string.find(tok, '\0', skip + 1, true)
    local file = string.sub(tok, skip + 1, z - 1)
    local id = ids[file]
    if not id then
      id = redis.call('HGET', key, 'n' .. file)
      if not id then
        id = tostring(redis.call('HINCRBY', key, '#', 1))
        redis.call('HSET', key, 'n' .. file, id, 'i' .. id, file)
      end
      ids[file], files[id] = id, file
    end
    return string.sub(tok, 1, skip) .. id .. string.sub(tok, z)
  end
  function t.long(tok, skip)
    local z = string.find(tok, '\0', skip + 1, true)
    local id = string.sub(tok, skip + 1, z - 1)
    local file = files[id]
    if not file then
      file = redis.call('HGET', key, 'i' .. id)
      if not file then error('padan match state: a stored order token names a file id its bucket does not have (the state is inconsistent: rebuild it)') end
      ids[file], files[id] = id, file
    end
    return string.sub(tok, 1, skip) .. file .. string.sub(tok, z)
  end
  -- Every token of a list in the other form.
  function t.all(list, f, skip)
    local out = {}
    for i, tok in ipairs(list) do out[i] = f(tok, skip) end
    return out
  end
  -- A stored value (`count U+001F tokens` or `count U+001E tokens`, see the add scripts) with
  -- long tokens.
  function t.long_value(v, skip)
    local a = string.find(v, '[\30\31]')
    return string.sub(v, 1, a) .. table.concat(t.all(tokens(string.sub(v, a + 1)), t.long, skip))
  end
  return t
end
