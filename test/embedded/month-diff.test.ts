import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '@padan/contracts';
import { readCsv, scoreFindings } from '@padan/synth';
import { runCli } from '../helpers/cli-process.js';
import type { CliResult } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/golden.js';

/**
 * Comparing months end to end, through the built CLI as a user would: `padan generate` a month and
 * `padan generate --follow-on` the next (same population; findings fixed, records dropped, new
 * records and defects), `padan run` both into one --out, then `padan diff`. Every record key's
 * category and reasons must equal the follow-on generator's truth.
 */
const HASH_KEY = 'month-diff-test-key-0123456789';
const env = { ...process.env, PADAN_HASH_KEY: HASH_KEY };

function padan(args: string[]): CliResult {
  const r = runCli(args, { env, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`padan ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

function runMonth(folder: string, period: string, store: string): void {
  const f = (name: string) => join(folder, name);
  const mixed = [`PKH=${f(`pkh-${period}.xlsx`)}`, `SEMBAKO=${f(`sembako-${period}.csv`)}`, `BST=${f(`bst-${period}.jsonl`)}`, `PBI=${f(`pbi-${period}.csv`)}`];
  padan(['run', '--period', period, '--dtks', f(`dtks-jambi-${period}.csv`), ...mixed.flatMap((p) => ['--program', p]), '--out', store, '--date', `${period}-28`]);
}

async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const c of readCsv(path)) out.push(c);
  return out;
}

describe('padan diff between a month and its follow-on', () => {
  const dir = tempDir('month-diff');
  const store = join(dir, 'store');
  const changesDir = join(store, 'changes', 'period=2021-09');
  let printed = '';

  beforeAll(() => {
    padan(['generate', '--out', join(dir, 'aug'), '--households', '400', '--seed', '21', '--period', '2021-08']);
    padan(['generate', '--follow-on', join(dir, 'aug'), '--out', join(dir, 'sep')]);
    runMonth(join(dir, 'aug'), '2021-08', store);
    runMonth(join(dir, 'sep'), '2021-09', store);
    printed = padan(['diff', '--period', '2021-08', '--period', '2021-09', '--out', store, '--csv', join(dir, 'copy.csv')]).stdout;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every record key the category and reasons of the truth', async () => {
    const truth = new Map<string, string>();
    for (const [program, nik, nameKey, category, before, after] of (await rows(join(dir, 'sep', 'truth-changes.csv'))).slice(1) as string[][] as [string, string, string, string, string, string][]) {
      // The identity padan hashes: the valid NIK, or the NIK as cleaned so far and the name key.
      const identity = /^\d{16}$/.test(nik) && nameKey === '' ? nik : `${nik}\u0000${nameKey}`;
      const hash = createHmac('sha256', HASH_KEY).update(identity).digest('hex');
      truth.set(`${program}|${hash}`, `${category}|${before}|${after}`);
    }
    const csv = await rows(join(changesDir, 'changes.csv'));
    const header = csv[0] as string[];
    const col = (name: string) => header.indexOf(name);
    const found = new Map<string, string>();
    for (const r of csv.slice(1)) {
      const key = `${r[col('program')]}|${r[col('key_hash')]}`;
      expect(found.has(key), `one row per key: ${key}`).toBe(false);
      found.set(key, `${r[col('category')]}|${r[col('reasons_before')]}|${r[col('reasons_after')]}`);
    }
    const mismatches: string[] = [];
    for (const [k, v] of truth) if (found.get(k) !== v) mismatches.push(`${k}: truth ${v}, padan ${found.get(k) ?? 'no row'}`);
    for (const [k, v] of found) if (!truth.has(k)) mismatches.push(`${k}: padan ${v}, not in truth`);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(found.size).toBe(truth.size);
    // Every category occurs, so the check above covers each.
    const categories = new Set([...truth.values()].map((v) => v.split('|')[0]));
    expect([...categories].sort()).toEqual(['changed', 'fixed', 'new', 'persisting', 'removed']);
  });

  it('prints totals per program and regency that add up to the rows, and names the folder', async () => {
    const csv = (await rows(join(changesDir, 'changes.csv'))).slice(1);
    for (const program of ['PKH', 'SEMBAKO', 'BST', 'PBI']) {
      const line = printed.split('\n').find((l) => l.startsWith(program) && l.includes('all regencies'));
      expect(line, program).toBeDefined();
      const total = (line as string).split(/\s+/).slice(-5).reduce((a, n) => a + Number(n), 0);
      expect(total, program).toBe(csv.filter((r) => r[2] === program).length);
    }
    expect(printed).toContain(`changes: ${changesDir}`);
    expect(readFileSync(join(dir, 'copy.csv'), 'utf8')).toBe(readFileSync(join(changesDir, 'changes.csv'), 'utf8'));
  });

  it('the later month\'s snapshot carries the same changes, listed in its manifest', () => {
    const snapshot = join(store, 'snapshots', 'period=2021-09', 'date=2021-09-28');
    for (const f of ['changes.csv', 'changes.parquet']) expect(readFileSync(join(snapshot, 'dashboard', f)).equals(readFileSync(join(changesDir, f))), f).toBe(true);
    const manifest = JSON.parse(readFileSync(join(snapshot, 'manifest.json'), 'utf8')) as { outputs: { name: string }[] };
    expect(manifest.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['dashboard/changes.csv', 'dashboard/changes.parquet']));
    // The first month has no previous one: no changes.
    expect(readdirSync(join(store, 'snapshots', 'period=2021-08', 'date=2021-08-28', 'dashboard'))).toEqual(['summary.json']);
  });

  it('writes no NIK and no name into the changes files', async () => {
    const csv = readFileSync(join(changesDir, 'changes.csv'), 'utf8');
    const parquet = readFileSync(join(changesDir, 'changes.parquet'));
    expect(parquet.subarray(0, 4).toString()).toBe('PAR1');
    // Apart from the keyed hash (hex), no run of digits longer than the masked NIK's 4.
    const withoutHashes = csv.replace(/\b[0-9a-f]{64}\b/g, 'HASH');
    expect(withoutHashes).not.toMatch(/\d{5}/);
    const personal = new Set<string>();
    for (const period of ['2021-08', '2021-09']) {
      const findings = await rows(join(store, 'snapshots', `period=${period}`, `date=${period}-28`, 'restricted', 'findings.csv'));
      const h = findings[0] as string[];
      for (const r of findings.slice(1)) {
        for (const c of ['nik', 'nik_raw', 'nama']) {
          const v = (r[h.indexOf(c)] ?? '').trim();
          if (v.length >= 6) personal.add(v);
        }
      }
    }
    expect(personal.size).toBeGreaterThan(100);
    const text = parquet.toString('latin1');
    for (const v of personal) {
      expect(csv.includes(v), 'changes.csv').toBe(false);
      expect(text.includes(v), 'changes.parquet').toBe(false);
    }
  });

  it('the follow-on month scores like any generated month', async () => {
    const snapshot = join(store, 'snapshots', 'period=2021-09', 'date=2021-09-28', 'restricted', 'findings.csv');
    const score = await scoreFindings(snapshot, join(dir, 'sep', 'truth.csv'));
    for (const reason of REASONS) {
      const c = score.perReason[reason];
      if (!c || c.tp + c.fn === 0) continue;
      expect(c.precision, reason).toBe(1);
      expect(c.recall, reason).toBe(1);
    }
  });
});
