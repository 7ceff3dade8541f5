import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '@padan/runtime';
import { GOLDEN_INPUTS, tempDir } from '../helpers/golden.js';
import { runCli } from '../helpers/cli-process.js';

/**
 * `padan retention apply --out`: on an embedded folder holding an old period (2019-05: inputs and
 * snapshot past retention on 2025-01-15), a middle one (2023-06: inputs past 13 months, snapshot
 * kept) and a recent one (2024-11: everything kept), a dry run deletes nothing and says what it
 * would delete; the apply deletes exactly the expired objects and nothing without personal data.
 */
const NIK = '1571010101900001';
const ROW = `nik,nama\n${NIK},SITI AMINAH\n`;

function snapshotKeys(period: string, date: string): string[] {
  const base = `snapshots/period=${period}/date=${date}/`;
  return [`snapshots/period=${period}/latest.json`, `${base}manifest.json`, `${base}restricted/findings.csv`, `${base}restricted/rejected.jsonl`, `${base}dashboard/summary.json`];
}

const EXPIRED = [
  'raw/period=2019-05/source=PKH/sha256=aa/pkh.csv',
  'raw/period=2019-05/source=DTKS/sha256=bb/dtks.csv',
  ...snapshotKeys('2019-05', '2019-06-03'),
  'history/period=2019-05/date=2019-06-01/snapshot=0011/manifest.json',
  'history/period=2019-05/date=2019-06-01/snapshot=0011/restricted/findings.csv',
  'raw/period=2023-06/source=PKH/sha256=cc/pkh.csv',
  'runs/fixes/dd.csv',
].sort();
const KEPT = [
  ...snapshotKeys('2023-06', '2023-07-02'),
  'history/period=2023-06/date=2023-07-01/snapshot=0022/manifest.json',
  'raw/period=2024-11/source=PKH/sha256=ee/pkh.csv',
  ...snapshotKeys('2024-11', '2024-12-01'),
  'runs/fixes/ff.csv',
  // no personal data: never deleted
  'runs/period=2019-05.json',
  'runs/period=2023-06.json',
  'runs/period=2024-11.json',
  'ingest/done/landing/period=2019-05/source=PKH/pkh.csv.json',
  'releases/registry.json',
].sort();

function listed(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  walk(root, '');
  return out.sort();
}

describe('padan retention apply --out', () => {
  let out: string;
  beforeEach(async () => {
    out = tempDir('padan-retention-');
    const store = new FolderObjectStore(out);
    for (const key of [...EXPIRED, ...KEPT]) {
      if (key.startsWith('runs/period=')) {
        const period = key.slice('runs/period='.length, -'.json'.length);
        const fixes = period === '2023-06' ? [{ file: 'fix.csv', sha256: 'dd', stored: 'runs/fixes/dd.csv' }] : period === '2024-11' ? [{ file: 'fix.csv', sha256: 'ff', stored: 'runs/fixes/ff.csv' }] : [];
        await store.put(key, JSON.stringify({ v: 2, period, date: '2024-12-01', inputs: [], release: null, rules: null, mapping: null, allowSmallDtks: false, fixes }));
      } else {
        await store.put(key, ROW);
      }
    }
  });

  it('--dry-run deletes nothing and prints per prefix what it would delete', () => {
    const r = runCli(['retention', 'apply', '--out', out, '--now', '2025-01-15', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listed(out)).toEqual([...EXPIRED, ...KEPT].sort());
    expect(r.stdout).toContain('dry run: nothing deleted');
    expect(r.stdout).toMatch(/^raw\/\s+would delete\s+3 objects\s+\d+ bytes$/m);
    expect(r.stdout).toMatch(/^snapshots\/\s+would delete\s+5 objects/m);
    expect(r.stdout).toMatch(/^history\/\s+would delete\s+2 objects/m);
    expect(r.stdout).toMatch(/^runs\/fixes\/\s+would delete\s+1 objects/m);
    expect(r.stdout).not.toContain(NIK);
  });

  it('deletes exactly the expired objects, leaves no empty snapshot folder, and a second apply deletes nothing', () => {
    const r = runCli(['retention', 'apply', '--out', out, '--now', '2025-01-15']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listed(out)).toEqual(KEPT);
    expect(existsSync(join(out, 'snapshots', 'period=2019-05'))).toBe(false);
    expect(existsSync(join(out, 'history', 'period=2019-05'))).toBe(false);
    expect(r.stdout).toMatch(/^raw\/\s+deleted\s+3 objects\s+\d+ bytes$/m);
    const again = runCli(['retention', 'apply', '--out', out, '--now', '2025-01-15']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing is past retention');
    expect(listed(out)).toEqual(KEPT);
  });

  it('refuses an invalid retention variable, naming it, before deleting anything', () => {
    const r = runCli(['retention', 'apply', '--out', out, '--now', '2025-01-15'], { env: { ...process.env, PADAN_RETENTION_RAW_MONTHS: 'thirteen' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('PADAN_RETENTION_RAW_MONTHS');
    expect(listed(out)).toEqual([...EXPIRED, ...KEPT].sort());
  });

  it('refuses a --now that is not a date', () => {
    const r = runCli(['retention', 'apply', '--out', out, '--now', '2025-02-30']);
    expect(r.code).toBe(2);
    expect(listed(out)).toEqual([...EXPIRED, ...KEPT].sort());
  });

  it('on a real embedded run: expiring raw/ keeps the snapshots, status says so and reprocess refuses the period', () => {
    const real = tempDir('padan-retention-run-');
    const inputs = GOLDEN_INPUTS.flatMap((i) => (i.source === 'DTKS' ? ['--dtks', i.path] : ['--program', `${i.source}=${i.path}`]));
    for (const date of ['2021-10-01', '2021-10-05']) expect(runCli(['run', '--period', '2021-09', ...inputs, '--out', real, '--date', date]).code).toBe(0);
    const before = listed(real);
    // 2022-11-01 is 13 months after the end of 2021-09: the inputs expire, the snapshots (5 years) do not
    const r = runCli(['retention', 'apply', '--out', real, '--now', '2022-11-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^raw\/\s+deleted\s+5 objects/m);
    expect(listed(real)).toEqual(before.filter((k) => !k.startsWith('raw/')));
    expect(listed(real).filter((k) => k.endsWith('manifest.json'))).toHaveLength(2);
    const status = runCli(['status', '--out', real]);
    expect(status.stdout).toContain('expired from the archive');
    const reprocess = runCli(['reprocess', '--period', '2021-09', '--out', real]);
    expect(reprocess.code).toBe(2);
    expect(reprocess.stderr).toMatch(/missing from the archive/);
    // past 5 years everything of the period goes, the run record and release registry stay
    expect(runCli(['retention', 'apply', '--out', real, '--now', '2026-10-01']).code).toBe(0);
    // runs/reprocess.json is the failed reprocess' progress (periods and run ids, no personal data)
    expect(listed(real)).toEqual(['releases/release=2021-09.json', 'runs/period=2021-09.json', 'runs/reprocess.json']);
  });
});
