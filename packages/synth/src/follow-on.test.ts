import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_TRUTH_HEADER, generateFollowOn, nextPeriod } from './follow-on.js';
import { generate } from './generate.js';
import { readCsv } from './score.js';

async function hashDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  return out;
}

async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const c of readCsv(path)) out.push(c);
  return out;
}

describe('generateFollowOn', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-follow-on-'));
    await generate({ outDir: join(dir, 'a'), households: 600, seed: 4, period: '2021-12' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the next period, with the same files, deterministically', async () => {
    const one = await generateFollowOn({ from: join(dir, 'a'), outDir: join(dir, 'b1') });
    await generateFollowOn({ from: join(dir, 'a'), outDir: join(dir, 'b2') });
    expect(one.period).toBe('2022-01');
    expect(await hashDir(join(dir, 'b1'))).toEqual(await hashDir(join(dir, 'b2')));
    const names = Object.keys(await hashDir(join(dir, 'b1')));
    expect(names).toEqual(['bst-2022-01.jsonl', 'dtks-jambi-2022-01.csv', 'pbi-2022-01.csv', 'pkh-2022-01.xlsx', 'sembako-2022-01.csv', 'truth-changes.csv', 'truth-counts.json', 'truth-rejected.csv', 'truth.csv']);
    const counts = JSON.parse(await readFile(join(dir, 'b1', 'truth-counts.json'), 'utf8'));
    expect(counts).toMatchObject({ period: '2022-01', seed: 4, households: 600, follow_on: { base_period: '2021-12', months: 1 } });
  });

  it('keeps the DTKS release and most records, and gives every category', async () => {
    const a = await readFile(join(dir, 'a', 'dtks-jambi-2021-12.csv'), 'utf8');
    const b = await readFile(join(dir, 'b1', 'dtks-jambi-2022-01.csv'), 'utf8');
    // The same release, under the new period's title.
    expect(b.split('\n').slice(1)).toEqual(a.split('\n').slice(1));
    const changes = await rows(join(dir, 'b1', 'truth-changes.csv'));
    expect(changes[0]).toEqual([...CHANGE_TRUTH_HEADER]);
    const perCategory = new Map<string, number>();
    for (const r of changes.slice(1)) perCategory.set(r[3] as string, (perCategory.get(r[3] as string) ?? 0) + 1);
    for (const c of ['fixed', 'removed', 'new', 'persisting', 'changed']) expect(perCategory.get(c) ?? 0, c).toBeGreaterThan(0);
    for (const r of changes.slice(1)) {
      const [, nik, nameKey, category, before, after] = r as [string, string, string, string, string, string];
      // Valid NIKs key alone; only invalid ones carry a name key.
      if (/^\d{16}$/.test(nik) && nameKey === '') expect(before.includes('INVALID_NIK') || after.includes('INVALID_NIK')).toBe(false);
      expect(before === '', category).toBe(category === 'new');
      expect(after === '', category).toBe(category === 'fixed' || category === 'removed');
      if (category === 'persisting') expect(after).toBe(before);
      if (category === 'changed') expect(after).not.toBe(before);
    }
  });

  it('chains: the follow-on of a follow-on is the month after', async () => {
    const c = await generateFollowOn({ from: join(dir, 'b1'), outDir: join(dir, 'c') });
    expect(c.period).toBe('2022-02');
    const counts = JSON.parse(await readFile(join(dir, 'c', 'truth-counts.json'), 'utf8'));
    expect(counts.follow_on).toEqual({ base_period: '2021-12', months: 2 });
  });

  it('refuses a folder whose files are not the month its truth-counts.json describes', async () => {
    await generate({ outDir: join(dir, 'x'), households: 300, seed: 9, period: '2021-12' });
    await writeFile(join(dir, 'x', 'truth.csv'), 'program,source_file,source_row,reasons,details,suggested_nik,warnings\n');
    await expect(generateFollowOn({ from: join(dir, 'x'), outDir: join(dir, 'y') })).rejects.toThrow(/truth\.csv differs/);
    await expect(generateFollowOn({ from: join(dir, 'nothing'), outDir: join(dir, 'y') })).rejects.toThrow(/not a generated month/);
    await expect(generateFollowOn({ from: join(dir, 'a'), outDir: join(dir, 'a') })).rejects.toThrow(/another folder/);
  });

  it('counts periods across a year end', () => {
    expect(nextPeriod('2021-12')).toBe('2022-01');
    expect(nextPeriod('2021-09')).toBe('2021-10');
  });
});
