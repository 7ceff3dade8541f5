-- KEYS: held, held:data. ARGV: from, to (list indexes). Returns id, JSON, id, JSON, … oldest first; removes nothing.
local ids = redis.call('LRANGE', KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then table.insert(out, id); table.insert(out, json) end
end
return out
