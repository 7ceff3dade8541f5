import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDINGS_COLUMNS, csvLine } from '@padan/io';
import { diffCommand } from './diff-command.js';
import { writeRunRecord } from './run-record.js';
import { SnapshotError } from './snapshot-folder.js';
import { UsageError } from './usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-diff-'));
const KEY = 'diff-command-test-key-0123456789';
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.PADAN_HASH_KEY;
  process.env.PADAN_HASH_KEY = KEY;
});
afterAll(() => {
  if (saved === undefined) delete process.env.PADAN_HASH_KEY;
  else process.env.PADAN_HASH_KEY = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** A snapshot folder as `padan run` leaves it: findings.csv and a manifest with its checksum. */
function snapshot(out: string, period: string, rows: Record<string, string>[]): void {
  const folder = join(out, 'snapshots', `period=${period}`, `date=${period}-28`);
  mkdirSync(folder, { recursive: true });
  const text = csvLine(FINDINGS_COLUMNS) + rows.map((r) => csvLine(FINDINGS_COLUMNS.map((c) => r[c] ?? ''))).join('');
  writeFileSync(join(folder, 'findings.csv'), text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ period, run_ids: [], inputs: [], outputs: [{ name: 'findings.csv', sha256, bytes: Buffer.byteLength(text) }] }));
}

describe('diffCommand', () => {
  it('compares two periods of one --out and writes the changes without NIKs or names', async () => {
    const out = join(dir, 'store');
    snapshot(out, '2021-08', [
      { program: 'PKH', nik_raw: '1571014506850001', nik: '1571014506850001', nama: 'SITI AMINAH', reasons: 'NAME_MISMATCH', regency_code: '1571' },
      { program: 'PKH', nik_raw: '1571014506850002', nik: '1571014506850002', nama: 'ANI', reasons: 'DECEASED', regency_code: '1571' },
      { program: 'PKH', nik_raw: '', nik: '', nama: 'BUDI', reasons: 'INVALID_NIK', regency_code: '' },
    ]);
    snapshot(out, '2021-09', [{ program: 'PKH', nik_raw: '', nik: '', nama: 'Budi', reasons: 'INVALID_NIK', regency_code: '' }]);
    const pkh = join(dir, 'pkh-2021-09.csv');
    writeFileSync(pkh, 'NIK,NAMA\n1571014506850001,SITI AMINAH\n,Budi\n');
    writeRunRecord(out, { v: 2, period: '2021-09', date: '2021-09-28', inputs: [{ source: 'PKH', file: 'pkh-2021-09.csv', bytes: 0, key: null, path: pkh, sha256: createHash('sha256').update(readFileSync(pkh)).digest('hex') }], release: null, rules: null, mapping: null, allowSmallDtks: false, fixes: [] });
    const lines: string[] = [];
    const r = await diffCommand({ period: ['2021-08', '2021-09'], out, csv: join(dir, 'copy', 'changes.csv') }, (s) => lines.push(s));
    expect(r.dir).toBe(join(out, 'changes', 'period=2021-09'));
    const csv = readFileSync(join(r.dir, 'changes.csv'), 'utf8');
    const hmac = (s: string) => createHmac('sha256', KEY).update(s).digest('hex');
    expect(csv.split('\n').slice(1, -1)).toEqual([
      `2021-08,2021-09,PKH,,persisting,,${hmac('\u0000BUDI')},INVALID_NIK,INVALID_NIK,1,1`,
      // The hash of a valid NIK is the nikHash of the mismatch events: dashboards can join them.
      `2021-08,2021-09,PKH,1571,fixed,1571********0001,${hmac('1571014506850001')},NAME_MISMATCH,,1,0`,
      `2021-08,2021-09,PKH,1571,removed,1571********0002,${hmac('1571014506850002')},DECEASED,,1,0`,
    ]);
    expect(readFileSync(join(dir, 'copy', 'changes.csv'), 'utf8')).toBe(csv);
    expect(readFileSync(join(r.dir, 'changes.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    const printed = lines.join('\n');
    expect(printed).toMatch(/PKH +\(unknown\) +0 +0 +0 +1 +0/);
    expect(printed).toMatch(/PKH +1571 Kota Jambi +1 +1 +0 +0 +0/);
    expect(printed).toMatch(/PKH +all regencies +1 +1 +0 +1 +0/);
    expect(printed).not.toMatch(/SITI|BUDI|1571014506850001/);

    // The same inputs give byte-identical changes files.
    const again = await diffCommand({ period: ['2021-08', '2021-09'], out, to: join(dir, 'again') }, () => {});
    for (const f of ['changes.csv', 'changes.parquet']) expect(readFileSync(join(again.dir, f)).equals(readFileSync(join(r.dir, f))), f).toBe(true);

    // A program file changed since the run would list other records: refused.
    writeFileSync(pkh, 'NIK,NAMA\n1571014506850002,ANI\n');
    await expect(diffCommand({ period: ['2021-08', '2021-09'], out }, () => {})).rejects.toThrow(/pkh-2021-09\.csv \(PKH, period 2021-09\) changed since padan run read it/);
  });

  it('checks its arguments and says what is missing', async () => {
    await expect(diffCommand({ period: ['2021-08'], out: dir })).rejects.toThrow(UsageError);
    await expect(diffCommand({ period: ['2021-09', '2021-08'], out: dir })).rejects.toThrow(/must come before/);
    await expect(diffCommand({ period: ['2021-06', '2021-07'], out: join(dir, 'nothing') })).rejects.toThrow(SnapshotError);
  });
});
