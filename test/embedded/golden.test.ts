import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import type { EmbeddedRunResult } from '@padan/cli';
import type { MismatchEvent } from '@padan/contracts';
import { readCsvObjects } from '../helpers/csv.js';
import { GOLDEN_DIR, GOLDEN_INPUTS, tempDir } from '../helpers/golden.js';

/**
 * The hand-written golden fixture: every finding is spelled out in expected-findings.csv with the
 * reason it must be raised. Nothing else may be flagged.
 */
describe('golden fixture (embedded)', async () => {
  const out = tempDir('golden');
  const events: MismatchEvent[] = [];
  const result: EmbeddedRunResult = await runEmbedded({
    period: '2021-09',
    inputs: GOLDEN_INPUTS,
    outDir: out,
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'test-key',
    padanVersion: 'test',
    onMismatch: (e) => events.push(...e),
  });
  const snap = result.snapshotDir;
  const findings = await readCsvObjects(join(snap, 'restricted/findings.csv'));
  const expected = await readCsvObjects(join(GOLDEN_DIR, 'expected-findings.csv'));

  it('writes the snapshot under snapshots/period=YYYY-MM/date=YYYY-MM-DD/', () => {
    expect(snap).toBe(join(out, 'snapshots', 'period=2021-09', 'date=2021-09-30'));
  });

  for (const e of expected) {
    it(`flags ${e.program} ${e.source_file} row ${e.source_row}: ${e.why}`, () => {
      const f = findings.find((x) => x.program === e.program && x.source_file === e.source_file && x.source_row === e.source_row);
      expect(f, 'finding present').toBeDefined();
      expect({ outcome: f?.outcome, reasons: f?.reasons, details: f?.details, suggested_nik: f?.suggested_nik }).toEqual({
        outcome: e.outcome,
        reasons: e.reasons,
        details: e.details,
        suggested_nik: e.suggested_nik,
      });
    });
  }

  it('flags nothing else', () => {
    const key = (x: Record<string, string>) => `${x.program}/${x.source_file}#${x.source_row}`;
    expect(findings.map(key)).toEqual(expected.map(key));
  });

  it('sorts findings by program, then file, then numeric row', () => {
    const keys = findings.map((f) => [String(f.program), String(f.source_file), Number(f.source_row)] as const);
    const sorted = [...keys].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });

  it('keeps the exact digits of a NIK above 2^53 read from a JSON number', () => {
    // SEMBAKO line 3 holds 9101011203850001 as a number; it matched DTKS, so it is clean, and the
    // DTKS row with that NIK was found by exact digits: no NOT_IN_DTKS for it.
    expect(findings.some((f) => f.source_file === 'sembako.jsonl' && f.source_row === '3')).toBe(false);
  });

  it('neutralises formula-looking cells in findings.csv', () => {
    const f = findings.find((x) => x.source_file === 'pbi.csv' && x.source_row === '6');
    expect(f?.nama).toBe("'=CMD()");
  });

  it('accounts for every input row, per file: read = clean + flagged + rejected', () => {
    const summary = JSON.parse(readFileSync(join(snap, 'dashboard/summary.json'), 'utf8'));
    const byFile = Object.fromEntries(summary.files.map((f: Record<string, unknown>) => [f.source_file, f]));
    expect(byFile['dtks.csv']).toMatchObject({ rows_read: 22, flagged: 7, clean: 15, rejected: 0, accounted: true });
    expect(byFile['pkh.csv']).toMatchObject({ rows_read: 15, flagged: 10, clean: 4, rejected: 1, accounted: true });
    expect(byFile['sembako.jsonl']).toMatchObject({ rows_read: 8, flagged: 2, clean: 4, rejected: 2, accounted: true });
    expect(byFile['bst.csv']).toMatchObject({ rows_read: 7, flagged: 6, clean: 1, rejected: 0, accounted: true });
    expect(byFile['pbi.csv']).toMatchObject({ rows_read: 7, flagged: 4, clean: 3, rejected: 0, accounted: true });
    expect(summary.totals).toEqual({ rows_read: 59, clean: 27, flagged: 29, rejected: 3 });
  });

  it('counts checks skipped for absent fields', () => {
    const summary = JSON.parse(readFileSync(join(snap, 'dashboard/summary.json'), 'utf8'));
    const bst = summary.programs.find((p: { program: string }) => p.program === 'BST');
    // bst.csv has no birth-date column: not one of its 7 records had its birth date checked.
    expect(bst.not_checked.BIRTHDATE).toBe(7);
  });

  it('writes dead letters with their reason to rejected.jsonl', () => {
    const lines = readFileSync(join(snap, 'restricted/rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.program, l.source_file, l.source_row, l.reason])).toEqual([
      ['PKH', 'pkh.csv', 14, 'RAGGED_ROW'],
      ['SEMBAKO', 'sembako.jsonl', 4, 'INVALID_JSON'],
      ['SEMBAKO', 'sembako.jsonl', 8, 'NOT_AN_OBJECT'],
    ]);
  });

  it('publishes one mismatch event per flagged record, with no raw NIK or name', () => {
    expect(events).toHaveLength(findings.length);
    const text = JSON.stringify(events);
    for (const f of findings) {
      if (/^\d{16}$/.test(f.nik ?? '')) expect(text).not.toContain(f.nik);
      if (f.nama && f.nama.length > 3) expect(text).not.toContain(f.nama.replace(/^'/, ''));
    }
    expect(events[0]?.nikMasked).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(events[0]?.nikHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps NIKs and names out of summary.json and manifest.json', () => {
    const text = readFileSync(join(snap, 'dashboard/summary.json'), 'utf8') + readFileSync(join(snap, 'manifest.json'), 'utf8');
    expect(text).not.toMatch(/\d{16}/);
    for (const f of findings) if (f.nama && f.nama.length > 3) expect(text).not.toContain(f.nama);
  });

  it('records inputs, checksums, the DTKS release and the rules in manifest.json', () => {
    const m = JSON.parse(readFileSync(join(snap, 'manifest.json'), 'utf8'));
    expect(m.inputs).toHaveLength(5);
    // The period's own release when none is named: what the distributed run (no releases yet) writes too.
    expect(m.dtks_release).toMatchObject({ id: '2021-09', from: '2021-09', files: [{ file: 'dtks.csv', rows_read: 22 }] });
    expect(m).toMatchObject({ schema_version: 2, period: '2021-09', snapshot_date: '2021-09-30', supersedes: null });
    expect(Date.parse(m.created_at)).not.toBeNaN();
    expect(m.rules.version).toBe('default-2021-1');
    expect(m.outputs.map((o: { name: string }) => o.name)).toEqual(['restricted/findings.csv', 'restricted/findings.xlsx', 'restricted/findings.parquet', 'restricted/rejected.jsonl', 'dashboard/summary.json']);
    for (const o of m.outputs) expect(o.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
