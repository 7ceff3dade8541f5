/**
 * The match state in Redis: the DTKS index of each period's release and the period's evidence,
 * shared by every match instance.
 *
 * Key layout. P is `keyPrefix` (default `padan:`); every key of a period carries the hash tag
 * `{period}`, so all of a period's keys share one Cluster slot and one Lua script may touch any of
 * them. Values use the packed encodings of state-codec.ts; F = U+001F (fields), L = U+001E (list
 * items), G = U+001D (persons of one NIK).
 *
 * | key                              | type   | content                                                                    |
 * |----------------------------------|--------|----------------------------------------------------------------------------|
 * | P{period}:dtks                   | hash   | NIK → the one row's packPerson, or (several rows) U+001C, S or D (the      |
 * |                                  |        | DUPLICATE_IN_DTKS detail), the representatives joined by G (nik-group.ts)  |
 * | P{period}:dtks:n                 | hash   | NIK → rows holding it, for NIKs held by several rows                       |
 * | P{period}:dtks:m:<nik>           | list   | packed rows of a NIK held by several rows, arrival order (re-emitted when  |
 * |                                  |        | the group turns DIFFERENT_PERSON)                                          |
 * | P{period}:dtks:bd:<date>         | set    | `nik F nameKey` of DTKS persons born on <date> (YYYY-MM-DD)                |
 * | P{period}:dtks:kk                | hash   | No. KK → DTKS household ids, joined by L                                   |
 * | P{period}:dtks:expected          | hash   | DTKS file → rows announced by ingest                                       |
 * | P{period}:seen:<file>            | bitmap | bit <row> set once DTKS row <row> of <file> is indexed (or, invalid, seen) |
 * | P{period}:held                   | list   | ids of held batches (SHA-1 of their JSON), arrival order                   |
 * | P{period}:held:data              | hash   | id → NormalizedBatch JSON; a redelivered batch is held once                |
 * | P{period}:base                   | hash   | record key → packBase                                                      |
 * | P{period}:occ                    | hash   | `program|nik` → `count F order F file F row` of the first occurrence       |
 * | P{period}:occ:l:<program|nik>    | list   | every occurrence `file F row`, arrival order, once there are two           |
 * | P{period}:occ:seen:<program>:<f> | bitmap | bit <row> set once row <row> of file <f> is counted as an occurrence      |
 * | P{period}:fam                    | hash   | family → `count`, then per program `L program F order F key` of its first  |
 * | P{period}:fam:l:<family>         | list   | every member `program F key`, arrival order, once there are two            |
 * | P{period}:fam:seen:<program>:<f> | bitmap | bit <row> set once row <row> of file <f> is counted as a family member    |
 *
 * Per NIK, `program|nik` and family, a hash field holds a summary of constant size (or the distinct
 * persons of a NIK), and the full membership goes to a list only once there are two members: a
 * period holds ~1 M of each and nearly all have one member, while one NIK repeated 20 000 times
 * must cost O(1) per row (RPUSH), never a rewrite of everything it holds. The lists are read only
 * when every member's result changes anyway (see MatchState). Set semantics come from the seen
 * bitmaps (SETBIT returns the old bit): a redelivered row changes nothing.
 * "First" is compareByFileRow's order (file name, then numeric row). Lua's `<` uses the server's
 * locale, so scripts compare `orderToken`s byte by byte (LESS), which orders them the same way.
 * The DUPLICATE_IN_DTKS rule is TypeScript (core), so addDtksPersons reads the NIK's value,
 * computes the new one and lets the script write it only if unchanged (compare-and-set).

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
import { compareByFileRow } from '@padan/core';
import type { DtksPerson, SuggestionCandidate } from '@padan/core';
import type { BaseResult, DtksGroup, DtksNikChange, FamilyChange, FamilyItem, FamilySummary, MatchState, Occurrence, OccurrenceChange, OccurrenceSummary } from '../port/match-state.js';
import { occurrenceKey } from '../port/match-state.js';
import { F, L, membersByProgram, packBase, packPerson, unpackBase, unpackPerson } from '../codec/state-codec.js';
import { addToNikGroup, decodeNikGroup, encodeNikGroup } from '../codec/nik-group.js';
import type { NikGroupValue } from '../codec/nik-group.js';
import { luaScripts } from './lua-scripts.js';

type Arg = string | number | Buffer;

/** The scripts, as ioredis defines them on a client and its pipelines (EVALSHA, EVAL on NOSCRIPT). */
interface ScriptPipeline {
  // Keys and arguments as one array (ioredis flattens it), never spread into the call: one NIK
  // repeated 20 000 times is 140 000 arguments, past what a call's argument list can hold.
  padanMatchAddDtks(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddOccurrences(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
  padanMatchAddFamilyMembers(numKeys: number, keysAndArgs: Arg[]): ScriptPipeline;
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

/**
 * A token whose byte order is compareByFileRow's order of (file, row): the file's UTF-16 code
 * units in hex (JS compares strings by code unit), a space (below every hex digit, so a file name
 * sorts before its extensions), the row in 10 digits. Lua compares these bytewise (see LESS).
 */
export function orderToken(file: string, row: number): string {
  let hex = '';
  for (let i = 0; i < file.length; i++) hex += file.charCodeAt(i).toString(16).padStart(4, '0');
  return `${hex} ${String(row).padStart(10, '0')}`;
}

function occurrenceOf(period: string, program: string, token: string): Occurrence {
  const at = token.indexOf(F);
  const file = token.slice(0, at);
  const row = token.slice(at + 1);
  return { file, row: Number(row), key: `${period}/${program}/${file}#${row}` };
}

/** `count F order F token` of an occurrence field. */
function parseOccurrenceValue(period: string, program: string, value: string): OccurrenceSummary {
  const a = value.indexOf(F);
  const b = value.indexOf(F, a + 1);
  return { count: Number(value.slice(0, a)), first: occurrenceOf(period, program, value.slice(b + 1)) };
}

/** `count`, then per program `L program F order F key`, of a family field. */
function parseFamilyValue(value: string): FamilySummary {
  const parts = value.split(L);
  return { members: Number(parts[0]), programs: new Set(parts.slice(1).map((p) => p.slice(0, p.indexOf(F)) as Source)) };
}

function checkRow(row: number, file: string): void {
  if (!Number.isInteger(row) || row < 0 || row >= 2 ** 32) throw new Error(`RedisMatchState: row ${row} of ${file} is not an integer from 0 to 2^32-1`);
}

/** KEYS of one script call: fixed keys first, then others by 1-based index, each listed once. */
class KeyList {
  readonly keys: string[];
  private readonly index = new Map<string, number>();
  constructor(fixed: readonly string[]) {
    this.keys = [...fixed];
  }
  of(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      this.keys.push(key);
      i = this.keys.length;
      this.index.set(key, i);
    }
    return i;
  }
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
    for (const [name, lua] of Object.entries(luaScripts())) this.redis.defineCommand(name, { lua });
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

  async addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksNikChange>> {
    const out = new Map<string, DtksNikChange>();
    const k = this.base(period);
    let pending = persons;
    // Compare-and-set: a NIK's value is computed here (the duplicate rule is TypeScript) from the
    // value read, and the script writes it only if the value is still the one read. Rows of one NIK
    // come from one partition, so a retry is rare (a rebalance overlapping two instances).
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 20) throw new Error(`RedisMatchState.addDtksPersons (period ${period}): a NIK kept changing under 20 attempts; is another process writing this period?`);
      const byNik = new Map<string, DtksPerson[]>();
      for (const person of pending) {
        checkRow(person.row, person.file);
        const rows = byNik.get(person.nik);
        if (rows) rows.push(person);
        else byNik.set(person.nik, [person]);
      }
      const niks = [...byNik.keys()];
      const read = this.pipeline();
      const parts = chunks(niks, this.chunkSize);
      for (const part of parts) read.hmget(`${k}dtks`, ...part);
      const before = new Map<string, string | null>();
      (await this.exec('addDtksPersons', period, read)).forEach((values, c) => {
        (parts[c] as string[]).forEach((nik, i) => before.set(nik, (values as (string | null)[])[i] ?? null));
      });
      const computed = new Map<string, { old: NikGroupValue | null; next: NikGroupValue }>();
      const p = this.pipeline();
      for (const chunk of chunkByKey(pending, (x) => x.nik, this.chunkSize)) {
        const keys = new KeyList([`${k}dtks`, `${k}dtks:n`, `${k}dtks:kk`]);
        const args: Arg[] = [0];
        let count = 0;
        let nik = '';
        for (const person of chunk) {
          if (person.nik === nik) continue;
          nik = person.nik;
          count++;
          const rows = byNik.get(nik) as DtksPerson[];
          const cur = before.get(nik) ?? null;
          const old = cur === null ? null : decodeNikGroup(cur);
          // A row given twice in one call is sent twice (the script reports the second as
          // redelivered, as the memory state does) but counted once here.
          const distinct = new Map<string, DtksPerson>();
          for (const r of rows) if (!distinct.has(`${r.file}${F}${r.row}`)) distinct.set(`${r.file}${F}${r.row}`, r);
          const next = addToNikGroup(old, [...distinct.values()]);
          computed.set(nik, { old, next });
          args.push(nik, cur ?? '', encodeNikGroup(next), next.detail === 'DIFFERENT_PERSON' ? '1' : '', old?.detail === 'DIFFERENT_PERSON' ? '1' : '', keys.of(`${k}dtks:m:${nik}`), rows.length);
          for (const r of rows) {
            const withKk = r.noKk && r.householdId;
            args.push(
              keys.of(`${k}seen:${r.file}`),
              r.row,
              packPerson(r),
              r.birthDate ? keys.of(`${k}dtks:bd:${r.birthDate}`) : 0,
              r.birthDate ? `${r.nik}${F}${r.nameKey}` : '',
              withKk ? (r.noKk as string) : '',
              withKk ? (r.householdId as string) : '',
            );
          }
        }
        args[0] = count;
        p.padanMatchAddDtks(keys.keys.length, (keys.keys as Arg[]).concat(args));
      }
      const retry = new Set<string>();
      for (const reply of await this.exec('addDtksPersons', period, p)) {
        const flat = reply as (string | number)[];
        for (let i = 0; i < flat.length; ) {
          const nik = String(flat[i]);
          if (flat[i + 1] === 'retry') {
            retry.add(nik);
            i += 2;
            continue;
          }
          const rows = Number(flat[i + 2]);
          const rowsBefore = Number(flat[i + 3]);
          const n = Number(flat[i + 6]);
          const { old, next } = computed.get(nik) as { old: NikGroupValue | null; next: NikGroupValue };
          out.set(nik, {
            rows,
            rowsBefore,
            // The script wrote `next` only if the NIK gained rows; otherwise the value read stands.
            detail: rows > rowsBefore ? next.detail : (old?.detail ?? null),
            detailBefore: old?.detail ?? null,
            redelivered: Number(flat[i + 4]) === 1,
            first: unpackPerson(String(flat[i + 5])),
            all: n > 0 ? flat.slice(i + 7, i + 7 + n).map((m) => unpackPerson(String(m))) : null,
          });
          i += 7 + n;
        }
      }
      pending = pending.filter((x) => retry.has(x.nik));
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

  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksGroup>> {
    const out = new Map<string, DtksGroup>();
    if (niks.length === 0) return out;
    const k = this.base(period);
    const parts = chunks(niks, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) {
      p.hmget(`${k}dtks`, ...part);
      p.hmget(`${k}dtks:n`, ...part);
    }
    const replies = await this.exec('dtksByNik', period, p);
    parts.forEach((part, c) => {
      const values = replies[2 * c] as (string | null)[];
      const counts = replies[2 * c + 1] as (string | null)[];
      part.forEach((nik, i) => {
        const g = values[i];
        if (g) out.set(nik, { persons: [...decodeNikGroup(g).reps], rows: Number(counts[i] ?? 1) });
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

  async addOccurrences(period: string, items: readonly { program: Source; nik: string; occ: Occurrence }[]): Promise<Map<string, OccurrenceChange>> {
    const out = new Map<string, OccurrenceChange>();
    if (items.length === 0) return out;
    const k = this.base(period);
    const programs = new Map<string, Source>();
    const p = this.pipeline();
    for (const chunk of chunkByKey(items, (i) => occurrenceKey(i.program, i.nik), this.chunkSize)) {
      const keys = new KeyList([`${k}occ`]);
      const byField = new Map<string, (typeof chunk)[number][]>();
      for (const item of chunk) {
        checkRow(item.occ.row, item.occ.file);
        const field = occurrenceKey(item.program, item.nik);
        programs.set(field, item.program);
        const list = byField.get(field);
        if (list) list.push(item);
        else byField.set(field, [item]);
      }
      const args: Arg[] = [byField.size];
      for (const [field, list] of byField) {
        args.push(field, keys.of(`${k}occ:l:${field}`), list.length);
        for (const { program, occ } of list) {
          args.push(keys.of(`${k}occ:seen:${program}:${occ.file}`), occ.row, `${occ.file}${F}${occ.row}`, orderToken(occ.file, occ.row));
        }
      }
      p.padanMatchAddOccurrences(keys.keys.length, (keys.keys as Arg[]).concat(args));
    }
    for (const reply of await this.exec('addOccurrences', period, p)) {
      const flat = reply as (string | number)[];
      for (let i = 0; i < flat.length; ) {
        const field = String(flat[i]);
        const program = programs.get(field) as Source;
        const n = Number(flat[i + 3]);
        out.set(field, {
          count: Number(flat[i + 1]),
          first: occurrenceOf(period, program, String(flat[i + 2])),
          all: n > 0 ? flat.slice(i + 4, i + 4 + n).map((t) => occurrenceOf(period, program, String(t))).sort(compareByFileRow) : null,
        });
        i += 4 + n;
      }
    }
    return out;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, OccurrenceSummary>> {
    const out = new Map<string, OccurrenceSummary>();
    if (pairs.length === 0) return out;
    const key = `${this.base(period)}occ`;
    const parts = chunks(pairs, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part.map((x) => occurrenceKey(x.program, x.nik)));
    const replies = await this.exec('occurrences', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach(({ program, nik }, i) => {
        const v = values[i];
        out.set(occurrenceKey(program, nik), v ? parseOccurrenceValue(period, program, v) : { first: null, count: 0 });
      });
    });
    return out;
  }

  async addFamilyMembers(period: string, items: readonly FamilyItem[]): Promise<Map<string, FamilyChange>> {
    const out = new Map<string, FamilyChange>();
    if (items.length === 0) return out;
    const k = this.base(period);
    const p = this.pipeline();
    for (const chunk of chunkByKey(items, (i) => i.family, this.chunkSize)) {
      const keys = new KeyList([`${k}fam`]);
      const byFamily = new Map<string, FamilyItem[]>();
      for (const item of chunk) {
        checkRow(item.row, item.file);
        const list = byFamily.get(item.family);
        if (list) list.push(item);
        else byFamily.set(item.family, [item]);
      }
      const args: Arg[] = [byFamily.size];
      for (const [family, list] of byFamily) {
        args.push(family, keys.of(`${k}fam:l:${family}`), list.length);
        for (const m of list) args.push(keys.of(`${k}fam:seen:${m.program}:${m.file}`), m.row, m.program, orderToken(m.file, m.row), m.key);
      }
      p.padanMatchAddFamilyMembers(keys.keys.length, (keys.keys as Arg[]).concat(args));
    }
    for (const reply of await this.exec('addFamilyMembers', period, p)) {
      const flat = reply as (string | number)[];
      for (let i = 0; i < flat.length; ) {
        const family = String(flat[i]);
        const members = Number(flat[i + 1]);
        const np = Number(flat[i + 2]);
        const programs = new Set(flat.slice(i + 3, i + 3 + np).map((x) => String(x) as Source));
        i += 3 + np;
        const nf = Number(flat[i]);
        const firstOf = new Set(flat.slice(i + 1, i + 1 + nf).map((x) => String(x) as Source));
        i += 1 + nf;
        const na = Number(flat[i]);
        const all = na > 0 ? membersByProgram(flat.slice(i + 1, i + 1 + na).map(String)) : null;
        i += 1 + na;
        out.set(family, { members, programs, firstOf, all });
      }
    }
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilySummary>> {
    const out = new Map<string, FamilySummary>();
    if (families.length === 0) return out;
    const key = `${this.base(period)}fam`;
    const parts = chunks(families, this.chunkSize);
    const p = this.pipeline();
    for (const part of parts) p.hmget(key, ...part);
    const replies = await this.exec('familyMembers', period, p);
    parts.forEach((part, c) => {
      const values = replies[c] as (string | null)[];
      part.forEach((f, i) => {
        const v = values[i];
        out.set(f, v ? parseFamilyValue(v) : { members: 0, programs: new Set() });
      });
    });
    return out;
  }

}
