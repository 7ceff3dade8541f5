import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded, snapshotContents } from '@padan/cli';
import { generate } from '@padan/synth';
import { FAN_IN } from '../../packages/pipeline/src/report/sorted-runs.js';
import { tempDir } from '../helpers/golden.js';

/**
 * Report spills flagged results and dead letters to sorted runs once it holds `reportSpillRows` of
 * them (clean results are only counted), and merges the runs into the snapshot. A generated month
 * of some 15 000 rows with a bound of 20 spills dozens of runs (and merges levels of them: FAN_IN
 * runs make a level); its snapshot must be byte-identical to one where everything stays in memory,
 * and no spill file may be left in --out.
 */
describe('report spilling to sorted runs, embedded', () => {
  it('writes the same snapshot with many spills as with none, and removes its spill files', async () => {
    const dir = tempDir('report-spill');
    const files = await generate({ outDir: join(dir, 'input'), households: 3000, seed: 21, period: '2021-09', formats: 'mixed' });
    const inputs = [{ source: 'DTKS' as const, path: files.dtks }, ...files.programs.map((p) => ({ source: p.program, path: p.path }))];
    async function run(name: string, reportSpillRows: number): Promise<{ out: string; bytes: Record<string, string>; rows: number }> {
      const out = join(dir, name);
      const r = await runEmbedded({ period: files.period, inputs, outDir: out, date: '2021-09-30', rules: loadRules(), hashKey: 'k', padanVersion: 'test', reportSpillRows });
      const bytes: Record<string, string> = {};
      for (const [f, b] of Object.entries(snapshotContents(r.snapshotDir))) bytes[f] = b.toString('base64');
      return { out, bytes, rows: r.work.results };
    }
    const bound = 20;
    const spilled = await run('spilled', bound);
    const inMemory = await run('in-memory', 100_000_000);
    // Many times the bound went through report's runs: enough spills that levels were merged.
    const totals = JSON.parse(Buffer.from(spilled.bytes['summary.json'] as string, 'base64').toString('utf8')).totals;
    expect(totals.flagged + totals.rejected).toBeGreaterThan(FAN_IN * bound);
    expect(Object.keys(spilled.bytes)).toEqual(['findings.csv', 'findings.parquet', 'findings.xlsx', 'manifest.json', 'rejected.jsonl', 'summary.json']);
    expect(spilled.bytes).toEqual(inMemory.bytes);
    // Only the snapshot is left in --out: no spill folder (they hold personal data).
    expect(readdirSync(spilled.out).filter((n) => n.startsWith('padan-report-'))).toEqual([]);
  });
});
