import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { readCsv, scoreFindings } from './score.js';

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

describe('scoreFindings', () => {
  let dir: string;
  let truthPath: string;
  let rows: string[][];
  let header: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-score-'));
    const files = await generate({ outDir: join(dir, 'data'), households: 1500, seed: 9 });
    truthPath = files.truth;
    rows = [];
    for await (const c of readCsv(truthPath)) rows.push(c);
    header = rows.shift() as string[];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes rows as padan's findings.csv would: more columns, another order, CRLF, quoted cells. */
  async function findings(name: string, data: string[][]): Promise<string> {
    const cols = ['period', 'program', 'source_file', 'source_row', 'nik_raw', 'nama', 'outcome', 'reasons', 'details', 'warnings', 'suggested_nik'];
    const at = (r: string[], c: string): string => r[header.indexOf(c)] ?? '';
    const lines = [cols.join(',')];
    for (const r of data) {
      const reasons = at(r, 'reasons');
      lines.push(
        ['2021-09', at(r, 'program'), at(r, 'source_file'), at(r, 'source_row'), '="1571"', 'SITI "IPAH", S.PD\nBARIS', reasons.split(';')[0] ?? '', reasons, at(r, 'details'), at(r, 'warnings'), at(r, 'suggested_nik')]
          .map(csvCell)
          .join(','),
      );
    }
    const path = join(dir, name);
    await writeFile(path, `\ufeff${lines.join('\r\n')}\r\n`);
    return path;
  }

  it('a findings file equal to the truth scores 1 everywhere', async () => {
    const s = await scoreFindings(await findings('same.csv', rows), truthPath);
    expect(s.rows).toEqual({ truth: rows.length, findings: rows.length });
    for (const [reason, c] of Object.entries(s.perReason)) {
      expect(c.fp, reason).toBe(0);
      expect(c.fn, reason).toBe(0);
      expect(c.precision, reason).toBe(1);
      expect(c.recall, reason).toBe(1);
    }
    expect(s.perReason.INVALID_NIK?.tp).toBeGreaterThan(0);
    expect(s.suggestion.tp).toBe(rows.filter((r) => r[5] !== '').length);
    expect(s.suggestion).toMatchObject({ fp: 0, fn: 0, precision: 1, recall: 1 });
  });

  it('scores a dropped row, an added row and a changed suggestion', async () => {
    const withSug = rows.findIndex((r) => r[5] !== '' && (r[3] ?? '').split(';').length === 1);
    const dropIdx = rows.findIndex((r, i) => i !== withSug && r[5] === '' && (r[3] ?? '').split(';').length === 2);
    expect(withSug).toBeGreaterThanOrEqual(0);
    expect(dropIdx).toBeGreaterThanOrEqual(0);
    const dropped = rows[dropIdx] as string[];
    const [r1, r2] = (dropped[3] as string).split(';') as [string, string];
    const mutated = rows.filter((_, i) => i !== dropIdx).map((r) => [...r]);
    const sugRow = mutated.find((r) => r[0] === rows[withSug]?.[0] && r[1] === rows[withSug]?.[1] && r[2] === rows[withSug]?.[2]) as string[];
    const trueSug = sugRow[5] as string;
    sugRow[5] = trueSug.slice(0, 15) + (trueSug.endsWith('9') ? '8' : '9');
    // A row truth does not have: a program row number beyond every truth row, two reasons, a suggestion.
    mutated.push(['PKH', 'pkh-2021-09.xlsx', '999999', 'NOT_IN_DTKS;DECEASED', '', '1571010101010001', '']);

    const s = await scoreFindings(await findings('mutated.csv', mutated), truthPath);
    const per = s.perReason;
    const count = (reason: string): number => rows.filter((r) => (r[3] ?? '').split(';').includes(reason)).length;
    expect(per[r1]).toMatchObject({ fn: 1, tp: count(r1) - 1 });
    expect(per[r2]).toMatchObject({ fn: 1, tp: count(r2) - 1 });
    expect(per.NOT_IN_DTKS?.fp).toBe(1);
    expect(per.DECEASED?.fp).toBe(1);
    expect(per.NOT_IN_DTKS?.precision).toBeCloseTo(count('NOT_IN_DTKS') / (count('NOT_IN_DTKS') + 1 - (r1 === 'NOT_IN_DTKS' || r2 === 'NOT_IN_DTKS' ? 1 : 0)), 10);
    const truthSugs = rows.filter((r) => r[5] !== '').length;
    expect(s.suggestion).toMatchObject({ tp: truthSugs - 1, fn: 1, fp: 2 });
    expect(s.suggestion.recall).toBeCloseTo((truthSugs - 1) / truthSugs, 10);
    expect(s.suggestion.precision).toBeCloseTo((truthSugs - 1) / (truthSugs + 1), 10);
    expect(s.rows).toEqual({ truth: rows.length, findings: rows.length });
    // Reasons nobody reported and truth does not have score 1.
    const empty = Object.entries(per).filter(([, c]) => c.tp + c.fp + c.fn === 0);
    for (const [, c] of empty) expect(c).toMatchObject({ precision: 1, recall: 1 });
  });

  it('needs the key columns', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'program,source_file,reasons\nPKH,a.csv,NOT_IN_DTKS\n');
    await expect(scoreFindings(path, truthPath)).rejects.toThrow(/source_row/);
    expect((await readFile(truthPath, 'utf8')).split('\n')[0]).toBe('program,source_file,source_row,reasons,details,suggested_nik,warnings');
  });
});
