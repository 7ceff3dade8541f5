/**
 * The match state in Redis: the DTKS index of each period's release and the period's evidence,
 * shared by every match instance.
 *
 * Key layout. P is `keyPrefix` (default `padan:`); every key of a period carries the hash tag
 * `{period}`, so all of a period's keys share one Cluster slot and one Lua script may touch any of
 * them. Values use the packed encodings of state-codec.ts; F = U+001F (fields), L = U+001E (list
 * items), G = U+001D (persons of one NIK).
 *
 * | key                          | type   | content                                                        |
 * |------------------------------|--------|----------------------------------------------------------------|
 * | P{period}:dtks               | hash   | NIK → packPerson of every DTKS row holding it, joined by G     |
 * | P{period}:dtks:bd:<date>     | set    | `nik F nameKey` of DTKS persons born on <date> (YYYY-MM-DD)   |
 * | P{period}:dtks:kk            | hash   | No. KK → DTKS household ids, joined by L                       |
 * | P{period}:dtks:expected      | hash   | DTKS file → rows announced by ingest                           |
 * | P{period}:seen:<file>        | bitmap | bit <row> set once DTKS row <row> of <file> is indexed         |
 * | P{period}:held               | list   | ids of held batches (SHA-1 of their JSON), arrival order       |
 * | P{period}:held:data          | hash   | id → NormalizedBatch JSON; a redelivered batch is held once      |
 * | P{period}:base               | hash   | record key → packBase                                          |
 * | P{period}:occ                | hash   | `program|nik` → occurrences `file F row`, joined by L          |
 * | P{period}:fam                | hash   | family → members `program F key`, joined by L, in arrival order |
 *
 * Lists inside hash values instead of one set or sorted set per NIK, KK or family: a period holds
 * up to ~1 M of each, and on Redis 7.0 a small set of strings is a hashtable. Measured here for a
 * family of two members: 360 bytes as its own set, 171 as a small sorted set, 127 as a field of
 * one hash. The hash tag puts the whole period on one slot anyway, so separate keys would not
 * spread it. Lists are short and updated only inside Lua (append when absent: set semantics).
 * Nothing in Redis is sorted by file name: Lua's `<` uses the server's locale, so the order of
 * occurrences and of persons sharing a NIK is established when read, by `compareByFileRow`, the one
 * definition of "first" (file name, then numeric row).
 *
 * Round trips: every method sends one pipeline (one write, one read) however large the batch;
 * only peekHeld reads `heldChunkSize` batches per round trip. Batches are cut into chunks of
 * `chunkSize` items (one script call or command each) so no request or reply is giant; items of
 * one NIK / `program|nik` / family always share a chunk, so what a call returns for a key comes
 * from one atomic script execution. That is what makes two match instances safe: of two concurrent
 * `addFamilyMembers` for one family, the later script sees the earlier's program.
 *
 * Needs Redis ≥ 6.2 (LPOP with a count).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cluster } from 'ioredis';
import { NormalizedBatchContract } from '@padan/contracts';
import type { NormalizedBatch, Source } from '@padan/contracts';
import type { DtksPerson, SuggestionCandidate } from '@padan/core';
import type { BaseResult, FamilyMembers, MatchState, Occurrence } from './match-state.js';
import { occurrenceKey } from './match-state.js';
import { F, G, L, membersByProgram, packBase, packPerson, unpackBase, unpackGroup, unpackOccurrences, unpackPerson } from './state-codec.js';


/**
 * Lua helpers shared by the scripts. Reads and writes go in bulk (one HMGET and one HSET per 1000
 * fields, one SADD per set) and the per-item work is table and string operations: a redis.call
 * costs about a microsecond, ten times the string work.
 *  - hmget(key, fields): a table field → value (false when absent);
 *  - hset(key, values, order): writes values[f] for each f in order (distinct fields);
 *  - sadd(key, members): adds a list of members;
 *  - append(cur, changed, field, token): appends token to the L-joined list cur[field] unless present.
 */
const HELPERS = `
local function hmget(key, fields)
  local res = {}
  for i = 1, #fields, 1000 do
    local last = math.min(i + 999, #fields)
    local vals = redis.call('HMGET', key, unpack(fields, i, last))
    for j = i, last do res[fields[j]] = vals[j - i + 1] end
  end
  return res
end
local function hset(key, values, order)
  local args = {}
  for _, f in ipairs(order) do
    args[#args + 1] = f
    args[#args + 1] = values[f]
    if #args >= 1000 then
      redis.call('HSET', key, unpack(args))
      args = {}
    end
  end
  if #args > 0 then redis.call('HSET', key, unpack(args)) end
end
local function sadd(key, members)
  for i = 1, #members, 1000 do redis.call('SADD', key, unpack(members, i, math.min(i + 999, #members))) end
end
local function append(cur, changed, field, token)
  local list = cur[field]
  if not list then
    cur[field] = token
  elseif string.find('\\30' .. list .. '\\30', '\\30' .. token .. '\\30', 1, true) then
    return
  else
    cur[field] = list .. '\\30' .. token
  end
  if not changed[field] then
    changed[field] = true
    changed[#changed + 1] = field
  end
end
`;

/**
 * KEYS: dtks, dtks:kk, then the birth-date sets used by this chunk.
 * ARGV, 7 per person: nik, token (F file F row F), packed person, index of its birth-date key in KEYS
 * (0: none), its member there (nik F nameKey), No. KK ('' unless the person has both KK and
 * household), household id.
 * Returns [nik, group] for each NIK touched that is now held by more than one row.
 */
const ADD_DTKS = `${HELPERS}
local niks, kks = {}, {}
for i = 1, #ARGV, 7 do
  niks[#niks + 1] = ARGV[i]
  if ARGV[i + 5] ~= '' then kks[#kks + 1] = ARGV[i + 5] end
end
local groups, households = hmget(KEYS[1], niks), hmget(KEYS[2], kks)
local changed, changedKk, byDate, order, touched = {}, {}, {}, {}, {}
for i = 1, #ARGV, 7 do
  local nik, packed, bd, kk = ARGV[i], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 5]
  local group = groups[nik]
  if not group or not string.find(group, ARGV[i + 1], 1, true) then
    groups[nik] = group and (group .. '\\29' .. packed) or packed
    if not changed[nik] then
      changed[nik] = true
      changed[#changed + 1] = nik
    end
  end
  if bd > 0 then
    local m = byDate[bd]
    if not m then
      m = {}
      byDate[bd] = m
    end
    m[#m + 1] = ARGV[i + 4]
  end
  if kk ~= '' then append(households, changedKk, kk, ARGV[i + 6]) end
  if not touched[nik] then
    touched[nik] = true
    order[#order + 1] = nik
  end
end
hset(KEYS[1], groups, changed)
hset(KEYS[2], households, changedKk)
for bd, members in pairs(byDate) do sadd(KEYS[bd], members) end
local out = {}
for _, nik in ipairs(order) do
  local group = groups[nik]
  if string.find(group, '\\29', 1, true) then
    out[#out + 1] = nik
    out[#out + 1] = group
  end
end
return out
`;

/**
 * KEYS[1]: a hash of L-joined lists. ARGV: field, token pairs. Appends each token unless present and
 * returns, per distinct field in first-seen order, [field, list before this call ('' if none), list after].
 */
const APPEND_MEMBERS = `${HELPERS}
local fields, order, seen = {}, {}, {}
for i = 1, #ARGV, 2 do
  local f = ARGV[i]
  fields[#fields + 1] = f
  if not seen[f] then
    seen[f] = true
    order[#order + 1] = f
  end
end
local cur = hmget(KEYS[1], fields)
local before = {}
for _, f in ipairs(order) do before[f] = cur[f] or '' end
local changed = {}
for i = 1, #ARGV, 2 do append(cur, changed, ARGV[i], ARGV[i + 1]) end
hset(KEYS[1], cur, changed)
local out = {}
for _, f in ipairs(order) do
  out[#out + 1] = f
  out[#out + 1] = before[f]
  out[#out + 1] = cur[f]
end
return out
`;

/** KEYS[1]: a bitmap. ARGV: bit offsets to set. Returns the number of bits set. */
const MARK_SEEN = `
for i = 1, #ARGV do redis.call('SETBIT', KEYS[1], ARGV[i], 1) end
return redis.call('BITCOUNT', KEYS[1])
`;

/** KEYS: held, held:data. ARGV: id, JSON. Holds the batch unless a batch with that id is held. */
const HOLD = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[1]) end
return 1
`;

/** KEYS: held, held:data. ARGV: from, to (list indexes). Returns id, JSON, id, JSON, … oldest first; removes nothing. */
const PEEK_HELD = `
local ids = redis.call('LRANGE', KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then table.insert(out, id); table.insert(out, json) end
end
return out
`;

/** KEYS: held, held:data. ARGV: ids. Forgets the batches (acknowledged after their results were published). */
const ACK_HELD = `
for i = 1, #ARGV do
  redis.call('LREM', KEYS[1], 0, ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return #ARGV
`;

type Arg = string | number | Buffer;

/** The scripts, as ioredis defines them on a client and its pipelines (EVALSHA, EVAL on NOSCRIPT). */
interface ScriptPipeline {
  padanMatchAddDtks(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchAppend(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchSeen(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchHold(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchPeekHeld(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchAckHeld(numKeys: number, ...args: Arg[]): ScriptPipeline;
  hset(key: string, ...fieldsAndValues: Arg[]): ScriptPipeline;
  hmget(key: string, ...fields: string[]): ScriptPipeline;
  smembers(key: string): ScriptPipeline;
  hgetall(key: string): ScriptPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}

const SCRIPTS: Record<string, string> = {
  padanMatchAddDtks: ADD_DTKS,
  padanMatchAppend: APPEND_MEMBERS,
  padanMatchSeen: MARK_SEEN,
  padanMatchHold: HOLD,
  padanMatchPeekHeld: PEEK_HELD,
  padanMatchAckHeld: ACK_HELD,
};

export interface RedisMatchStateOptions {
  /** Prefix of every key; default `padan:`. Must not contain `{` or `}` (the period is the hash tag). */
  readonly keyPrefix?: string;
  /** Items (persons, records, keys) per script call or command; default 5000. */
  readonly chunkSize?: number;
  /** Held batches read per script call by peekHeld; default 50. */
  readonly heldChunkSize?: number;
}

/** Splits `items`, grouped by `keyOf`, into chunks of about `size` items; a group is never split. */
function chunkByKey<T>(items: readonly T[], keyOf: (item: T) => string, size: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const g of groups.values()) {
    if (current.length > 0 && current.length + g.length > size) {
      chunks.push(current);
      current = [];
    }
    for (const item of g) current.push(item);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function unpackMembers(s: string | null | undefined): Map<Source, string[]> {
  return membersByProgram(s ? s.split(L) : []);
}

export class RedisMatchState implements MatchState {
  /** The client; shared with the caller when one was passed in. */
  readonly redis: Redis | Cluster;
  readonly keyPrefix: string;
  private readonly ownsClient: boolean;
  private readonly chunkSize: number;
  private readonly heldChunkSize: number;

  /** `redis`: a `redis://` URL (the state owns and closes the client) or a client to share. */
  constructor(redis: string | Redis | Cluster, options: RedisMatchStateOptions = {}) {
    const keyPrefix = options.keyPrefix ?? 'padan:';
    if (/[{}]/.test(keyPrefix)) throw new Error(`RedisMatchState: keyPrefix "${keyPrefix}" must not contain { or }: the period is the key's hash tag`);
    this.keyPrefix = keyPrefix;
    this.chunkSize = options.chunkSize ?? 5000;
    this.heldChunkSize = options.heldChunkSize ?? 50;
    if (typeof redis === 'string') {
      this.redis = new Redis(redis, { lazyConnect: false, maxRetriesPerRequest: 3 });
      this.ownsClient = true;
    } else {
      this.redis = redis;
      this.ownsClient = false;
    }
    for (const [name, lua] of Object.entries(SCRIPTS)) this.redis.defineCommand(name, { lua });
  }

  /** Closes the client if this state created it. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit();
  }

  /** Deletes every key of a period (SCAN + UNLINK), e.g. once its snapshots are final. */
  async purgePeriod(period: string): Promise<number> {
    const base = this.base(period);
    const pattern = `${base.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let deleted = 0;
    const nodes = 'nodes' in this.redis && typeof this.redis.nodes === 'function' ? this.redis.nodes('master') : [this.redis as Redis];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await node.unlink(...keys);
      } while (cursor !== '0');
    }
    return deleted;
  }

  private base(period: string): string {
    if (/[{}]/.test(period)) throw new Error(`RedisMatchState: period "${period}" must not contain { or }`);
    return `${this.keyPrefix}{${period}}:`;
  }

  private pipeline(): ScriptPipeline {
    return this.redis.pipeline() as unknown as ScriptPipeline;
  }

  /** Sends a pipeline and returns its replies, throwing the first error with the operation named. */
  private async exec(op: string, period: string, p: ScriptPipeline): Promise<unknown[]> {
    let res: [Error | null, unknown][] | null;
    try {
      res = await p.exec();
    } catch (err) {
      throw this.fail(op, period, err);
    }
    if (!res) throw new Error(`RedisMatchState.${op} (period ${period}): the pipeline was discarded`);
    return res.map(([err, value]) => {
      if (err) throw this.fail(op, period, err);
      return value;
    });
  }

  private fail(op: string, period: string, err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /ECONNREFUSED|ENOTFOUND|max retries|Connection is closed|ETIMEDOUT/i.test(message)
      ? '; check REDIS_URL, or start the local services with pnpm stack:up and source .stack/env'
      : '';
    return new Error(`RedisMatchState.${op} (period ${period}) failed: ${message}${hint}`, { cause: err });
  }

  async addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksPerson[]>> {
    const out = new Map<string, DtksPerson[]>();
    if (persons.length === 0) return out;
    const k = this.base(period);
    const p = this.pipeline();
    for (const chunk of chunkByKey(persons, (x) => x.nik, this.chunkSize)) {
      const keys = [`${k}dtks`, `${k}dtks:kk`];
      const bdIndex = new Map<string, number>();
      const args: Arg[] = [];
      for (const person of chunk) {
        const packed = packPerson(person);
        let bd = 0;
        if (person.birthDate) {
          bd = bdIndex.get(person.birthDate) ?? 0;
          if (bd === 0) {
            keys.push(`${k}dtks:bd:${person.birthDate}`);
            bd = keys.length;
            bdIndex.set(person.birthDate, bd);
          }
        }
        const withKk = person.noKk && person.householdId;
        args.push(
          person.nik,
          // The row's identity inside the packed group, as MemoryMatchState finds it.
          `${F}${person.file}${F}${person.row}${F}`,
          packed,
          bd,
          bd > 0 ? `${person.nik}${F}${person.nameKey}` : '',
          withKk ? (person.noKk as string) : '',
          withKk ? (person.householdId as string) : '',
        );
      }
      p.padanMatchAddDtks(keys.length, ...keys, ...args);
    }
    for (const reply of await this.exec('addDtksPersons', period, p)) {
      const flat = reply as string[];
      for (let i = 0; i < flat.length; i += 2) out.set(flat[i] as string, unpackGroup(flat[i + 1] as string));
    }
    return out;
  }

  async markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const key = `${this.base(period)}seen:${file}`;
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= 2 ** 32) throw new Error(`RedisMatchState.markDtksRowsSeen: row ${r} of ${file} is not an integer from 0 to 2^32-1`);
    }
    const p = this.pipeline();
    if (rows.length === 0) p.padanMatchSeen(1, key);
    for (const chunk of chunks(rows, this.chunkSize)) p.padanMatchSeen(1, key, ...chunk);
    const replies = await this.exec('markDtksRowsSeen', period, p);
    return Number(replies.at(-1));
  }

  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksPerson[]>> {
    const out = new Map<string, DtksPerson[]>();
    if (niks.length === 0) return out;
    const key = `${this.base(period)}dtks`;
    const parts = chunks(niks, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part);
    const replies = await this.exec('dtksByNik', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach((nik, i) => {
        const g = values[i];
        if (g) out.set(nik, unpackGroup(g));
      });
    });
    return out;
  }

  /** Per date, the distinct (NIK, name key) pairs of the DTKS persons born that day, ordered by NIK then name key. */
  async dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, SuggestionCandidate[]>> {
    const out = new Map<string, SuggestionCandidate[]>();
    if (dates.length === 0) return out;
    const k = this.base(period);
    const unique = [...new Set(dates)];
    const p = this.pipeline();
    for (const d of unique) p.smembers(`${k}dtks:bd:${d}`);
    const replies = await this.exec('dtksByBirthDate', period, p);
    unique.forEach((d, i) => {
      const members = replies[i] as string[];
      if (members.length === 0) return;
      members.sort();
      out.set(
        d,
        members.map((m) => {
          const at = m.indexOf(F);
          return { nik: m.slice(0, at), nameKey: m.slice(at + 1) };
        }),
      );
    });
    return out;
  }

  async householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (kks.length === 0) return out;
    const key = `${this.base(period)}dtks:kk`;
    const parts = chunks(kks, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part);
    const replies = await this.exec('householdsByKk', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach((kk, i) => {
        const h = values[i];
        if (h !== null && h !== undefined) out.set(kk, h.split(L).sort());
      });
    });
    return out;
  }

  async setDtksExpected(period: string, file: string, rows: number): Promise<void> {
    const p = this.pipeline();
    p.hset(`${this.base(period)}dtks:expected`, file, String(rows));
    await this.exec('setDtksExpected', period, p);
  }

  async dtksExpected(period: string): Promise<Map<string, number>> {
    const p = this.pipeline();
    p.hgetall(`${this.base(period)}dtks:expected`);
    const [all] = await this.exec('dtksExpected', period, p);
    return new Map(Object.entries((all ?? {}) as Record<string, string>).map(([file, rows]) => [file, Number(rows)]));
  }

  async holdBatch(period: string, batch: NormalizedBatch): Promise<void> {
    const k = this.base(period);
    const json = NormalizedBatchContract.encode(batch);
    // The id is the SHA-1 of the JSON: a redelivered batch has the same id and is held once.
    const id = createHash('sha1').update(json).digest('hex');
    const p = this.pipeline();
    p.padanMatchHold(2, `${k}held`, `${k}held:data`, id, json);
    await this.exec('holdBatch', period, p);
  }

  /** Every held batch, oldest first, with its id; nothing is removed (see ackHeld). */
  async peekHeld(period: string): Promise<{ id: string; batch: NormalizedBatch }[]> {
    const k = this.base(period);
    const out: { id: string; batch: NormalizedBatch }[] = [];
    for (let from = 0; ; from += this.heldChunkSize) {
      const p = this.pipeline();
      p.padanMatchPeekHeld(2, `${k}held`, `${k}held:data`, from, from + this.heldChunkSize - 1);
      const [items] = (await this.exec('peekHeld', period, p)) as [string[]];
      for (let i = 0; i + 1 < items.length; i += 2) {
        out.push({ id: items[i] as string, batch: NormalizedBatchContract.decode(Buffer.from(items[i + 1] as string, 'utf8')) });
      }
      if (items.length < 2 * this.heldChunkSize) return out;
    }
  }

  async ackHeld(period: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const k = this.base(period);
    const p = this.pipeline();
    for (const part of chunks(ids, this.chunkSize)) p.padanMatchAckHeld(2, `${k}held`, `${k}held:data`, ...part);
    await this.exec('ackHeld', period, p);
  }

  async putBase(period: string, bases: readonly BaseResult[]): Promise<void> {
    if (bases.length === 0) return;
    const key = `${this.base(period)}base`;
    const p = this.pipeline();
    for (const part of chunks(bases, this.chunkSize)) {
      const args: string[] = [];
      for (const b of part) args.push(b.key, packBase(b));
      p.hset(key, ...args);
    }
    await this.exec('putBase', period, p);
  }

  async getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>> {
    const out = new Map<string, BaseResult>();
    if (keys.length === 0) return out;
    const key = `${this.base(period)}base`;
    const parts = chunks(keys, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part);
    const replies = await this.exec('getBase', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach((k, i) => {
        const b = values[i];
        if (b !== null && b !== undefined) out.set(k, unpackBase(k, b));
      });
    });
    return out;
  }

  async addOccurrences(
    period: string,
    items: readonly { program: Source; nik: string; occ: Occurrence }[],
  ): Promise<Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>> {
    const out = new Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>();
    if (items.length === 0) return out;
    const key = `${this.base(period)}occ`;
    const programs = new Map<string, Source>();
    const p = this.pipeline();
    for (const chunk of chunkByKey(items, (i) => occurrenceKey(i.program, i.nik), this.chunkSize)) {
      const args: string[] = [];
      for (const { program, nik, occ } of chunk) {
        const field = occurrenceKey(program, nik);
        programs.set(field, program);
        args.push(field, `${occ.file}${F}${occ.row}`);
      }
      p.padanMatchAppend(1, key, ...args);
    }
    for (const reply of await this.exec('addOccurrences', period, p)) {
      const flat = reply as string[];
      for (let i = 0; i < flat.length; i += 3) {
        const field = flat[i] as string;
        const program = programs.get(field) as Source;
        out.set(field, {
          firstBefore: unpackOccurrences(period, program, flat[i + 1])[0] ?? null,
          all: unpackOccurrences(period, program, flat[i + 2]),
        });
      }
    }
    return out;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, Occurrence[]>> {
    const out = new Map<string, Occurrence[]>();
    if (pairs.length === 0) return out;
    const key = `${this.base(period)}occ`;
    const parts = chunks(pairs, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part.map((x) => occurrenceKey(x.program, x.nik)));
    const replies = await this.exec('occurrences', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach(({ program, nik }, i) => out.set(occurrenceKey(program, nik), unpackOccurrences(period, program, values[i])));
    });
    return out;
  }

  async addFamilyMembers(
    period: string,
    items: readonly { family: string; program: Source; key: string }[],
  ): Promise<Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>> {
    const out = new Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>();
    if (items.length === 0) return out;
    const key = `${this.base(period)}fam`;
    const p = this.pipeline();
    for (const chunk of chunkByKey(items, (i) => i.family, this.chunkSize)) {
      const args: string[] = [];
      for (const { family, program, key: recordKey } of chunk) args.push(family, `${program}${F}${recordKey}`);
      p.padanMatchAppend(1, key, ...args);
    }
    for (const reply of await this.exec('addFamilyMembers', period, p)) {
      const flat = reply as string[];
      for (let i = 0; i < flat.length; i += 3) {
        out.set(flat[i] as string, {
          programsBefore: new Set(unpackMembers(flat[i + 1]).keys()),
          members: unpackMembers(flat[i + 2]),
        });
      }
    }
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilyMembers>> {
    const out = new Map<string, FamilyMembers>();
    if (families.length === 0) return out;
    const key = `${this.base(period)}fam`;
    const parts = chunks(families, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part);
    const replies = await this.exec('familyMembers', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach((f, i) => out.set(f, unpackMembers(values[i])));
    });
    return out;
  }
}
