import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import { REASONS } from '@padan/contracts';
import { generate, scoreFindings } from '@padan/synth';
import { tempDir } from '../helpers/golden.js';

/**
 * End to end on generated data with a ground truth: several thousand households, every defect
 * injected, in the mixed formats (CSV `;` and `,`, XLSX with numeric NIK cells, JSON Lines) and in
 * plain CSV. Precision and recall per reason code, suggestions, and the per-file accounting.
 */
describe.each([
  ['mixed formats', 'mixed', 4000, 11],
  ['CSV only', 'csv', 3000, 12],
] as const)('synthetic Jambi month, %s', async (_name, formats, households, seed) => {
  const dir = tempDir('synthetic');
  const files = await generate({ outDir: join(dir, 'input'), households, seed, period: '2021-09', formats });
  const result = await runEmbedded({
    period: files.period,
    inputs: [{ source: 'DTKS', path: files.dtks }, ...files.programs.map((p) => ({ source: p.program, path: p.path }))],
    outDir: join(dir, 'store'),
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'k',
    padanVersion: 'test',
  });
  const score = await scoreFindings(join(result.snapshotDir, 'restricted/findings.csv'), files.truth);

  for (const reason of REASONS) {
    it(`${reason}: precision and recall at least 0.95`, () => {
      const c = score.perReason[reason];
      expect(c, `the generator injects ${reason}`).toBeDefined();
      expect(c!.tp + c!.fn, `truth has ${reason} cases`).toBeGreaterThan(0);
      expect(c!.precision).toBeGreaterThanOrEqual(0.95);
      expect(c!.recall).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('suggested NIKs: precision at least 0.98, recall at least 0.90', () => {
    expect(score.suggestion.tp).toBeGreaterThan(0);
    expect(score.suggestion.precision).toBeGreaterThanOrEqual(0.98);
    expect(score.suggestion.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('accounts for every input row: read = clean + flagged + rejected, matching what was written', async () => {
    const counts = JSON.parse(readFileSync(join(dir, 'input', 'truth-counts.json'), 'utf8')) as {
      files: Record<string, { data_rows: number; rejected_rows: number }>;
    };
    const summary = JSON.parse(readFileSync(join(result.snapshotDir, 'dashboard/summary.json'), 'utf8'));
    expect(summary.files).toHaveLength(Object.keys(counts.files).length);
    for (const f of summary.files) {
      const written = counts.files[f.source_file];
      expect(f.accounted, f.source_file).toBe(true);
      expect(f.rows_read, f.source_file).toBe(f.clean + f.flagged + f.rejected);
      expect({ read: f.rows_read, rejected: f.rejected }, f.source_file).toEqual({ read: written!.data_rows + written!.rejected_rows, rejected: written!.rejected_rows });
    }
    const expectedRejects = readFileSync(join(dir, 'input', 'truth-rejected.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
      const [, file, row, reason] = l.split(',');
      return `${file}#${row}:${reason}`;
    });
    const written = readFileSync(join(result.snapshotDir, 'restricted/rejected.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(written.map((r) => `${r.source_file}#${r.source_row}:${r.reason}`).sort()).toEqual(expectedRejects.sort());
  });
});
