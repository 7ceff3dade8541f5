import { createHash } from 'node:crypto';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionCatalog, checkNik, cleanNik } from '@padan/core';
import { readCsvRows, readXlsxRows } from '@padan/io';
import { currentRegions, retiredRegions } from '@padan/wilayah';
import { generate } from './generate.js';
import type { GeneratedFiles } from './generate.js';
import { readCsv } from './score.js';

interface TruthEntry {
  program: string;
  file: string;
  row: number;
  reasons: string[];
  details: string[];
  suggested: string;
  warnings: string[];
}

async function readTruth(path: string): Promise<TruthEntry[]> {
  const out: TruthEntry[] = [];
  let first = true;
  for await (const c of readCsv(path)) {
    if (first) {
      expect(c).toEqual(['program', 'source_file', 'source_row', 'reasons', 'details', 'suggested_nik', 'warnings']);
      first = false;
      continue;
    }
    const split = (s: string | undefined): string[] => (s ? s.split(';') : []);
    out.push({ program: c[0] as string, file: c[1] as string, row: Number(c[2]), reasons: split(c[3]), details: split(c[4]), suggested: c[5] ?? '', warnings: split(c[6]) });
  }
  return out;
}

async function hashDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  return out;
}

/** Data rows of a CSV file by source_row (line minus header line), as padan numbers them. */
async function csvByRow(path: string, headerLine: number): Promise<{ header: string[]; rows: Map<number, string[]> }> {
  let header: string[] = [];
  const rows = new Map<number, string[]>();
  for await (const r of readCsvRows(path)) {
    if (r.line === headerLine) header = r.cells;
    else if (r.line > headerLine) rows.set(r.line - headerLine, r.cells);
  }
  return { header, rows };
}

async function xlsxByRow(path: string, headerRow: number): Promise<{ header: string[]; rows: Map<number, string[]> }> {
  let header: string[] = [];
  const rows = new Map<number, string[]>();
  for await (const r of readXlsxRows(path)) {
    if (r.row === headerRow) header = r.values;
    else if (r.row > headerRow) rows.set(r.row - headerRow, r.values);
  }
  return { header, rows };
}

async function jsonlByRow(path: string): Promise<Map<number, string>> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const out = new Map<number, string>();
  lines.forEach((l, i) => out.set(i + 1, l));
  return out;
}

const NIK_HEADERS = new Set(['NIK', 'NIK_KTP', 'NO_NIK', 'NIK_PENGURUS']);
const regions = buildRegionCatalog(currentRegions().map((r) => r.code), retiredRegions().map((r) => r.code));

describe('generate', () => {
  let dir: string;
  let files: GeneratedFiles;
  let truth: TruthEntry[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synth-gen-'));
    files = await generate({ outDir: join(dir, 'a'), households: 2000, seed: 1 });
    truth = await readTruth(files.truth);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the documented files', async () => {
    expect((await readdir(join(dir, 'a'))).sort()).toEqual([
      'bst-2021-09.jsonl', 'dtks-jambi-2021-09.csv', 'pbi-2021-09.csv', 'pkh-2021-09.xlsx', 'sembako-2021-09.csv',
      'truth-counts.json', 'truth-rejected.csv', 'truth.csv',
    ]);
    expect(files.programs.map((p) => p.program)).toEqual(['PKH', 'SEMBAKO', 'BST', 'PBI']);
    const counts = JSON.parse(await readFile(join(dir, 'a', 'truth-counts.json'), 'utf8')) as { files: Record<string, { data_rows: number }> };
    expect(counts.files['dtks-jambi-2021-09.csv']?.data_rows).toBe(files.stats.dtks_rows);
  });

  it('is byte-identical for the same seed and differs for another seed', async () => {
    const again = await generate({ outDir: join(dir, 'b'), households: 2000, seed: 1 });
    const other = await generate({ outDir: join(dir, 'c'), households: 2000, seed: 2 });
    const a = await hashDir(join(dir, 'a'));
    expect(await hashDir(join(dir, 'b'))).toEqual(a);
    const c = await hashDir(join(dir, 'c'));
    for (const name of Object.keys(a)) if (name !== 'truth-counts.json') expect(c[name]).not.toBe(a[name]);
    expect(again.stats).toEqual(files.stats);
    expect(other.stats).not.toEqual(files.stats);
  });

  it('truth is sorted, with reasons in precedence order', () => {
    const order = ['INVALID_NIK', 'NOT_IN_DTKS', 'DECEASED', 'NAME_MISMATCH', 'BIRTHDATE_MISMATCH', 'REGION_MISMATCH', 'PROGRAM_CONFLICT', 'DUPLICATE_IN_PROGRAM', 'DUPLICATE_IN_DTKS'];
    for (let i = 1; i < truth.length; i++) {
      const a = truth[i - 1] as TruthEntry;
      const b = truth[i] as TruthEntry;
      const cmp = a.program < b.program ? -1 : a.program > b.program ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : a.row - b.row;
      expect(cmp).toBeLessThan(0);
    }
    for (const t of truth) {
      expect(t.reasons.length).toBeGreaterThan(0);
      const idx = t.reasons.map((r) => order.indexOf(r));
      expect(idx.every((x) => x >= 0)).toBe(true);
      expect([...idx].sort((x, y) => x - y)).toEqual(idx);
      if (t.reasons.includes('INVALID_NIK')) expect(t.reasons.filter((r) => r !== 'PROGRAM_CONFLICT')).toEqual(['INVALID_NIK']);
      if (t.reasons.includes('NAME_MISMATCH')) expect(t.reasons.some((r) => r === 'BIRTHDATE_MISMATCH' || r === 'REGION_MISMATCH')).toBe(false);
    }
  });

  it('every DTKS NIK that truth does not call invalid is a structurally valid 16-digit NIK', async () => {
    const invalidRows = new Map(truth.filter((t) => t.program === 'DTKS' && t.reasons.includes('INVALID_NIK')).map((t) => [t.row, t]));
    const { header, rows } = await csvByRow(files.dtks, 3);
    const nikCol = header.findIndex((h) => NIK_HEADERS.has(h));
    expect(nikCol).toBeGreaterThanOrEqual(0);
    expect(rows.size).toBe(files.stats.dtks_rows);
    let checked = 0;
    for (const [row, cells] of rows) {
      const cleaned = cleanNik(cells[nikCol] as string);
      const check = checkNik(cleaned, regions);
      const t = invalidRows.get(row);
      if (t) {
        expect(check.invalid, `DTKS row ${row}`).not.toBeNull();
        expect(t.details).toContain(`INVALID_NIK:${check.invalid}`);
      } else {
        expect(cleaned.nik, `DTKS row ${row}`).toMatch(/^\d{16}$/);
        expect(check.invalid, `DTKS row ${row} ${cells[nikCol]}`).toBeNull();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(7000);
  });

  it("truth's row numbers point at the rows holding those records", async () => {
    // DTKS: duplicates share a cleaned NIK; scientific notation shows as such.
    const dtks = await csvByRow(files.dtks, 3);
    const nikCol = dtks.header.findIndex((h) => NIK_HEADERS.has(h));
    const dupNiks = new Map<string, number>();
    for (const t of truth.filter((x) => x.program === 'DTKS')) {
      const raw = dtks.rows.get(t.row)?.[nikCol] as string;
      expect(raw, `DTKS row ${t.row}`).toBeDefined();
      if (t.details.includes('INVALID_NIK:EXCEL_SCIENTIFIC')) expect(raw).toMatch(/^\d,\d+E\+15$/);
      if (t.details.includes('INVALID_NIK:EMPTY')) expect(raw.replace(/[\s-]/g, '')).toBe('');
      if (t.reasons.includes('DUPLICATE_IN_DTKS')) {
        const nik = cleanNik(raw).nik;
        dupNiks.set(nik, (dupNiks.get(nik) ?? 0) + 1);
      }
    }
    expect(dupNiks.size).toBeGreaterThan(5);
    for (const n of dupNiks.values()) expect(n).toBeGreaterThanOrEqual(2);
    const dtksNiks = new Set([...dtks.rows.values()].map((c) => cleanNik(c[nikCol] as string).nik));

    const checkProgramRow = (t: TruthEntry, raw: string): void => {
      const cleaned = cleanNik(raw);
      const check = checkNik(cleaned, regions);
      if (t.reasons.includes('INVALID_NIK')) expect(t.details).toContain(`INVALID_NIK:${check.invalid}`);
      else expect(check.invalid, `${t.file} row ${t.row}`).toBeNull();
      if (t.details.includes('INVALID_NIK:EXCEL_SCIENTIFIC')) expect(raw).toMatch(/E\+15$/);
      if (t.reasons.includes('NOT_IN_DTKS')) expect(dtksNiks.has(cleaned.nik)).toBe(false);
      if (t.reasons.includes('DECEASED') || t.reasons.includes('NAME_MISMATCH')) expect(dtksNiks.has(cleaned.nik)).toBe(true);
      if (t.suggested !== '') {
        expect(dtksNiks.has(t.suggested)).toBe(true);
        expect(t.suggested).not.toBe(cleaned.nik);
      }
    };
    let seen = 0;
    for (const { program, path } of files.programs) {
      const mine = truth.filter((t) => t.program === program);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((t) => t.file === basename(path))).toBe(true);
      if (path.endsWith('.jsonl')) {
        const lines = await jsonlByRow(path);
        for (const t of mine) {
          const obj = JSON.parse((lines.get(t.row) as string).replace(/:(\d{16})/g, ':"$1"')) as Record<string, unknown>;
          checkProgramRow(t, String(obj.NIK ?? ''));
          seen++;
        }
      } else {
        const table = path.endsWith('.xlsx') ? await xlsxByRow(path, 3) : await csvByRow(path, (await headerLineOf(path)) as number);
        const col = table.header.findIndex((h) => NIK_HEADERS.has(h));
        expect(col).toBeGreaterThanOrEqual(0);
        for (const t of mine) {
          const cells = table.rows.get(t.row);
          expect(cells, `${t.file} row ${t.row}`).toBeDefined();
          checkProgramRow(t, (cells as string[])[col] ?? '');
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(300);
  });

  it('rates are roughly as configured (2000 households)', () => {
    const s = files.stats;
    const get = (k: string): number => s[k] ?? 0;
    const H = get('households');
    expect(H).toBe(2000);
    expect(get('persons') / H).toBeGreaterThan(3.2);
    expect(get('persons') / H).toBeLessThan(4.5);
    expect(get('households_PKH') / H).toBeGreaterThan(0.28);
    expect(get('households_PKH') / H).toBeLessThan(0.38);
    expect(get('households_SEMBAKO') / H).toBeGreaterThan(0.32);
    expect(get('households_SEMBAKO') / H).toBeLessThan(0.42);
    expect(get('households_BST') / H).toBeGreaterThan(0.07);
    expect(get('households_BST') / H).toBeLessThan(0.14);
    expect(get('persons_PBI') / get('persons')).toBeGreaterThan(0.36);
    expect(get('persons_PBI') / get('persons')).toBeLessThan(0.44);
    const rows = ['PKH', 'SEMBAKO', 'BST', 'PBI'].reduce((a, p) => a + get(`rows_${p}`), 0);
    const sum = (reason: string): number => ['PKH', 'SEMBAKO', 'BST', 'PBI'].reduce((a, p) => a + get(`truth_${p}_${reason}`), 0);
    const rate = (reason: string): number => sum(reason) / rows;
    expect(rate('INVALID_NIK')).toBeGreaterThan(0.012);
    expect(rate('INVALID_NIK')).toBeLessThan(0.03);
    expect(rate('NOT_IN_DTKS')).toBeGreaterThan(0.015); // typos + strangers + people whose DTKS NIK is damaged
    expect(rate('NOT_IN_DTKS')).toBeLessThan(0.045);
    expect(rate('BIRTHDATE_MISMATCH')).toBeGreaterThan(0.004);
    expect(rate('BIRTHDATE_MISMATCH')).toBeLessThan(0.02);
    expect(rate('REGION_MISMATCH')).toBeGreaterThan(0.004);
    expect(rate('REGION_MISMATCH')).toBeLessThan(0.025);
    expect(rate('DUPLICATE_IN_PROGRAM')).toBeGreaterThan(0.004);
    expect(rate('DUPLICATE_IN_PROGRAM')).toBeLessThan(0.02);
    expect(rate('DECEASED')).toBeGreaterThan(0.003);
    expect(rate('DECEASED')).toBeLessThan(0.03);
    expect(sum('NAME_MISMATCH')).toBeGreaterThan(5);
    expect(get('truth_BST_PROGRAM_CONFLICT')).toBeGreaterThan(0);
    expect(get('truth_BST_PROGRAM_CONFLICT') / get('rows_BST')).toBeLessThan(0.08);
    expect(get('truth_suggestions')).toBeGreaterThan(20);
    const dtks = get('dtks_rows');
    expect(get('truth_DTKS_INVALID_NIK') / dtks).toBeGreaterThan(0.005);
    expect(get('truth_DTKS_INVALID_NIK') / dtks).toBeLessThan(0.02);
    expect(get('truth_DTKS_DUPLICATE_IN_DTKS') / dtks).toBeGreaterThan(0.004);
    expect(get('truth_DTKS_DUPLICATE_IN_DTKS') / dtks).toBeLessThan(0.02);
    expect(get('dtks_dup_groups_SAME_PERSON')).toBeGreaterThan(get('dtks_dup_groups_DIFFERENT_PERSON'));
    expect(get('dtks_dup_groups_DIFFERENT_PERSON')).toBeGreaterThan(0);
    expect(get('dtks_deceased') / dtks).toBeGreaterThan(0.006);
    expect(get('dtks_deceased') / dtks).toBeLessThan(0.016);
    expect(get('rejected_rows')).toBeGreaterThanOrEqual(3);
    expect(get('warning_DTKS_STATUS_UNKNOWN')).toBeGreaterThan(5);
  });

  it('csv mode writes every file as CSV', async () => {
    const csv = await generate({ outDir: join(dir, 'csv'), households: 300, seed: 5, formats: 'csv' });
    expect(csv.programs.map((p) => basename(p.path))).toEqual(['pkh-2021-09.csv', 'sembako-2021-09.csv', 'bst-2021-09.csv', 'pbi-2021-09.csv']);
  });

  it('rejects bad options', async () => {
    await expect(generate({ outDir: join(dir, 'x'), period: '2021-13' })).rejects.toThrow(/period/);
    await expect(generate({ outDir: join(dir, 'x'), households: 0 })).rejects.toThrow(/households/);
    await expect(generate({ outDir: join(dir, 'x'), seed: 1.5 })).rejects.toThrow(/seed/);
  });
});

/** Line number of a CSV file's header: the first line with a NIK column. */
async function headerLineOf(path: string): Promise<number | undefined> {
  for await (const r of readCsvRows(path)) if (r.cells.some((c) => NIK_HEADERS.has(c.replace(/^\ufeff/, '')))) return r.line;
  return undefined;
}
