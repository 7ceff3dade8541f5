/**
 * The match state in Redis: the DTKS index of each period's release and the period's evidence,
 * shared by every match instance, on one Redis or a Redis Cluster.
 *
 * Key layout (see KeyLayout). P is `keyPrefix` (default `padan:`); {t} is the hash tag of a bucket
 * (each bucket is one slot, the buckets evenly spaced over the slots); R = `P{t}:r:<period>:` holds
 * the period's DTKS release, E = `P{t}:p:<period>:g<generation>:` its evidence. The bucket of a key
 * is that of the item named in the "bucket by" column. A per-item hash `<name>:<n>` is one of
 * `hashesPerBucket` small hashes of its bucket (KeyLayout.hashOf), so Redis keeps it
 * listpack-encoded; scripts read and write many of them per call. Values use the packed encodings of
 * src/codec (binary: person-bytes.ts, base-bytes.ts, nik-bytes.ts; ASCII: order-token.ts, T below);
 * F = U+001F, L = U+001E.
 *
 * | key                      | bucket by | type   | content                                                      |
 * |--------------------------|-----------|--------|--------------------------------------------------------------|
 * | R dtks:<n>               | NIK       | hash   | NIK → the one row's packPersonBytes, or (several rows) a     |
 * |                          |           |        | group byte (with the DUPLICATE_IN_DTKS detail) and the       |
 * |                          |           |        | representatives, length-prefixed (nik-group.ts)              |
 * | R dtks:n:<n>             | NIK       | hash   | NIK → rows holding it, for NIKs held by several rows         |
 * | R dtks:m:<nik>           | NIK       | list   | packed rows of a NIK held by several rows, arrival order     |
 * | R dtks:r:<nik>           | NIK       | set    | identities (file id * 2^32 + row) of the rows of a NIK held  |
 * |                          |           |        | by several rows (an intset): a redelivered row is one it has |
 * | R seen:<file>            | file      | bitmap | bit <row> set once DTKS row <row> is indexed (after the      |
 * |                          |           |        | index write) or, invalid, seen: the release's completeness   |
 * | R bd:<n>                 | date      | hash   | day number (or the date) → `i` and the 7-byte NIKs of the    |
 * |                          |           |        | DTKS persons born that day, up to 64; past that `o`, and:    |
 * | R bd:s:<date>            | date      | set    | the NIKs born on <date> (YYYY-MM-DD) as decimal integers (an |
 * |                          |           |        | intset); the name keys are the NIK's representatives'        |
 * |                          |           |        | (dtksByBirthDate)                                            |
 * | R kk:<n>                 | No. KK    | hash   | No. KK → DTKS household ids (household-list.ts: length-      |
 * |                          |           |        | prefixed, heads as ids of `files`)                           |
 * | R expected               | period    | hash   | DTKS file → rows announced by ingest                         |
 * | R files                  | period    | hash   | ids of DTKS files and household ids' heads (`DTKS`): `n:<name>` |
 * |                          |           |        | → id, `i:<id>` → name (FileTable)                            |
 * | E held                   | period    | list   | ids of held batches (SHA-1 of their JSON), arrival order     |
 * | E held:data              | period    | hash   | id → NormalizedBatch JSON; a redelivered batch is held once  |
 * | E names                  | period    | hash   | ids of program files (`b:<source>/<file>`), run ids          |
 * |                          |           |        | (`r:<run id>`) and household heads (`h:<head>`) of base      |
 * |                          |           |        | results (FileTable)                                          |
 * | E base:<n>               | record    | hash   | `row * 1024 + program file id` → packBaseBytes               |
 * | E occ:<n>                | NIK       | hash   | occurrenceField → `count F` every T (arrival order) up to 8, |
 * |                          |           |        | then `count L` the first T                                   |
 * | E occ:l:<program|nik>    | NIK       | list   | every occurrence's T, arrival order, past 8                  |
 * | E occ:seen:<program>:<f> | NIK       | bitmap | bit <row> set once row <row> of <f> is counted               |
 * | E fam:<n>                | family    | hash   | family → `count F` every member (program letter and T) up to |
 * |                          |           |        | 16, then `count L` the first member of each program          |
 * | E fam:l:<family>         | family    | list   | every member, arrival order, past 16                         |
 * | E fam:seen:<program>:<f> | family    | bitmap | bit <row> set once row <row> of <f> is counted               |
 * | E pseen:<source>/<file>  | file      | bitmap | bit <row> set once program row <row> is in the evidence      |
 * |                          |           |        | (ProgramRows: a reopened period's archive replay is complete) |
 * | E pexpected              | period    | hash   | `<source>/<file>` → program rows announced (kept on close)   |
 * | E tokens                 | (each)    | hash   | the files of the bucket's stored order tokens: `n<file>` →   |
 * |                          |           |        | id, `i<id>` → file (token-table.lua)                         |
 *
 * T is an order token (order-token.ts): the record's file and row, whose byte order is
 * compareByFileRow's; a member's record key is read back from its program, file and row. It is
 * stored with its file as an id of the bucket's `tokens` table and given and answered whole, so
 * only the scripts see the stored form (token-table.lua).
 *
 * Per NIK, `program|nik` and family, a hash field holds a summary of bounded size (the members
 * themselves while they are few, or the distinct persons of a NIK), and the full membership goes to
 * a list only past that: a period holds ~1 M of each and nearly all have one or two members (no key
 * of their own), while one NIK repeated 20 000 times must cost O(1) per row (RPUSH), never a
 * rewrite of everything it holds. The lists are read only
 * when every member's result changes anyway (see MatchState). Set semantics come from the seen
 * bitmaps (SETBIT returns the old bit): a redelivered row changes nothing. A script touches the keys
 * of one bucket only (one slot), so each bucket has its own seen bitmaps (`occ:seen`,
 * `fam:seen`); `seen:<file>` counts the release's rows in one key and is set only once the rows
 * are indexed, so a release counts as complete only when it is.
 * "First" is compareByFileRow's order (file name, then numeric row). Lua's `<` uses the server's
 * locale, so scripts compare `orderToken`s byte by byte (LESS), which orders them the same way.
 * The DUPLICATE_IN_DTKS rule is TypeScript (core), so addDtksPersons computes a NIK's new value
 * from the value it expects (none, first) and lets the script write it only if that is the value
 * (compare-and-set); otherwise the script answers the value and the NIK is computed again.
 *
 * Round trips: every method sends its commands at once (one pipeline on one Redis, one per bucket
 * on a Cluster) however large the batch; addDtksPersons sends a second round to mark its rows seen
 * once indexed, and peekHeld reads `heldChunkSize` batches per round trip. A bucket's items are cut
 * into chunks of `chunkSize` (one script call or command each) so no request or reply is giant;
 * items of one NIK / `program|nik` / family always share a chunk, so what a call returns for a key
 * comes from one atomic script execution. That is what makes two match instances safe: of two
 * concurrent `addFamilyMembers` for one family, the later script sees the earlier's program.
 *
 * Lua scripts: src/redis/lua (see lua-scripts.ts). Needs Redis ≥ 6.2.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cluster } from 'ioredis';
import { NormalizedBatchContract } from '@padan/contracts';
import type { NormalizedBatch, Source } from '@padan/contracts';
import { compareByFileRow } from '@padan/core';
import type { DtksPerson, SuggestionCandidate } from '@padan/core';
import type { BaseResult, DtksGroup, DtksNikChange, FamilyChange, FamilyItem, FamilySummary, MatchState, Occurrence, OccurrenceChange, OccurrenceSummary } from '../port/match-state.js';
import { occurrenceKey } from '../port/match-state.js';
import { heldBatchesError } from '../port/period-closing.js';
import type { PeriodClosing } from '../port/period-closing.js';
import type { ProgramRows } from '../port/program-rows.js';
import { F, L, parseRecordKey } from '../codec/state-codec.js';
import { baseHouseholdHead, baseRunId, packBaseBytes, unpackBaseBytes } from '../codec/base-bytes.js';
import { householdHead, packPersonBytes, unpackPersonBytes } from '../codec/person-bytes.js';
import { UnknownNameId } from '../codec/name-ids.js';
import { fileTokenId } from '../codec/file-token.js';
import { packHousehold, unpackHouseholds } from '../codec/household-list.js';
import { addToNikGroup, decodeNikGroup, encodeNikGroup } from '../codec/nik-group.js';
import type { NikGroupValue } from '../codec/nik-group.js';
import { orderToken, programCode, programOfCode, readOrderToken } from '../codec/order-token.js';
import { occurrenceField } from '../codec/occurrence-field.js';
import { birthDateNiks, packNik } from '../codec/nik-bytes.js';
import { dayNumber, digitHead } from '../codec/packed-bytes.js';
import { luaScripts } from './lua-scripts.js';
import { BucketPipelines } from './bucket-pipelines.js';
import { KeyLayout } from './key-layout.js';
import type { HashKind } from './key-layout.js';
import { FileTable } from './file-table.js';
import { BlobWriter } from './blob-writer.js';

type Arg = string | number | Buffer;

/** A field to read: the kind of its small hash, the item that picks the hash, the field. */
type ReadEntry = readonly [HashKind, string, string | Buffer];

/** The scripts, as ioredis defines them on a client and its pipelines (EVALSHA, EVAL on NOSCRIPT). */
interface ScriptPipeline {
  // Keys and arguments as one array (ioredis flattens it), never spread into the call: a chunk's
  // KEYS (a list key per NIK, family or `program|nik`) can be past what a call's argument list holds.
  // The items themselves travel as one binary argument (BlobWriter, lua/blob.lua).
  padanMatchAddDtks(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddOccurrences(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddFamilyMembers(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchSeen(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchAddHouseholds(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchHmgetMany(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  // The Buffer variants (ioredis defines `<name>Buffer` for every script) reply bulk strings as
  // Buffers: the DTKS index values are binary (person-bytes.ts) and would not survive UTF-8 decoding.
  padanMatchHmgetManyBuffer(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddDtksBuffer(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddBirthDates(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchBirthDatesBuffer(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchHsetMany(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchTokenValues(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchFileIds(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchHold(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchPeekHeld(numKeys: number, ...args: Arg[]): ScriptPipeline;
  padanMatchAckHeld(numKeys: number, ...args: Arg[]): ScriptPipeline;
  hset(key: string, ...fieldsAndValues: Arg[]): ScriptPipeline;
  hmget(key: string, ...fields: string[]): ScriptPipeline;
  hkeys(key: string): ScriptPipeline;
  setbit(key: string, offset: number, value: 0 | 1): ScriptPipeline;
  bitcount(key: string): ScriptPipeline;
  hgetall(key: string): ScriptPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}


/**
 * The version of the layout and packed formats this adapter writes. Nothing in a key or value tells
 * two layouts apart, so a state is only read by the version that wrote it: match's generation marker
 * carries this number, and a marker of another version is not adopted but replaced, which rebuilds
 * the state from Kafka (root README, upgrading). Raise it with every change of a key or a format.
 */
export const REDIS_STATE_FORMAT = 4;

export interface RedisMatchStateOptions {
  /** Prefix of every key; default `padan:`. Must not contain `{` or `}` (the bucket is the hash tag). */
  readonly keyPrefix?: string;
  /**
   * Buckets a period is spread over (one slot each, see KeyLayout); default 16, so each of 3
   * Cluster masters holds 5 or 6. Changing it changes every key: the state must then be rebuilt.
   */
  readonly buckets?: number;
  /** The generation of the periods' evidence in the key names (`g<generation>`); default `0`. */
  readonly generation?: string;
  /**
   * Small hashes per bucket for each per-item hash (index by NIK, No. KK, base results,
   * occurrences, families); default 1024: 16 384 hashes, so a release of up to ~8 M rows keeps each
   * under 512 fields (listpack-encoded, see KeyLayout.hashOf). Changing it changes every key.
   */
  readonly hashesPerBucket?: number;
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

/** Items by bucket, each bucket's items in their order. */
function byBucket<T>(items: readonly T[], bucketOf: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const b = bucketOf(item);
    const list = out.get(b);
    if (list) list.push(item);
    else out.set(b, [item]);
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The occurrence (or family member) of `program` a token names; its key is the record key of (period, program, file, row). */
function recordAt(period: string, program: Source, token: string, at = 0): { file: string; row: number; key: string; next: number } {
  const t = readOrderToken(token, at);
  return { file: t.file, row: t.row, key: `${period}/${program}/${t.file}#${t.row}`, next: t.next };
}

function occurrenceOf(period: string, program: Source, token: string): Occurrence {
  const { file, row, key } = recordAt(period, program, token);
  return { file, row, key };
}

/**
 * Count and payload of an occurrence or family value: `count U+001F payload` while every member is
 * in the payload (inline), `count U+001E payload` once they are in a list (see the Lua scripts).
 */
function splitCounted(value: string): { count: number; inline: boolean; payload: string } {
  let at = 0;
  while (at < value.length && value.charCodeAt(at) !== 0x1e && value.charCodeAt(at) !== 0x1f) at++;
  return { count: Number(value.slice(0, at)), inline: value.charCodeAt(at) === 0x1f, payload: value.slice(at + 1) };
}

/** Every token concatenated in `s` (self-delimiting, see order-token.ts), with its offset. */
function tokenStarts(s: string): number[] {
  const out: number[] = [];
  for (let at = 0; at < s.length; at = readOrderToken(s, at).next) out.push(at);
  return out;
}

/** `count` and the first occurrence (inline: the least token; else the one stored). */
function parseOccurrenceValue(period: string, program: Source, value: string): OccurrenceSummary {
  const { count, inline, payload } = splitCounted(value);
  let first = payload;
  if (inline) {
    const starts = tokenStarts(payload);
    first = '';
    starts.forEach((at, i) => {
      const t = payload.slice(at, starts[i + 1] ?? payload.length);
      if (first === '' || t < first) first = t;
    });
  }
  return { count, first: occurrenceOf(period, program, first) };
}

/** `count` and the programs of a family value (members or firsts: each starts with its program code). */
function parseFamilyValue(value: string): FamilySummary {
  const { count, payload } = splitCounted(value);
  const programs = new Set<Source>();
  for (let at = 0; at < payload.length; ) {
    programs.add(programOfCode(payload[at] as string));
    at = readOrderToken(payload, at + 1).next;
  }
  return { members: count, programs };
}

/** The field of a birth date in its small bd hash: its day number (a listpack integer) when two bytes hold it, else the date. */
function birthDateField(date: string): string {
  return String(dayNumber(date) ?? date);
}

/** The bucket's table of the files of stored order tokens (KEYS[1] of the scripts that keep tokens, see token-table.lua). */
const TOKEN_TABLE = 'tokens';

const BASE_FILE = 'b:';
const RUN_ID = 'r:';
/** Household ids' heads in the evidence's name table (packBaseBytes). */
const HOUSEHOLD_HEAD = 'h:';

/** The name of a program file in the evidence's name table. */
function baseFileName(source: string, file: string): string {
  return `${BASE_FILE}${source}/${file}`;
}

function runIdName(runId: string): string {
  return `${RUN_ID}${runId}`;
}

/**
 * The field of a base result in its small hash: its row and its program file's id as one integer
 * (row * 1024 + id), which Redis stores in a listpack as a 4- or 8-byte integer instead of the
 * 33-byte record key; past 1024 program files in a period, `id:row` (never an integer, so the two
 * forms never collide).
 */
function baseField(fileId: string, row: number): string {
  const id = Number(fileId);
  return id < 1024 ? String(row * 1024 + id) : `${fileId}:${row}`;
}

/**
 * A DTKS row's identity in add-dtks.lua, which tells a redelivered row by it: its file's id (in
 * the release's table) * 2^32 + its row, below 2^53 (file ids below 2^21; rows checked by checkRow).
 */
function rowIdentity(fileToken: string, row: number): number {
  const id = fileTokenId(fileToken);
  if (id === null || id >= 2 ** 21) throw new Error(`RedisMatchState.addDtksPersons: DTKS file id ${fileToken.slice(1)} is not below 2^21 (internal error)`);
  return id * 2 ** 32 + row;
}

function checkRow(row: number, file: string): void {
  if (!Number.isInteger(row) || row < 0 || row >= 2 ** 32) throw new Error(`RedisMatchState: row ${row} of ${file} is not an integer from 0 to 2^32-1`);
}

/**
 * KEYS of one script call, each listed once, named in ARGV by their 1-based index. One list per
 * call, of one bucket (`prefix`): a small hash is found by its kind and number, not by building
 * and hashing its name for every item (most items of a chunk share a few hundred hashes).
 */
class KeyList {
  readonly keys: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly hashes = new Map<number, number>();

  constructor(
    private readonly layout: KeyLayout,
    private readonly prefix: string,
  ) {}

  /** The index of `prefix + suffix`. */
  of(suffix: string): number {
    let i = this.index.get(suffix);
    if (i === undefined) {
      i = this.unique(suffix);
      this.index.set(suffix, i);
    }
    return i;
  }

  /** The index of `prefix + suffix`, a key no other item of the call names (an item's own list). */
  unique(suffix: string): number {
    this.keys.push(this.prefix + suffix);
    return this.keys.length;
  }

  /** The index of the small hash of `kind` that holds `item` (KeyLayout.hashOf). */
  hash(kind: HashKind, item: string): number {
    const n = this.layout.hashIndex(kind, item);
    const k = HASH_CODE[kind] * 2 ** 21 + n;
    let i = this.hashes.get(k);
    if (i === undefined) {
      i = this.unique(`${kind}:${n}`);
      this.hashes.set(k, i);
    }
    return i;
  }
}

const HASH_CODE: Readonly<Record<HashKind, number>> = { dtks: 0, 'dtks:n': 1, kk: 2, bd: 3, base: 4, occ: 5, fam: 6 };

/** The evidence kinds closing a period deletes (every key whose name starts so; see closePeriod). */
const EVIDENCE_DROPPED_ON_CLOSE = ['base:', 'occ:', 'fam:', 'pseen:'] as const;

export class RedisMatchState implements MatchState, PeriodClosing, ProgramRows {
  /** The client; shared with the caller when one was passed in. */
  readonly redis: Redis | Cluster;
  readonly keyPrefix: string;
  readonly layout: KeyLayout;
  private readonly ownsClient: boolean;
  private readonly chunkSize: number;
  private readonly heldChunkSize: number;
  private readonly files: FileTable;
  /** The evidence's names (program files of base results, run ids), per period: see FileTable. */
  private readonly names: FileTable;

  /** `redis`: a `redis://` URL (the state owns and closes the client) or a client (Redis or Cluster) to share. */
  constructor(redis: string | Redis | Cluster, options: RedisMatchStateOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? 'padan:';
    this.layout = new KeyLayout(this.keyPrefix, options.buckets ?? 16, options.generation ?? '0', options.hashesPerBucket ?? 1024);
    this.chunkSize = options.chunkSize ?? 5000;
    this.heldChunkSize = options.heldChunkSize ?? 50;
    if (typeof redis === 'string') {
      this.redis = new Redis(redis, { lazyConnect: false, maxRetriesPerRequest: 3 });
      this.ownsClient = true;
    } else {
      this.redis = redis;
      this.ownsClient = false;
    }
    for (const [name, lua] of Object.entries(luaScripts())) this.redis.defineCommand(name, { lua });
    this.files = this.nameTable((period, b) => `${this.layout.release(period, b)}files`);
    this.names = this.nameTable((period, b) => `${this.layout.evidence(period, b)}names`);
  }

  /** The period's table of short ids, in `hash` (the release's files or the evidence's names). */
  private nameTable(hash: (period: string, b: number) => string): FileTable {
    return new FileTable(
      async (period, names) => {
        const b = this.periodBucket(period);
        const p = this.commands();
        p.on(b).padanMatchFileIds(1, [hash(period, b), ...names]);
        const [ids] = await this.exec('fileIds', period, p);
        return (ids as (string | number)[]).map(String);
      },
      async (period) => {
        const b = this.periodBucket(period);
        const p = this.commands();
        p.on(b).hgetall(hash(period, b));
        const [all] = await this.exec('fileIds', period, p);
        const out = new Map<string, string>();
        for (const [field, value] of Object.entries((all ?? {}) as Record<string, string>)) if (field.startsWith('i:')) out.set(field.slice(2), value);
        return out;
      },
    );
  }

  /**
   * Runs `decode` of packed values that name ids of `table` (household heads); an id another
   * instance assigned since this one loaded the table reloads it once, and `decode` runs again.
   */
  private async withNames<T>(table: FileTable, op: string, period: string, decode: () => T): Promise<T> {
    try {
      return decode();
    } catch (err) {
      if (!(err instanceof UnknownNameId)) throw err;
      await table.ensureNames(period, [FileTable.token(String(err.id))]);
    }
    try {
      return decode();
    } catch (err) {
      throw err instanceof UnknownNameId ? new Error(`RedisMatchState.${op} (period ${period}): ${err.message}`, { cause: err }) : err;
    }
  }

  /** Decodes the values stored under NIKs, files named again. */
  private async decodeGroups(period: string, values: ReadonlyMap<string, Buffer | null>): Promise<Map<string, NikGroupValue | null>> {
    const raw = new Map<string, NikGroupValue | null>();
    const tokens = new Set<string>();
    const heads = this.files.ids(period);
    await this.withNames(this.files, 'decodeGroups', period, () => {
      for (const [nik, v] of values) raw.set(nik, v === null ? null : decodeNikGroup(nik, v, heads));
    });
    for (const g of raw.values()) for (const r of g?.reps ?? []) tokens.add(r.file);
    await this.files.ensureNames(period, tokens);
    const out = new Map<string, NikGroupValue | null>();
    for (const [nik, g] of raw) out.set(nik, g === null ? null : { detail: g.detail, reps: g.reps.map((r) => this.files.real(period, r)) });
    return out;
  }

  /** Closes the client if this state created it. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit();
  }

  /** Deletes every key of a period, its release and its evidence (SCAN + UNLINK on every master), e.g. once its snapshots are final. */
  async purgePeriod(period: string): Promise<number> {
    let deleted = 0;
    for (const node of this.masters()) {
      for (const pattern of this.layout.periodPatterns(period)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          // One UNLINK per key: on a Cluster node the keys of one SCAN page span several slots.
          for (const key of keys) deleted += await node.unlink(key);
        } while (cursor !== '0');
      }
    }
    return deleted;
  }

  /** The set of closed periods (PeriodClosing): one key of the state's own, outside the buckets. */
  private closedKey(): string {
    return `${this.keyPrefix}closed`;
  }

  /**
   * Marks the period closed, then deletes its evidence's base results, occurrences and families
   * with their seen bitmaps and lists (SCAN + UNLINK on every master, pipelined per page). Kept:
   * the DTKS release, the held batches (none: refused otherwise), and the period's name and token
   * tables, whose ids match instances cache in memory (a table deleted under them would hand the
   * same id to another file after the period reopens); they hold a few entries per program file.
   */
  async closePeriod(period: string): Promise<number> {
    if ((await this.peekHeld(period, 1)).length > 0) throw heldBatchesError(period);
    // Marked first: an instance that checks after this point reopens the period instead of
    // reconciling against evidence being deleted (see PeriodClosing).
    await this.redis.sadd(this.closedKey(), period);
    let deleted = 0;
    for (const node of this.masters()) {
      for (const pattern of this.layout.evidencePatterns(period, EVIDENCE_DROPPED_ON_CLOSE)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (keys.length === 0) continue;
          // One UNLINK per key (on a Cluster node one page spans several slots), one round trip per page.
          const p = node.pipeline();
          for (const key of keys) p.unlink(key);
          for (const [err, n] of (await p.exec()) ?? []) {
            if (err) throw this.fail('closePeriod', period, err);
            deleted += Number(n);
          }
        } while (cursor !== '0');
      }
    }
    return deleted;
  }

  async closedPeriods(periods: readonly string[]): Promise<string[]> {
    const asked = [...new Set(periods)].sort();
    if (asked.length === 0) return [];
    const marks = await this.redis.smismember(this.closedKey(), ...asked);
    return asked.filter((_, i) => marks[i] === 1);
  }

  async reopenPeriods(periods: readonly string[]): Promise<string[]> {
    const asked = [...new Set(periods)].sort();
    const reopened: string[] = [];
    // SREM answers 1 to one caller only: that instance owns asking for the period's archive.
    for (const period of asked) if ((await this.redis.srem(this.closedKey(), period)) === 1) reopened.push(period);
    return reopened;
  }

  /** The masters: the nodes holding the keys (the one Redis, or each Cluster master). */
  masters(): Redis[] {
    return this.redis.isCluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
  }

  private commands(): BucketPipelines<ScriptPipeline> {
    return new BucketPipelines(() => this.redis.pipeline() as unknown as ScriptPipeline, this.redis.isCluster);
  }

  /** Bucket of the period's own keys (expected files, held batches). */
  private periodBucket(period: string): number {
    return this.layout.bucketOf(period);
  }

  /**
   * Queues reads of hash fields for bucket b (keys under `prefix`), one script call per chunk:
   * each entry is the item's kind, the item (which picks its small hash, see KeyLayout.hashOf) and
   * its field; `collect` gives each entry's value, in order, once sent.
   */
  private queueReads(p: BucketPipelines<ScriptPipeline>, b: number, prefix: string, entries: readonly ReadEntry[]): (replies: unknown[]) => (string | null)[] {
    return this.queueHmget<string>(p, b, prefix, entries, false);
  }

  /** queueReads of binary values (the DTKS index), as Buffers. */
  private queueBinaryReads(p: BucketPipelines<ScriptPipeline>, b: number, prefix: string, entries: readonly ReadEntry[]): (replies: unknown[]) => (Buffer | null)[] {
    return this.queueHmget<Buffer>(p, b, prefix, entries, true);
  }

  /**
   * queueReads of occurrence or family values, whose order tokens are stored short: read by
   * token-values.lua, which gives them long (token-table.lua). `skip`: bytes before each token (a
   * family member's program letter).
   */
  private queueTokenValues(p: BucketPipelines<ScriptPipeline>, b: number, prefix: string, entries: readonly ReadEntry[], skip: 0 | 1): (replies: unknown[]) => (string | null)[] {
    return this.queueHmget<string>(p, b, prefix, entries, false, skip);
  }

  private queueHmget<V>(p: BucketPipelines<ScriptPipeline>, b: number, prefix: string, entries: readonly ReadEntry[], binary: boolean, tokenSkip?: 0 | 1): (replies: unknown[]) => (V | null)[] {
    const at: number[] = [];
    for (const part of chunks(entries, this.chunkSize)) {
      const keys = new KeyList(this.layout, prefix);
      const blob = new BlobWriter();
      if (tokenSkip !== undefined) {
        keys.of(TOKEN_TABLE);
        blob.int(tokenSkip);
      }
      blob.int(part.length);
      for (const [kind, item, field] of part) blob.int(keys.hash(kind, item)).str(field);
      at.push(p.size);
      const keysAndArgs = (keys.keys as Arg[]).concat(blob.done());
      if (tokenSkip !== undefined) p.on(b).padanMatchTokenValues(keys.keys.length, keysAndArgs);
      else if (binary) p.on(b).padanMatchHmgetManyBuffer(keys.keys.length, keysAndArgs);
      else p.on(b).padanMatchHmgetMany(keys.keys.length, keysAndArgs);
    }
    return (replies) => {
      const out: (V | null)[] = [];
      for (const i of at) for (const v of replies[i] as (V | null)[]) out.push(v ?? null);
      return out;
    };
  }

  /** Queues writes of hash fields (kind, item, field, value) for bucket b, one script call per chunk. */
  private queueWrites(p: BucketPipelines<ScriptPipeline>, b: number, prefix: string, entries: readonly (readonly [HashKind, string, string, string | Buffer])[]): void {
    for (const part of chunks(entries, this.chunkSize)) {
      const keys = new KeyList(this.layout, prefix);
      const blob = new BlobWriter().int(part.length);
      for (const [kind, item, field, value] of part) blob.int(keys.hash(kind, item)).str(field).str(value);
      p.on(b).padanMatchHsetMany(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
    }
  }

  /** Sends the queued commands and returns their replies, throwing the first error with the operation named. */
  /**
   * One field per key, each from the small hash of `kind` that holds it (release or evidence keys),
   * every bucket in one round trip: key → stored value; keys with none are left out.
   */
  private async readFields<V extends string | Buffer = string>(op: string, period: string, scope: 'release' | 'evidence', kind: HashKind, keys: readonly string[], binary = false): Promise<Map<string, V>> {
    const found = new Map<string, V>();
    if (keys.length === 0) return found;
    const p = this.commands();
    const collected: [string[], (replies: unknown[]) => (V | null)[]][] = [];
    for (const [b, list] of byBucket([...new Set(keys)], (k) => this.layout.bucketOf(k))) {
      const prefix = scope === 'release' ? this.layout.release(period, b) : this.layout.evidence(period, b);
      collected.push([list, this.queueHmget<V>(p, b, prefix, list.map((k) => [kind, k, k] as const), binary)]);
    }
    const replies = await this.exec(op, period, p);
    for (const [list, collect] of collected) {
      const values = collect(replies);
      list.forEach((k, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) found.set(k, v);
      });
    }
    return found;
  }

  private async exec(op: string, period: string, p: BucketPipelines<ScriptPipeline>): Promise<unknown[]> {
    let res: [Error | null, unknown][];
    try {
      res = await p.exec();
    } catch (err) {
      throw this.fail(op, period, err);
    }
    return res.map(([err, value]) => {
      if (err) throw this.fail(op, period, err);
      return value;
    });
  }

  private fail(op: string, period: string, err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /ECONNREFUSED|ENOTFOUND|max retries|Connection is closed|ETIMEDOUT|ClusterAllFailed|CLUSTERDOWN/i.test(message)
      ? '; check REDIS_URL (or REDIS_CLUSTER_NODES), or start the local services with pnpm stack:up and source .stack/env'
      : '';
    return new Error(`RedisMatchState.${op} (period ${period}) failed: ${message}${hint}`, { cause: err });
  }

  async addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksNikChange>> {
    const out = new Map<string, DtksNikChange>();
    const L_ = this.layout;
    for (const person of persons) checkRow(person.row, person.file);
    // The files and the household ids' heads (`DTKS`) get their ids in the release's table.
    const releaseNames = new Set<string>();
    for (const p of persons) {
      releaseNames.add(p.file);
      const head = householdHead(p);
      if (head !== '') releaseNames.add(head);
      // The No. KK index keeps the id as it came (household-list.ts): its head, if cleaning changed it.
      const rawHead = p.noKk && p.householdId ? digitHead(p.householdId) : '';
      if (rawHead !== '') releaseNames.add(rawHead);
    }
    await this.files.ensureTokens(period, releaseNames);
    const heads = this.files.ids(period);
    let pending = persons;
    let first = true;
    // Compare-and-set: a NIK's value is computed here (the duplicate rule is TypeScript) from the
    // value it had, and the script writes it only if the value is still that one. The first attempt
    // assumes every NIK is new (nearly all are, in a release), so a batch costs no read round trip;
    // a NIK that has a value is answered 'retry' with that value, and computed again from it. Rows of
    // one NIK come from one partition, so a retry with a value that changed again is rare.
    const known = new Map<string, Buffer | null>();
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 20) throw new Error(`RedisMatchState.addDtksPersons (period ${period}): a NIK kept changing under 20 attempts; is another process writing this period?`);
      const byNik = new Map<string, DtksPerson[]>();
      for (const person of pending) {
        const rows = byNik.get(person.nik);
        if (rows) rows.push(person);
        else byNik.set(person.nik, [person]);
      }
      const decoded = known.size === 0 ? new Map<string, NikGroupValue | null>() : await this.decodeGroups(period, known);
      const computed = new Map<string, { old: NikGroupValue | null; next: NikGroupValue }>();
      const p = this.commands();
      for (const [b, niks] of byBucket([...byNik.keys()], (nik) => L_.bucketOf(nik))) {
        const R = L_.release(period, b);
        const items: DtksPerson[] = [];
        for (const nik of niks) for (const r of byNik.get(nik) as DtksPerson[]) items.push(r);
        for (const chunk of chunkByKey(items, (x) => x.nik, this.chunkSize)) {
          const keys = new KeyList(L_, R);
          // Per NIK: its fields, then its rows (add-dtks.lua); the NIK count first.
          const blob = new BlobWriter().int(new Set(chunk.map((x) => x.nik)).size);
          let nik = '';
          for (const person of chunk) {
            if (person.nik === nik) continue;
            nik = person.nik;
            const rows = byNik.get(nik) as DtksPerson[];
            const cur = known.get(nik) ?? null;
            const old = decoded.get(nik) ?? null;
            // A row given twice in one call is sent twice (the script reports the second as
            // redelivered, as the memory state does) but counted once here.
            let distinct = rows;
            if (rows.length > 1) {
              const byRow = new Map<string, DtksPerson>();
              for (const r of rows) if (!byRow.has(`${r.file}${F}${r.row}`)) byRow.set(`${r.file}${F}${r.row}`, r);
              distinct = [...byRow.values()];
            }
            const next = addToNikGroup(old, distinct);
            computed.set(nik, { old, next });
            // A new NIK of one row: its value is the row's packed bytes, which the script takes from the row ('').
            const value = next.detail === null && old === null ? '' : encodeNikGroup({ detail: next.detail, reps: next.reps.map((r) => this.files.stored(period, r)) }, heads);
            blob
              .str(nik)
              .str(cur ?? '')
              .str(value)
              .int((next.detail === 'DIFFERENT_PERSON' ? 1 : 0) + (old?.detail === 'DIFFERENT_PERSON' ? 2 : 0))
              .int(keys.unique(`dtks:m:${nik}`))
              .int(keys.hash('dtks', nik))
              .int(keys.hash('dtks:n', nik))
              .int(keys.unique(`dtks:r:${nik}`))
              .int(rows.length);
            for (const r of rows) {
              const file = this.files.fileToken(period, r.file);
              blob.int(rowIdentity(file, r.row)).str(packPersonBytes(r, file, heads));
            }
          }
          p.on(b).padanMatchAddDtksBuffer(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
        }
      }
      const scripts = p.size;
      // The birth-date and No. KK indexes have set semantics: written once, with the first attempt.
      if (first) this.queueDtksIndexes(p, period, persons);
      first = false;
      const replies = await this.exec('addDtksPersons', period, p);
      const retry = new Set<string>();
      // Another instance's rows can name a household head this one has not loaded (withNames).
      await this.withNames(this.files, 'addDtksPersons', period, () => {
        for (const reply of replies.slice(0, scripts)) {
          // Buffer replies: bulk strings are Buffers (String() decodes the text ones), integers numbers.
          const flat = reply as (Buffer | number)[];
          const num = (x: Buffer | number | undefined): number => Number(String(x));
          for (let i = 0; i < flat.length; ) {
            const nik = String(flat[i]);
            if (String(flat[i + 1]) === 'retry') {
              retry.add(nik);
              const cur = flat[i + 2] as Buffer;
              known.set(nik, cur.length === 0 ? null : cur);
              i += 3;
              continue;
            }
            const rows = num(flat[i + 2]);
            const rowsBefore = num(flat[i + 3]);
            const n = num(flat[i + 6]);
            const { old, next } = computed.get(nik) as { old: NikGroupValue | null; next: NikGroupValue };
            out.set(nik, {
              rows,
              rowsBefore,
              // The script wrote `next` only if the NIK gained rows; otherwise the value read stands.
              detail: rows > rowsBefore ? next.detail : (old?.detail ?? null),
              detailBefore: old?.detail ?? null,
              redelivered: num(flat[i + 4]) === 1,
              first: unpackPersonBytes(nik, flat[i + 5] as Buffer, heads),
              all: n > 0 ? flat.slice(i + 7, i + 7 + n).map((m) => unpackPersonBytes(nik, m as Buffer, heads)) : null,
            });
            i += 7 + n;
          }
        }
      });
      pending = pending.filter((x) => retry.has(x.nik));
    }
    // Only now, with every row indexed, are the rows seen: the release is complete only when indexed.
    const seen = this.commands();
    for (const [file, rows] of rowsByFile(persons)) {
      for (const part of chunks(rows, this.chunkSize)) seen.on(L_.bucketOf(file)).padanMatchSeen(1, `${L_.release(period, L_.bucketOf(file))}seen:${file}`, bitsBlob(part));
    }
    if (seen.size > 0) await this.exec('addDtksPersons', period, seen);
    // In the order of the persons, as the memory state answers, files named again.
    const tokens = new Set<string>();
    for (const c of out.values()) {
      tokens.add(c.first.file);
      for (const r of c.all ?? []) tokens.add(r.file);
    }
    await this.files.ensureNames(period, tokens);
    const ordered = new Map<string, DtksNikChange>();
    for (const person of persons) {
      if (ordered.has(person.nik)) continue;
      const c = out.get(person.nik) as DtksNikChange;
      ordered.set(person.nik, { ...c, first: this.files.real(period, c.first), all: c.all === null ? null : c.all.map((r) => this.files.real(period, r)) });
    }
    return ordered;
  }

  /** Queues the birth-date and No. KK index writes of DTKS rows (set semantics: a redelivery changes nothing). */
  private queueDtksIndexes(p: BucketPipelines<ScriptPipeline>, period: string, persons: readonly DtksPerson[]): void {
    const L_ = this.layout;
    const heads = this.files.ids(period);
    const byDate = new Map<string, Set<string>>();
    const kks: { kk: string; id: string }[] = [];
    for (const r of persons) {
      if (r.birthDate) {
        const niks = byDate.get(r.birthDate);
        if (niks) niks.add(r.nik);
        else byDate.set(r.birthDate, new Set([r.nik]));
      }
      if (r.noKk && r.householdId) kks.push({ kk: r.noKk, id: r.householdId });
    }
    // By birth date, the NIKs born that day (the name keys are the index's: see dtksByBirthDate).
    const bd: { date: string; nik: string }[] = [];
    for (const [date, niks] of byDate) for (const nik of niks) bd.push({ date, nik });
    for (const [b, list] of byBucket(bd, (x) => L_.bucketOf(x.date))) {
      const R = L_.release(period, b);
      for (const part of chunks(list, this.chunkSize)) {
        const keys = new KeyList(L_, R);
        const blob = new BlobWriter().int(part.length);
        for (const { date, nik } of part) blob.int(keys.hash('bd', date)).int(keys.of(`bd:s:${date}`)).str(birthDateField(date)).str(packNik(nik));
        p.on(b).padanMatchAddBirthDates(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
      }
    }
    for (const [b, list] of byBucket(kks, (x) => L_.bucketOf(x.kk))) {
      const R = L_.release(period, b);
      for (const part of chunks(list, this.chunkSize)) {
        const keys = new KeyList(L_, R);
        const blob = new BlobWriter().int(part.length);
        for (const { kk, id } of part) blob.int(keys.hash('kk', kk)).str(kk).str(packHousehold(id, heads));
        p.on(b).padanMatchAddHouseholds(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
      }
    }
  }

  async markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const b = this.layout.bucketOf(file);
    return this.markSeen('markDtksRowsSeen', period, b, `${this.layout.release(period, b)}seen:${file}`, file, rows);
  }

  /** Sets rows' bits in a per-file bitmap of bucket b (mark-seen.lua) and returns how many are set. */
  private async markSeen(op: string, period: string, b: number, key: string, file: string, rows: readonly number[]): Promise<number> {
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= 2 ** 32) throw new Error(`RedisMatchState.${op}: row ${r} of ${file} is not an integer from 0 to 2^32-1`);
    }
    const p = this.commands();
    if (rows.length === 0) p.on(b).padanMatchSeen(1, key);
    for (const chunk of chunks(rows, this.chunkSize)) p.on(b).padanMatchSeen(1, key, bitsBlob(chunk));
    const replies = await this.exec(op, period, p);
    return Number(replies.at(-1));
  }


  async setProgramExpected(period: string, file: string, rows: number): Promise<void> {
    await this.writeExpected('setProgramExpected', period, 'evidence', 'pexpected', file, rows);
  }


  async programExpected(period: string): Promise<Map<string, number>> {
    return this.readExpected('programExpected', period, 'evidence', 'pexpected');
  }
  /** The rows announced per file (a hash of the period's bucket, in its release or its evidence). */
  private async writeExpected(op: string, period: string, scope: 'release' | 'evidence', hash: string, file: string, rows: number): Promise<void> {
    const b = this.periodBucket(period);
    const p = this.commands();
    p.on(b).hset(`${scope === 'release' ? this.layout.release(period, b) : this.layout.evidence(period, b)}${hash}`, file, String(rows));
    await this.exec(op, period, p);
  }

  private async readExpected(op: string, period: string, scope: 'release' | 'evidence', hash: string): Promise<Map<string, number>> {
    const b = this.periodBucket(period);
    const p = this.commands();
    p.on(b).hgetall(`${scope === 'release' ? this.layout.release(period, b) : this.layout.evidence(period, b)}${hash}`);
    const [all] = await this.exec(op, period, p);
    return new Map(Object.entries((all ?? {}) as Record<string, string>).map(([file, rows]) => [file, Number(rows)]));
  }



  /** Program rows in the evidence: a bitmap per file (`E pseen:<source>/<file>`, bucket of the file), as markDtksRowsSeen's. */
  async markProgramRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const b = this.layout.bucketOf(file);
    return this.markSeen('markProgramRowsSeen', period, b, `${this.layout.evidence(period, b)}pseen:${file}`, file, rows);
  }


  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksGroup>> {
    const out = new Map<string, DtksGroup>();
    if (niks.length === 0) return out;
    const p = this.commands();
    const collected: [string[], (replies: unknown[]) => (Buffer | null)[], (replies: unknown[]) => (string | null)[]][] = [];
    for (const [b, list] of byBucket([...new Set(niks)], (nik) => this.layout.bucketOf(nik))) {
      const R = this.layout.release(period, b);
      collected.push([
        list,
        this.queueBinaryReads(p, b, R, list.map((nik) => ['dtks', nik, nik] as const)),
        this.queueReads(p, b, R, list.map((nik) => ['dtks:n', nik, nik] as const)),
      ]);
    }
    const replies = await this.exec('dtksByNik', period, p);
    const stored = new Map<string, Buffer | null>();
    const rowsOf = new Map<string, number>();
    for (const [list, groups, counts] of collected) {
      const values = groups(replies);
      const rows = counts(replies);
      list.forEach((nik, i) => {
        const g = values[i];
        if (g) {
          stored.set(nik, g);
          rowsOf.set(nik, Number(rows[i] ?? 1));
        }
      });
    }
    const found = new Map<string, DtksGroup>();
    for (const [nik, g] of await this.decodeGroups(period, stored)) if (g) found.set(nik, { persons: [...g.reps], rows: rowsOf.get(nik) as number });
    // In the order asked, as the memory state answers.
    for (const nik of niks) {
      const g = found.get(nik);
      if (g !== undefined) out.set(nik, g);
    }
    return out;
  }

  /**
   * Per date, the distinct (NIK, name key) pairs of the DTKS persons born that day, ordered by NIK
   * then name key. The birth-date index holds only NIKs: the name keys are those of the NIK's
   * representatives born that day (one per distinct name key and birth date, see
   * representativeKey), read from the index by NIK, so no name is stored twice.
   */
  async dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, SuggestionCandidate[]>> {
    const out = new Map<string, SuggestionCandidate[]>();
    if (dates.length === 0) return out;
    const unique = [...new Set(dates)];
    const p = this.commands();
    const asked: string[][] = [];
    for (const [b, list] of byBucket(unique, (d) => this.layout.bucketOf(d))) {
      const R = this.layout.release(period, b);
      for (const part of chunks(list, this.chunkSize)) {
        const keys = new KeyList(this.layout, R);
        const blob = new BlobWriter().int(part.length);
        for (const d of part) blob.int(keys.hash('bd', d)).int(keys.of(`bd:s:${d}`)).str(birthDateField(d));
        asked.push(part);
        p.on(b).padanMatchBirthDatesBuffer(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
      }
    }
    const replies = await this.exec('dtksByBirthDate', period, p);
    const bornOn = new Map<string, string[]>();
    const niks = new Set<string>();
    asked.forEach((part, j) => {
      const values = replies[j] as Buffer[];
      part.forEach((d, i) => {
        const list = birthDateNiks(values[i] as Buffer);
        bornOn.set(d, list);
        for (const nik of list) niks.add(nik);
      });
    });
    const groups = await this.dtksByNik(period, [...niks]);
    unique.forEach((d) => {
      const members = new Set<string>();
      for (const nik of bornOn.get(d) ?? []) {
        for (const rep of groups.get(nik)?.persons ?? []) if (rep.birthDate === d) members.add(`${nik}${F}${rep.nameKey}`);
      }
      if (members.size === 0) return;
      out.set(
        d,
        [...members].sort().map((m) => {
          const at = m.indexOf(F);
          return { nik: m.slice(0, at), nameKey: m.slice(at + 1) };
        }),
      );
    });
    return out;
  }

  async householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>> {
    const found = await this.readFields<Buffer>('householdsByKk', period, 'release', 'kk', kks, true);
    const out = new Map<string, string[]>();
    const heads = this.files.ids(period);
    await this.withNames(this.files, 'householdsByKk', period, () => {
      for (const kk of kks) {
        const h = found.get(kk);
        if (h !== undefined && !out.has(kk)) out.set(kk, unpackHouseholds(h, heads).sort());
      }
    });
    return out;
  }

  async setDtksExpected(period: string, file: string, rows: number): Promise<void> {
    await this.writeExpected('setDtksExpected', period, 'release', 'expected', file, rows);
  }


  async dtksExpected(period: string): Promise<Map<string, number>> {
    return this.readExpected('dtksExpected', period, 'release', 'expected');
  }


  async holdBatch(period: string, batch: NormalizedBatch): Promise<void> {
    const b = this.periodBucket(period);
    const E = this.layout.evidence(period, b);
    const json = NormalizedBatchContract.encode(batch);
    // The id is the SHA-1 of the JSON: a redelivered batch has the same id and is held once.
    const id = createHash('sha1').update(json).digest('hex');
    const p = this.commands();
    p.on(b).padanMatchHold(2, `${E}held`, `${E}held:data`, id, json);
    await this.exec('holdBatch', period, p);
  }

  /** The held batches (at most `limit`), oldest first, with their ids; nothing is removed (see ackHeld). */
  async peekHeld(period: string, limit = Infinity): Promise<{ id: string; batch: NormalizedBatch }[]> {
    const b = this.periodBucket(period);
    const E = this.layout.evidence(period, b);
    const out: { id: string; batch: NormalizedBatch }[] = [];
    for (let from = 0; out.length < limit; from += this.heldChunkSize) {
      const p = this.commands();
      const size = Math.min(this.heldChunkSize, limit - out.length);
      p.on(b).padanMatchPeekHeld(2, `${E}held`, `${E}held:data`, from, from + size - 1);
      const [items] = (await this.exec('peekHeld', period, p)) as [string[]];
      for (let i = 0; i + 1 < items.length; i += 2) {
        out.push({ id: items[i] as string, batch: NormalizedBatchContract.decode(Buffer.from(items[i + 1] as string, 'utf8')) });
      }
      if (items.length < 2 * size) return out;
    }
    return out;
  }

  async ackHeld(period: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const b = this.periodBucket(period);
    const E = this.layout.evidence(period, b);
    const p = this.commands();
    for (const part of chunks(ids, this.chunkSize)) p.on(b).padanMatchAckHeld(2, `${E}held`, `${E}held:data`, ...part);
    await this.exec('ackHeld', period, p);
  }

  async putBase(period: string, bases: readonly BaseResult[]): Promise<void> {
    if (bases.length === 0) return;
    const names = new Set<string>();
    for (const x of bases) {
      checkRow(x.row, x.file);
      names.add(baseFileName(x.source, x.file));
      names.add(runIdName(x.runId));
      const head = baseHouseholdHead(x);
      if (head !== '') names.add(HOUSEHOLD_HEAD + head);
    }
    await this.names.ensureTokens(period, names);
    const heads = this.names.ids(period, HOUSEHOLD_HEAD);
    const p = this.commands();
    for (const [b, list] of byBucket(bases, (x) => this.layout.bucketOf(x.key))) {
      const E = this.layout.evidence(period, b);
      this.queueWrites(
        p,
        b,
        E,
        list.map((x) => {
          const file = this.names.idOf(period, baseFileName(x.source, x.file)) as string;
          const run = Number(this.names.idOf(period, runIdName(x.runId)));
          return ['base', x.key, baseField(file, x.row), packBaseBytes(x, run, heads)] as const;
        }),
      );
    }
    await this.exec('putBase', period, p);
  }

  async getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>> {
    const out = new Map<string, BaseResult>();
    if (keys.length === 0) return out;
    const unique = [...new Set(keys)];
    const ids = unique.map((k) => parseRecordKey(k));
    await this.names.ensureKnown(period, ids.map((id) => baseFileName(id.source, id.file)));
    // A key whose program file has no id has no base result: nothing of that file was stored.
    const asked: { key: string; field: string }[] = [];
    unique.forEach((key, i) => {
      const id = ids[i] as { source: string; file: string; row: number };
      const file = this.names.idOf(period, baseFileName(id.source, id.file));
      if (file !== undefined) asked.push({ key, field: baseField(file, id.row) });
    });
    const p = this.commands();
    const collected: [typeof asked, (replies: unknown[]) => (Buffer | null)[]][] = [];
    for (const [b, list] of byBucket(asked, (x) => this.layout.bucketOf(x.key))) {
      const E = this.layout.evidence(period, b);
      collected.push([list, this.queueBinaryReads(p, b, E, list.map((x) => ['base', x.key, x.field] as const))]);
    }
    const replies = await this.exec('getBase', period, p);
    const found = new Map<string, Buffer>();
    for (const [list, collect] of collected) {
      const values = collect(replies);
      list.forEach((x, i) => {
        const v = values[i];
        if (v) found.set(x.key, v);
      });
    }
    // Run ids are names of the table too: one assigned by another instance is loaded once.
    const runTokens = new Set<string>();
    for (const buf of found.values()) runTokens.add(FileTable.token(String(baseRunId(buf))));
    await this.names.ensureNames(period, runTokens);
    const heads = this.names.ids(period, HOUSEHOLD_HEAD);
    await this.withNames(this.names, 'getBase', period, () => {
      for (const k of keys) {
        const v = found.get(k);
        if (v === undefined || out.has(k)) continue;
        out.set(
          k,
          unpackBaseBytes(
            k,
            v,
            (id) => {
              const name = this.names.nameOfId(period, String(id));
              if (name === undefined) throw new Error(`RedisMatchState.getBase (period ${period}): run id ${id} is not in the period's name table; the state is inconsistent: rebuild it`);
              return name.slice(RUN_ID.length);
            },
            heads,
          ),
        );
      }
    });
    return out;
  }

  async addOccurrences(period: string, items: readonly { program: Source; nik: string; occ: Occurrence }[]): Promise<Map<string, OccurrenceChange>> {
    const out = new Map<string, OccurrenceChange>();
    if (items.length === 0) return out;
    // Per script call, its fields (`program|nik`) in the order the script answers them.
    const sent: string[][] = [];
    const programs = new Map<string, Source>();
    const p = this.commands();
    for (const [b, list] of byBucket(items, (i) => this.layout.bucketOf(i.nik))) {
      const E = this.layout.evidence(period, b);
      for (const chunk of chunkByKey(list, (i) => occurrenceKey(i.program, i.nik), this.chunkSize)) {
        const keys = new KeyList(this.layout, E);
        keys.of(TOKEN_TABLE);
        const byField = new Map<string, (typeof chunk)[number][]>();
        for (const item of chunk) {
          checkRow(item.occ.row, item.occ.file);
          const field = occurrenceKey(item.program, item.nik);
          programs.set(field, item.program);
          const fl = byField.get(field);
          if (fl) fl.push(item);
          else byField.set(field, [item]);
        }
        const blob = new BlobWriter().int(byField.size);
        for (const [field, fl] of byField) {
          const first = fl[0] as (typeof fl)[number];
          blob.str(occurrenceField(first.program, first.nik)).int(keys.hash('occ', field)).int(keys.unique(`occ:l:${field}`)).int(fl.length);
          for (const { program, occ } of fl) blob.int(keys.of(`occ:seen:${program}:${occ.file}`)).int(occ.row).str(orderToken(occ.file, occ.row));
        }
        sent.push([...byField.keys()]);
        p.on(b).padanMatchAddOccurrences(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
      }
    }
    const found = new Map<string, OccurrenceChange>();
    (await this.exec('addOccurrences', period, p)).forEach((reply, j) => {
      const flat = reply as (string | number)[];
      let i = 0;
      for (const field of sent[j] as string[]) {
        const program = programs.get(field) as Source;
        const n = Number(flat[i + 2]);
        found.set(field, {
          count: Number(flat[i]),
          first: occurrenceOf(period, program, String(flat[i + 1])),
          all: n > 0 ? flat.slice(i + 3, i + 3 + n).map((t) => occurrenceOf(period, program, String(t))).sort(compareByFileRow) : null,
        });
        i += 3 + n;
      }
    });
    // In the order of the items, as the memory state answers.
    for (const item of items) {
      const field = occurrenceKey(item.program, item.nik);
      if (!out.has(field)) out.set(field, found.get(field) as OccurrenceChange);
    }
    return out;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, OccurrenceSummary>> {
    const out = new Map<string, OccurrenceSummary>();
    if (pairs.length === 0) return out;
    const p = this.commands();
    const collected: [{ program: Source; nik: string }[], (replies: unknown[]) => (string | null)[]][] = [];
    for (const [b, list] of byBucket(pairs, (x) => this.layout.bucketOf(x.nik))) {
      const E = this.layout.evidence(period, b);
      collected.push([
        list,
        this.queueTokenValues(
          p,
          b,
          E,
          list.map((x) => ['occ', occurrenceKey(x.program, x.nik), occurrenceField(x.program, x.nik)] as const),
          0,
        ),
      ]);
    }
    const replies = await this.exec('occurrences', period, p);
    const found = new Map<string, OccurrenceSummary>();
    for (const [list, collect] of collected) {
      const values = collect(replies);
      list.forEach(({ program, nik }, i) => {
        const v = values[i];
        found.set(occurrenceKey(program, nik), v ? parseOccurrenceValue(period, program, v) : { first: null, count: 0 });
      });
    }
    for (const { program, nik } of pairs) {
      const k = occurrenceKey(program, nik);
      if (!out.has(k)) out.set(k, found.get(k) as OccurrenceSummary);
    }
    return out;
  }

  async addFamilyMembers(period: string, items: readonly FamilyItem[]): Promise<Map<string, FamilyChange>> {
    const out = new Map<string, FamilyChange>();
    if (items.length === 0) return out;
    const p = this.commands();
    for (const [b, list] of byBucket(items, (i) => this.layout.bucketOf(i.family))) {
      const E = this.layout.evidence(period, b);
      for (const chunk of chunkByKey(list, (i) => i.family, this.chunkSize)) {
        const keys = new KeyList(this.layout, E);
        keys.of(TOKEN_TABLE);
        const byFamily = new Map<string, FamilyItem[]>();
        for (const item of chunk) {
          checkRow(item.row, item.file);
          const fl = byFamily.get(item.family);
          if (fl) fl.push(item);
          else byFamily.set(item.family, [item]);
        }
        const blob = new BlobWriter().int(byFamily.size);
        for (const [family, fl] of byFamily) {
          blob.str(family).int(keys.hash('fam', family)).int(keys.unique(`fam:l:${family}`)).int(fl.length);
          for (const m of fl) {
            // The member is stored as its program and order token; its key is read back from them.
            if (m.key !== `${period}/${m.program}/${m.file}#${m.row}`) throw new Error(`RedisMatchState.addFamilyMembers (period ${period}): a member's key is not the record key of its program, file and row (internal error)`);
            blob.int(keys.of(`fam:seen:${m.program}:${m.file}`)).int(m.row).str(programCode(m.program) + orderToken(m.file, m.row));
          }
        }
        p.on(b).padanMatchAddFamilyMembers(keys.keys.length, (keys.keys as Arg[]).concat(blob.done()));
      }
    }
    const found = new Map<string, FamilyChange>();
    for (const reply of await this.exec('addFamilyMembers', period, p)) {
      const flat = reply as (string | number)[];
      for (let i = 0; i < flat.length; ) {
        const family = String(flat[i]);
        const members = Number(flat[i + 1]);
        const np = Number(flat[i + 2]);
        const programs = new Set(flat.slice(i + 3, i + 3 + np).map((x) => programOfCode(String(x))));
        i += 3 + np;
        const nf = Number(flat[i]);
        const firstOf = new Set(flat.slice(i + 1, i + 1 + nf).map((x) => programOfCode(String(x))));
        i += 1 + nf;
        const na = Number(flat[i]);
        let all: Map<Source, string[]> | null = null;
        if (na > 0) {
          all = new Map();
          for (const x of flat.slice(i + 1, i + 1 + na)) {
            const m = String(x);
            const program = programOfCode(m[0] as string);
            const { key } = recordAt(period, program, m, 1);
            const keys = all.get(program);
            if (keys) keys.push(key);
            else all.set(program, [key]);
          }
        }
        i += 1 + na;
        found.set(family, { members, programs, firstOf, all });
      }
    }
    for (const item of items) if (!out.has(item.family)) out.set(item.family, found.get(item.family) as FamilyChange);
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilySummary>> {
    const found = new Map<string, string>();
    if (families.length > 0) {
      const p = this.commands();
      const collected: [string[], (replies: unknown[]) => (string | null)[]][] = [];
      for (const [b, list] of byBucket([...new Set(families)], (f) => this.layout.bucketOf(f))) {
        collected.push([list, this.queueTokenValues(p, b, this.layout.evidence(period, b), list.map((f) => ['fam', f, f] as const), 1)]);
      }
      const replies = await this.exec('familyMembers', period, p);
      for (const [list, collect] of collected) {
        const values = collect(replies);
        list.forEach((f, i) => {
          const v = values[i];
          if (v !== null && v !== undefined) found.set(f, v);
        });
      }
    }
    const out = new Map<string, FamilySummary>();
    for (const f of families) {
      if (out.has(f)) continue;
      const v = found.get(f);
      out.set(f, v ? parseFamilyValue(v) : { members: 0, programs: new Set() });
    }
    return out;
  }
}

/** Bits to set, as mark-seen.lua reads them. */
function bitsBlob(rows: readonly number[]): Buffer {
  const blob = new BlobWriter().int(rows.length);
  for (const r of rows) blob.int(r);
  return blob.done();
}

/** DTKS rows by file, each row once. */
function rowsByFile(persons: readonly DtksPerson[]): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const r of persons) {
    const s = out.get(r.file);
    if (s) s.add(r.row);
    else out.set(r.file, new Set([r.row]));
  }
  return new Map([...out].map(([f, s]) => [f, [...s]]));
}
