import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileCompleted, MatchResult, NormalizedBatch, NormalizedRecord, Source } from '@padan/contracts';
import { recordKey } from '@padan/contracts';
import { DEFAULT_PROGRAM_RULES, nameKey } from '@padan/core';
import type { DtksPerson } from '@padan/core';
import { MatchStage } from '@padan/pipeline';
import { MemoryMatchState, RedisMatchState } from '@padan/match-state';
import type { BaseResult, MatchState, RedisMatchStateOptions } from '@padan/match-state';
import { matchStateConformance, normalizedBatch, person } from '../helpers/match-state-conformance.js';
import { deleteKeysWithPrefix, redisUrl, testKeyPrefix } from '../helpers/redis.js';

// Integration tests of RedisMatchState against a real Redis (REDIS_URL). Every state writes under
// its own `padan-test-<uuid>:` prefix, deleted when the test ends.

type Client = RedisMatchState['redis'];

const opened: { state: RedisMatchState; prefix: string }[] = [];

function redisState(options: RedisMatchStateOptions = {}, prefix = testKeyPrefix()): RedisMatchState {
  const state = new RedisMatchState(redisUrl(), { ...options, keyPrefix: prefix });
  opened.push({ state, prefix });
  return state;
}

async function dispose(state: RedisMatchState): Promise<void> {
  await deleteKeysWithPrefix(state.redis as Parameters<typeof deleteKeysWithPrefix>[0], state.keyPrefix);
  await state.close();
  const at = opened.findIndex((o) => o.state === state);
  if (at >= 0) opened.splice(at, 1);
}

afterAll(async () => {
  // States a failed test could not dispose of.
  for (const { state } of [...opened]) await dispose(state).catch(() => undefined);
});

/** Every key under a prefix with its content, for before/after comparisons. */
async function dumpKeys(redis: Client, prefix: string): Promise<Record<string, unknown>> {
  const r = redis;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await r.type(key);
    if (type === 'hash') out[key] = Object.entries(await r.hgetall(key)).sort();
    else if (type === 'set') out[key] = (await r.smembers(key)).sort();
    else if (type === 'list') out[key] = await r.lrange(key, 0, -1);
    else if (type === 'string') out[key] = (await r.getBuffer(key))?.toString('base64');
    else out[key] = type;
  }
  return out;
}

describe('RedisMatchState', () => {
  it('needs REDIS_URL and says how to get one', () => {
    expect(redisUrl()).toMatch(/^rediss?:\/\//);
  });

  // Redis with default chunks and with tiny chunks (every batch split over many script calls); the
  // reference adapter runs against itself in packages/match-state.
  matchStateConformance('RedisMatchState', () => {
    const state = redisState();
    return { state, dispose: () => dispose(state) };
  });
  matchStateConformance('RedisMatchState, chunks of 7', () => {
    const state = redisState({ chunkSize: 7, heldChunkSize: 4 });
    return { state, dispose: () => dispose(state) };
  });

  it('keys a period by bucket hash tags, its DTKS release under r:<period> and its evidence under p:<period>:g<generation>', async () => {
    const state = redisState();
    try {
      const P = '2021-09';
      await state.addDtksPersons(P, [person('1571010101800001', 'dtks.csv', 1, { noKk: 'KK1', householdId: 'HH1' })]);
      await state.markDtksRowsSeen(P, 'dtks.csv', [1]);
      await state.setDtksExpected(P, 'dtks.csv', 1);
      await state.holdBatch(P, normalizedBatch(P, 'PKH', 'pkh.csv', [1]));
      await state.putBase(P, []);
      await state.addOccurrences(P, [{ program: 'PKH', nik: '1571010101800001', occ: { file: 'pkh.csv', row: 1, key: `${P}/PKH/pkh.csv#1` } }]);
      await state.addFamilyMembers(P, [{ family: 'H:HH1', program: 'PKH', file: 'pkh.csv', row: 1, key: `${P}/PKH/pkh.csv#1` }]);
      const keys = Object.keys(await dumpKeys(state.redis, state.keyPrefix));
      const shape = new RegExp(`^${state.keyPrefix}\\{([^}]+)\\}:(r:${P}|p:${P}:g0):(.+)$`);
      const names: string[] = [];
      for (const k of keys) {
        const m = shape.exec(k);
        expect(m, k).not.toBeNull();
        expect(state.layout.tags).toContain(m?.[1]);
        // Per-item hashes are split into small hashes `<name>:<n>` (listpack-encoded).
        names.push(`${m?.[2]?.[0]}:${m?.[3]?.replace(/^(dtks|kk|base|occ|fam|bd):\d+$/, '$1:<n>')}`);
      }
      expect(names.sort()).toEqual(
        // The token table of the occurrence's bucket and of the family's (two buckets here).
        ['r:dtks:<n>', 'r:bd:<n>', 'r:expected', 'r:files', 'r:kk:<n>', 'r:seen:dtks.csv', 'p:fam:<n>', 'p:fam:seen:PKH:pkh.csv', 'p:held', 'p:held:data', 'p:occ:<n>', 'p:occ:seen:PKH:pkh.csv', 'p:tokens', 'p:tokens'].sort(),
      );
      const defaults = new RedisMatchState(state.redis);
      expect(defaults.keyPrefix).toBe('padan:');
      expect(() => new RedisMatchState(state.redis, { keyPrefix: 'padan:{x}:' })).toThrow(/must not contain/);
      expect(await state.purgePeriod(P)).toBe(keys.length);
      expect(await dumpKeys(state.redis, state.keyPrefix)).toEqual({});
    } finally {
      await dispose(state);
    }
  });

  // The file of an occurrence or family member is stored as its id in the bucket's token table:
  // `pbi-2021-09.csv` took 16 of the 22 bytes of every order token. What the port answers is the
  // same (the conformance suite); this pins that the name is not what is stored.
  it("stores an order token's file as its id in the bucket's token table, and answers its name", async () => {
    const state = redisState();
    try {
      const P = '2021-09';
      const file = 'pbi-2021-09.csv';
      const nik = '1571010101800001';
      await state.addOccurrences(P, [{ program: 'PBI', nik, occ: { file, row: 7, key: `${P}/PBI/${file}#7` } }]);
      await state.addFamilyMembers(P, [{ family: 'H:HH1', program: 'PBI', file, row: 7, key: `${P}/PBI/${file}#7` }]);
      const dump = await dumpKeys(state.redis, state.keyPrefix);
      const values = Object.entries(dump)
        .filter(([k]) => /:(occ|fam):\d+$/.test(k))
        .flatMap(([, fields]) => (fields as [string, string][]).map(([, v]) => v));
      expect(values).toHaveLength(2);
      for (const v of values) expect(v).not.toContain('qcj'); // `pbi` as order-token bytes (code unit + 1)
      expect(values.map((v) => v.length).sort()).toEqual([10, 11]); // `1`, U+001F, [letter,] id `1`, 0x00, 6 row digits
      expect((await state.occurrences(P, [{ program: 'PBI', nik }])).get(`PBI|${nik}`)).toEqual({ count: 1, first: { file, row: 7, key: `${P}/PBI/${file}#7` } });
      expect((await state.familyMembers(P, ['H:HH1'])).get('H:HH1')).toEqual({ members: 1, programs: new Set(['PBI']) });
    } finally {
      await dispose(state);
    }
  });

  it('a redelivered batch changes nothing: same answers, same counts, byte-identical Redis content', async () => {
    const state = redisState();
    try {
      const P = '2021-09';
      const persons: DtksPerson[] = Array.from({ length: 3000 }, (_, i) =>
        person(`1571${String(i % 2500).padStart(12, '0')}`, 'dtks.csv', i + 1, { noKk: `KK${i % 900}`, householdId: `HH${i % 1000}`, birthDate: `1980-01-${String(1 + (i % 28)).padStart(2, '0')}` }),
      );
      const occ = persons.slice(0, 1000).map((p, i) => ({ program: 'PKH' as const, nik: p.nik, occ: { file: `pkh-${i % 3}.csv`, row: i + 1, key: `${P}/PKH/pkh-${i % 3}.csv#${i + 1}` } }));
      const fam = persons.slice(0, 1000).map((p, i) => {
        const program = (i % 2 ? 'BST' : 'PKH') as Source;
        return { family: `H:${p.householdId}`, program, file: 'f.csv', row: i, key: `${P}/${program}/f.csv#${i}` };
      });
      const batch = normalizedBatch(P, 'BST', 'bst.csv', [1, 2, 3]);

      const apply = async () => [
        await state.addDtksPersons(P, persons),
        await state.markDtksRowsSeen(P, 'dtks.csv', persons.map((p) => p.row)),
        await state.addOccurrences(P, occ),
        await state.addFamilyMembers(P, fam),
        await state.holdBatch(P, batch),
      ];
      const first = await apply();
      const before = await dumpKeys(state.redis, state.keyPrefix);
      const second = await apply();
      const after = await dumpKeys(state.redis, state.keyPrefix);
      expect(after).toEqual(before);
      const d1 = first[0] as Awaited<ReturnType<MatchState['addDtksPersons']>>;
      const d2 = second[0] as Awaited<ReturnType<MatchState['addDtksPersons']>>;
      for (const [nik, c] of d1) expect(d2.get(nik)).toMatchObject({ rows: c.rows, rowsBefore: c.rows, detail: c.detail, redelivered: true });
      expect(first[1]).toBe(3000);
      expect(second[1]).toBe(3000);
      expect(await state.markDtksRowsSeen(P, 'dtks.csv', [])).toBe(3000);
      expect((await state.peekHeld(P)).length).toBe(1);
      // The answers depend on the state only, so the redelivery gets the first delivery's answers:
      // what it re-emits is what the first delivery may have failed to publish.
      expect(second[2]).toEqual(first[2]);
      expect(second[3]).toEqual(first[3]);
    } finally {
      await dispose(state);
    }
  });

  describe('two match instances on two connections', () => {
    it('of two concurrent adds to one family, at least one sees the other (200 rounds)', async () => {
      const prefix = testKeyPrefix();
      const a = redisState({}, prefix);
      const b = redisState({}, prefix);
      try {
        const P = '2021-09';
        let aSawB = 0;
        let bSawA = 0;
        for (let round = 0; round < 200; round++) {
          const family = `H:race-${round}`;
          // Issue the two calls in a random order, the second after a random number of ticks, so
          // either connection's script may run first.
          const bstFirst = Math.random() < 0.5;
          const jitter = async () => {
            for (let i = Math.floor(Math.random() * 3); i > 0; i--) await new Promise((r) => setImmediate(r));
          };
          const callA = async () => {
            if (!bstFirst) await jitter();
            return a.addFamilyMembers(P, [{ family, program: 'BST', file: 'bst.csv', row: round, key: `${P}/BST/bst.csv#${round}` }]);
          };
          const callB = async () => {
            if (bstFirst) await jitter();
            return b.addFamilyMembers(P, [{ family, program: 'PKH', file: 'pkh.csv', row: round, key: `${P}/PKH/pkh.csv#${round}` }]);
          };
          const [ra, rb] = bstFirst ? await Promise.all([callA(), callB()]) : (await Promise.all([callB(), callA()])).reverse() as [Awaited<ReturnType<typeof callA>>, Awaited<ReturnType<typeof callB>>];
          const seenByA = ra.get(family)?.programs.has('PKH') ?? false;
          const seenByB = rb.get(family)?.programs.has('BST') ?? false;
          // Never both blind (the conflict would be lost); never both seeing (the adds are atomic).
          expect(seenByA || seenByB).toBe(true);
          expect(seenByA && seenByB).toBe(false);
          const later = seenByA ? ra : rb;
          // Each is the first of its program in the family: the later one gets every member.
          expect([...(later.get(family)?.all?.keys() ?? [])].sort()).toEqual(['BST', 'PKH']);
          if (seenByA) aSawB++;
          else bSawA++;
        }
        expect(aSawB + bSawA).toBe(200);
        // Both orders happened: the test exercised the race, not one fixed order.
        expect(aSawB).toBeGreaterThan(0);
        expect(bSawA).toBeGreaterThan(0);
        console.log(`family race: instance A saw B first in ${aSawB} rounds, B saw A in ${bSawA}`);
      } finally {
        await dispose(a);
        await dispose(b);
      }
    });

    // Issue 7: base results store their program file and run id as ids of the period's name
    // table; an instance that did not assign them must read them from Redis, not miss the result.
    it('a base result written by one instance is read by the other (program file and run id ids assigned by the writer)', async () => {
      const prefix = testKeyPrefix();
      const a = redisState({}, prefix);
      const b = redisState({}, prefix);
      try {
        const P = '2021-09';
        const base = (file: string, row: number, runId: string): BaseResult => ({
          key: `${P}/PBI/${file}#${row}`, period: P, source: 'PBI', file, row, runId, format: 'csv', nikRaw: '1571010101800001', nik: '1571010101800001',
          nikValid: true, nama: 'SITI', reasons: ['NOT_IN_DTKS'], details: [], warnings: [], suggestedNik: null, householdId: 'HH1', regency: '1571', notChecked: [], family: 'H:HH1',
        });
        // b learns the table first (one file), then a adds a file and a run id b has never seen.
        await b.putBase(P, [base('pbi-1.csv', 1, 'run-1')]);
        await a.putBase(P, [base('pbi-2.csv', 7, 'run-2'), base('pbi-1.csv', 2, 'run-2')]);
        const got = await b.getBase(P, [`${P}/PBI/pbi-2.csv#7`, `${P}/PBI/pbi-1.csv#2`, `${P}/PBI/pbi-1.csv#1`, `${P}/PBI/pbi-3.csv#1`, `${P}/PKH/pbi-1.csv#1`]);
        expect([...got.keys()]).toEqual([`${P}/PBI/pbi-2.csv#7`, `${P}/PBI/pbi-1.csv#2`, `${P}/PBI/pbi-1.csv#1`]);
        expect(got.get(`${P}/PBI/pbi-2.csv#7`)).toEqual(base('pbi-2.csv', 7, 'run-2'));
        expect(got.get(`${P}/PBI/pbi-1.csv#2`)?.runId).toBe('run-2');
        expect(got.get(`${P}/PBI/pbi-1.csv#1`)?.runId).toBe('run-1');
      } finally {
        await dispose(a);
        await dispose(b);
      }
    });

    it("household ids' heads assigned by one instance are read by the other (its name tables reload once)", async () => {
      const prefix = testKeyPrefix();
      const a = redisState({}, prefix);
      const b = redisState({}, prefix);
      try {
        const P = '2021-09';
        const [NIK_1, NIK_2] = ['1571010101800001', '1571010101800002'];
        const base = (row: number, householdId: string): BaseResult => ({
          key: `${P}/PBI/pbi.csv#${row}`, period: P, source: 'PBI', file: 'pbi.csv', row, runId: 'run', format: 'csv', nikRaw: NIK_1, nik: NIK_1,
          nikValid: true, nama: 'SITI', reasons: [], details: [], warnings: [], suggestedNik: null, householdId, regency: '1571', notChecked: [], family: `H:${householdId}`,
        });
        // b learns both tables first (head `HH`), then a writes heads b has never seen.
        await b.addDtksPersons(P, [person(NIK_2, 'dtks.csv', 1, { householdId: 'HH1' })]);
        await b.putBase(P, [base(1, 'HH1')]);
        await a.addDtksPersons(P, [person(NIK_1, 'dtks.csv', 2, { householdId: 'DTKS158051792253' })]);
        await a.putBase(P, [base(2, 'DTKS158051792253'), base(3, 'RT-É9')]);
        expect((await b.dtksByNik(P, [NIK_1, NIK_2])).get(NIK_1)?.persons[0]?.householdId).toBe('DTKS158051792253');
        const got = await b.getBase(P, [`${P}/PBI/pbi.csv#2`, `${P}/PBI/pbi.csv#3`, `${P}/PBI/pbi.csv#1`]);
        expect([...got.values()]).toEqual([base(2, 'DTKS158051792253'), base(3, 'RT-É9'), base(1, 'HH1')]);
        // c adds a row to a NIK that a created with a head c has not loaded (c's own row's head is
        // known): the add answers a's row, its head read from the reloaded table.
        const c = redisState({}, prefix);
        const NIK_3 = '1571010101800003';
        await c.addDtksPersons(P, [person(NIK_2, 'dtks.csv', 9, { householdId: 'HH1' })]);
        await a.addDtksPersons(P, [person(NIK_3, 'dtks.csv', 0, { householdId: 'K-7' })]);
        const change = (await c.addDtksPersons(P, [person(NIK_3, 'dtks.csv', 10, { householdId: 'HH1' })])).get(NIK_3);
        expect(change).toMatchObject({ rows: 2, rowsBefore: 1, first: { row: 0, householdId: 'K-7' } });
        await dispose(c);
      } finally {
        await dispose(a);
        await dispose(b);
      }
    });

    it('also when each call carries many families split over many script calls', async () => {
      const prefix = testKeyPrefix();
      const a = redisState({ chunkSize: 37 }, prefix);
      const b = redisState({ chunkSize: 53 }, prefix);
      try {
        const P = '2021-09';
        for (let round = 0; round < 20; round++) {
          const families = Array.from({ length: 500 }, (_, i) => `H:r${round}-f${i}`);
          const shuffled = [...families].sort(() => Math.random() - 0.5);
          const [ra, rb] = await Promise.all([
            a.addFamilyMembers(P, families.map((family, i) => ({ family, program: 'BST' as const, file: `bst-${round}.csv`, row: i, key: `${P}/BST/bst-${round}.csv#${i}` }))),
            b.addFamilyMembers(P, shuffled.map((family, i) => ({ family, program: 'PKH' as const, file: `pkh-${round}.csv`, row: i, key: `${P}/PKH/pkh-${round}.csv#${i}` }))),
          ]);
          for (const family of families) {
            const seenByA = ra.get(family)?.programs.has('PKH') ?? false;
            const seenByB = rb.get(family)?.programs.has('BST') ?? false;
            expect(seenByA !== seenByB).toBe(true);
          }
        }
      } finally {
        await dispose(a);
        await dispose(b);
      }
    });

    it('occurrences and DTKS rows of one key added concurrently: the later call sees both', async () => {
      const prefix = testKeyPrefix();
      const a = redisState({}, prefix);
      const b = redisState({}, prefix);
      try {
        const P = '2021-09';
        for (let round = 0; round < 100; round++) {
          const nik = `1571${String(round).padStart(12, '0')}`;
          const [oa, ob] = await Promise.all([
            // One row holds one record: rows differ from round to round.
            a.addOccurrences(P, [{ program: 'PKH', nik, occ: { file: 'pkh-1.csv', row: 1000 + round, key: `${P}/PKH/pkh-1.csv#${1000 + round}` } }]),
            b.addOccurrences(P, [{ program: 'PKH', nik, occ: { file: 'pkh-2.csv', row: round, key: `${P}/PKH/pkh-2.csv#${round}` } }]),
          ]);
          const counts = [oa.get(`PKH|${nik}`)?.count, ob.get(`PKH|${nik}`)?.count].sort();
          expect(counts).toEqual([1, 2]);
          const [da, db] = await Promise.all([
            a.addDtksPersons(P, [person(nik, 'dtks-1.csv', round + 1)]),
            b.addDtksPersons(P, [person(nik, 'dtks-2.csv', round + 1)]),
          ]);
          const [earlier, later] = [da.get(nik), db.get(nik)].sort((x, y) => (x?.rows ?? 0) - (y?.rows ?? 0));
          expect([earlier?.rows, later?.rows]).toEqual([1, 2]);
          expect(later).toMatchObject({ rowsBefore: 1, detail: 'SAME_PERSON' });
          expect(later?.first.file).toBe(earlier?.first.file);
        }
      } finally {
        await dispose(a);
        await dispose(b);
      }
    });
  });

  describe('MatchStage on RedisMatchState', () => {
    const results = (lists: MatchResult[][]) => lists.flat();
    /**
     * What report keeps: per record identity the result with the highest seq (the first one on a
     * tie). `seq` itself counts the evidence seen when the result was emitted, so it depends on the
     * arrival order; across orders compare `content` (the result without seq).
     */
    function latest(all: readonly MatchResult[]): Map<string, MatchResult> {
      const out = new Map<string, MatchResult>();
      for (const r of all) {
        const k = recordKey(r, r.row);
        const had = out.get(k);
        if (!had || r.seq > had.seq) out.set(k, r);
      }
      return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    const content = (m: Map<string, MatchResult>) => new Map([...m].map(([k, { seq: _seq, ...rest }]) => [k, rest]));

    function runInOrder(state: MatchState, steps: readonly (NormalizedBatch | FileCompleted)[]): Promise<MatchResult[]> {
      const stage = new MatchStage(state, DEFAULT_PROGRAM_RULES);
      return (async () => {
        const out: MatchResult[][] = [];
        for (const step of steps) out.push([...('records' in step ? await stage.onNormalized(step) : await stage.onFileCompleted(step)).results]);
        return results(out);
      })();
    }

    const P = '2021-09';
    const s = scenario(P);

    it('gives exactly the results of MemoryMatchState, DTKS first', async () => {
      const state = redisState();
      try {
        const order = [s.dtks1, s.dtks2, s.dtksDone, s.pkh, s.bst, s.sembako];
        const mem = await runInOrder(new MemoryMatchState(), order);
        const red = await runInOrder(state, order);
        expect(red).toEqual(mem);
        checkFindings(latest(mem));
      } finally {
        await dispose(state);
      }
    });

    it('gives exactly the results of MemoryMatchState when programs arrive before DTKS (held, then released)', async () => {
      const state = redisState({ heldChunkSize: 1 });
      try {
        const order = [s.bst, s.pkh, s.dtks2, s.sembako, s.dtksDone, s.dtks1];
        const mem = await runInOrder(new MemoryMatchState(), order);
        const red = await runInOrder(state, order);
        expect(red).toEqual(mem);
        const reference = latest(await runInOrder(new MemoryMatchState(), [s.dtks1, s.dtks2, s.dtksDone, s.pkh, s.bst, s.sembako]));
        expect(content(latest(red))).toEqual(content(reference));
        checkFindings(latest(red));
      } finally {
        await dispose(state);
      }
    });

    it('two MatchStages on two connections, BST and PKH of one family concurrently: the conflict is found (20 rounds)', async () => {
      const reference = latest(await runInOrder(new MemoryMatchState(), [s.dtks1, s.dtks2, s.dtksDone, s.pkh, s.bst, s.sembako]));
      for (let round = 0; round < 20; round++) {
        const prefix = testKeyPrefix();
        const one = redisState({}, prefix);
        const two = redisState({}, prefix);
        try {
          const stage1 = new MatchStage(one, DEFAULT_PROGRAM_RULES);
          const stage2 = new MatchStage(two, DEFAULT_PROGRAM_RULES);
          const out: MatchResult[] = [];
          out.push(...(await stage1.onNormalized(s.dtks1)).results, ...(await stage2.onNormalized(s.dtks2)).results);
          out.push(...(await stage2.onFileCompleted(s.dtksDone)).results);
          const [r1, r2, r3] = await Promise.all([stage1.onNormalized(s.bst), stage2.onNormalized(s.pkh), stage2.onNormalized(s.sembako)]);
          out.push(...r1.results, ...r2.results, ...r3.results);
          expect(content(latest(out))).toEqual(content(reference));
          checkFindings(latest(out));
        } finally {
          await dispose(one);
          await dispose(two);
        }
      }
    });
  });

  it('one NIK held by 30 000 rows of one batch, and repeated 30 000 times in a program and a family (no argument list overflows)', async () => {
    const state = redisState();
    try {
      const P = '2021-09';
      const nik = '1501070410800152';
      const rows = Array.from({ length: 30_000 }, (_, i) => person(nik, 'dtks.csv', i + 1, { householdId: 'HH1', noKk: 'KK1' }));
      const change = (await state.addDtksPersons(P, rows)).get(nik);
      expect(change).toMatchObject({ rows: 30_000, rowsBefore: 0, detail: 'SAME_PERSON', all: null });
      expect((await state.dtksByNik(P, [nik])).get(nik)).toMatchObject({ rows: 30_000, persons: [{ ...rows[0], noKk: null }] });
      const occ = await state.addOccurrences(P, rows.map((r) => ({ program: 'PKH' as const, nik, occ: { file: 'pkh.csv', row: r.row, key: `${P}/PKH/pkh.csv#${r.row}` } })));
      expect(occ.get(`PKH|${nik}`)?.count).toBe(30_000);
      const fam = await state.addFamilyMembers(P, rows.map((r) => ({ family: 'H:HH1', program: 'PKH' as const, file: 'pkh.csv', row: r.row, key: `${P}/PKH/pkh.csv#${r.row}` })));
      expect(fam.get('H:HH1')?.members).toBe(30_000);
    } finally {
      await dispose(state);
    }
  });

  it('sends a bounded number of commands per batch (100 000 persons, batches of 2000), and prints the throughput', async () => {
    const state = redisState();
    try {
      const P = '2021-09';
      const N = 100_000;
      const persons: DtksPerson[] = Array.from({ length: N }, (_, i) => {
        const nik = `15${String(71_000_000_000_000 + ((i * 7919) % N) * 13 + (i % 13)).padStart(14, '0')}`;
        return person(nik, `dtks-${i % 4}.csv`, i + 1, {
          nama: `PENDUDUK ${i}`,
          nameKey: `PENDUDUK ${i}`,
          birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
          noKk: `1571${String(Math.floor(i / 4)).padStart(12, '0')}`,
          householdId: `HH${Math.floor(i / 4)}`,
          regency: '1571',
        });
      });
      const niks = persons.map((p) => p.nik);

      const calls = async () => {
        const stats = String(await state.redis.info('commandstats'));
        let n = 0;
        for (const m of stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) if (['evalsha', 'eval', 'hmget'].includes(m[1] as string)) n += Number(m[2]);
        return n;
      };
      const calls0 = await calls();
      const t0 = performance.now();
      for (let i = 0; i < N; i += 2000) await state.addDtksPersons(P, persons.slice(i, i + 2000));
      const addMs = performance.now() - t0;
      const addCalls = (await calls()) - calls0;

      const t1 = performance.now();
      let found = 0;
      for (let i = 0; i < N; i += 2000) found += (await state.dtksByNik(P, niks.slice(i, i + 2000))).size;
      const lookupMs = performance.now() - t1;

      const t2 = performance.now();
      const once = await state.dtksByNik(P, niks);
      const lookupOnceMs = performance.now() - t2;

      const mem = new MemoryMatchState();
      const t3 = performance.now();
      for (let i = 0; i < N; i += 2000) await mem.addDtksPersons(P, persons.slice(i, i + 2000));
      const memMs = performance.now() - t3;

      const r = state.redis as import('ioredis').Redis;
      const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await r.info('memory'))?.[1]);
      const mem1 = await usedMemory();
      await state.purgePeriod(P);
      const bytes = mem1 - (await usedMemory());
      expect(found).toBe(N);
      expect(once.size).toBe(N);
      const rate = (ms: number) => Math.round(N / (ms / 1000)).toLocaleString('en-US');
      console.log(
        [
          `addDtksPersons: ${N} persons in batches of 2000: ${addMs.toFixed(0)} ms = ${rate(addMs)} persons/s (MemoryMatchState: ${rate(memMs)}/s)`,
          `dtksByNik: ${N} NIKs in batches of 2000: ${lookupMs.toFixed(0)} ms = ${rate(lookupMs)} NIKs/s; in one call: ${lookupOnceMs.toFixed(0)} ms = ${rate(lookupOnceMs)}/s`,
          `DTKS index: ${(bytes / N).toFixed(0)} bytes per person (used_memory freed by purgePeriod)`,
        ].join('\n'),
      );
      // Work, not time (timings are for pnpm bench): per batch and bucket a read, a script, a
      // No. KK script and a birth-date write, and a seen script per file (4 here), never a command
      // per record.
      expect(addCalls).toBeLessThanOrEqual((4 * state.layout.buckets + 4) * (N / 2000) + 5);
    } finally {
      await dispose(state);
    }
  });

  it('names REDIS_URL when Redis cannot be reached', async () => {
    const state = new RedisMatchState('redis://127.0.0.1:1', { keyPrefix: testKeyPrefix() });
    state.redis.on('error', () => undefined);
    try {
      const err = (await state.dtksByNik('2021-09', ['1']).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toContain('RedisMatchState.dtksByNik (period 2021-09)');
      expect(err.message).toContain('REDIS_URL');
    } finally {
      state.redis.disconnect();
    }
  });
});

// --- a small hand-made period: one DTKS file in two batches, PKH, BST, SEMBAKO --------------------

const KK = (n: number) => `157101010100000${n}`;

function rec(row: number, nik: string, nama: string, o: Partial<NormalizedRecord> = {}): NormalizedRecord {
  return {
    row,
    nikRaw: nik,
    nik,
    nikInvalid: null,
    nikSex: null,
    nikBirthDate: null,
    noKk: null,
    nama,
    nameKey: nameKey(nama),
    birthDate: null,
    kodeWilayah: '1571010001',
    regency: '1571',
    householdId: null,
    deceased: null,
    warnings: [],
    ...o,
  };
}

function batch(period: string, source: Source, file: string, records: NormalizedRecord[]): NormalizedBatch {
  return { v: 1, period, source, file, runId: 'run-redis-test', format: 'csv', fields: ['nik', 'no_kk', 'nama', 'tanggal_lahir', 'kode_wilayah'], records };
}

const NIK = {
  A: '1571014101800011',
  B: '1571010505750012',
  C: '1571020202900013',
  D: '1571030303850014',
  E: '1571040404600015',
  F: '1571050606700016',
  F1: '1571050606700017',
  G: '1571060707950018',
  H: '1571070808990019',
};

function scenario(period: string) {
  const dtks1 = batch(period, 'DTKS', 'dtks-jambi.csv', [
    rec(1, NIK.A, 'SITI AMINAH', { birthDate: '1980-01-01', noKk: KK(1), householdId: 'HH-1' }),
    rec(2, NIK.B, 'BUDI SANTOSO', { birthDate: '1975-05-05', noKk: KK(1), householdId: 'HH-1' }),
    rec(3, NIK.C, 'AHMAD FAUZI', { birthDate: '1990-02-02', noKk: KK(2), householdId: 'HH-2' }),
    rec(4, NIK.D, 'NURHAYATI', { birthDate: '1985-03-03', noKk: KK(3), householdId: 'HH-3' }),
  ]);
  const dtks2 = batch(period, 'DTKS', 'dtks-jambi.csv', [
    rec(5, NIK.D, 'NUR HAYATI', { birthDate: '1985-03-03', noKk: KK(3), householdId: 'HH-3' }),
    rec(6, NIK.E, 'RUSLAN', { birthDate: '1960-04-04', noKk: KK(4), householdId: 'HH-4', deceased: true }),
    rec(7, '15710', 'TANPA NIK', { nikInvalid: 'LENGTH' }),
    rec(8, NIK.F, 'MARYAM', { birthDate: '1970-06-06', noKk: KK(5), householdId: 'HH-5' }),
  ]);
  const dtksDone: FileCompleted = {
    v: 1,
    period,
    source: 'DTKS',
    file: 'dtks-jambi.csv',
    runId: 'run-redis-test',
    format: 'csv',
    sha256: '0'.repeat(64),
    bytes: 1000,
    fields: ['nik', 'nama'],
    headerRow: 1,
    rowsRead: 8,
    rowsEmitted: 8,
    rowsRejected: 0,
  };
  const pkh = batch(period, 'PKH', 'pkh.csv', [
    rec(1, NIK.A, 'SITI AMINAH', { birthDate: '1980-01-01' }),
    rec(2, NIK.C, 'AHMAD FAUZI'),
    rec(3, NIK.C, 'AHMAD FAUZI'),
    rec(4, NIK.F1, 'MARYAM', { birthDate: '1970-06-06' }),
  ]);
  const bst = batch(period, 'BST', 'bst.csv', [
    rec(1, NIK.B, 'BUDI SANTOSO'),
    rec(2, NIK.E, 'RUSLAN'),
    rec(3, NIK.G, 'RINA', { noKk: KK(2) }),
    rec(4, '123', 'SALAH', { nikInvalid: 'LENGTH' }),
    rec(5, NIK.H, 'YUSUF', { noKk: KK(3) }),
  ]);
  const sembako = batch(period, 'SEMBAKO', 'sembako.csv', [rec(1, NIK.D, 'NURHAYATI', { birthDate: '1985-03-03' })]);
  return { dtks1, dtks2, dtksDone, pkh, bst, sembako };
}

/** The findings the scenario is built to produce, so the comparisons above are not vacuous. */
function checkFindings(latest: Map<string, MatchResult>): void {
  const at = (source: string, file: string, row: number) => latest.get(`2021-09/${source}/${file}#${row}`);
  expect(at('BST', 'bst.csv', 1)?.details).toContain('PROGRAM_CONFLICT:PKH');
  expect(at('BST', 'bst.csv', 2)?.reasons).toContain('DECEASED');
  expect(at('BST', 'bst.csv', 3)?.details).toContain('PROGRAM_CONFLICT:PKH');
  expect(at('BST', 'bst.csv', 4)?.outcome).toBe('INVALID_NIK');
  expect(at('BST', 'bst.csv', 5)?.details).toContain('PROGRAM_CONFLICT:SEMBAKO');
  expect(at('PKH', 'pkh.csv', 3)?.details).toContain('DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#2');
  expect(at('PKH', 'pkh.csv', 2)?.reasons).not.toContain('DUPLICATE_IN_PROGRAM');
  expect(at('PKH', 'pkh.csv', 4)?.outcome).toBe('NOT_IN_DTKS');
  expect(at('PKH', 'pkh.csv', 4)?.suggestedNik).toBe(NIK.F);
  expect(at('DTKS', 'dtks-jambi.csv', 4)?.details).toEqual(['DUPLICATE_IN_DTKS:SAME_PERSON']);
  expect(at('DTKS', 'dtks-jambi.csv', 5)?.details).toEqual(['DUPLICATE_IN_DTKS:SAME_PERSON']);
  expect(at('DTKS', 'dtks-jambi.csv', 7)?.outcome).toBe('INVALID_NIK');
  expect(latest.size).toBe(8 + 4 + 5 + 1);
}
