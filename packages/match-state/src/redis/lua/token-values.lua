-- Reads occurrence or family values (add-occurrences.lua, add-family-members.lua) with their
-- tokens long (token-table.lua). KEYS: the bucket's token table first, then the hashes. ARGV[1]:
-- a blob (blob.lua) of the bytes before each token (0 for occurrences, 1 for family members: the
-- program's letter), the number of fields, then per field: index of its hash, the field. Returns
-- the values in the order asked; nil where the field is absent.
local args = blob_reader(ARGV[1])
local tt, skip = token_table(KEYS[1]), args.int()
local out = {}
for i = 1, args.int() do
  local hash = KEYS[args.int()]
  local v = redis.call('HGET', hash, args.str())
  if v then out[i] = tt.long_value(v, skip) else out[i] = false end
end
return out
