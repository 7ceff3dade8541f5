import { join } from 'node:path';
import { it, expect } from 'vitest';
import { runEmbedded, loadRules } from '@padan/cli';
import { generate } from './generate.js';
import { scoreFindings } from './score.js';

it('e2e', async () => {
  const base = process.env.E2E_DIR ?? '/tmp/e2e';
  const files = await generate({ outDir: join(base, 'data'), households: Number(process.env.E2E_H ?? 2000), seed: Number(process.env.E2E_SEED ?? 1), formats: (process.env.E2E_FMT ?? 'mixed') as 'mixed' });
  const res = await runEmbedded({
    period: files.period,
    inputs: [{ source: 'DTKS', path: files.dtks }, ...files.programs.map((p) => ({ source: p.program, path: p.path }))],
    outDir: join(base, 'out'), date: '2021-10-01', rules: loadRules(undefined), hashKey: 'k', padanVersion: 'test',
  });
  const s = await scoreFindings(join(res.snapshotDir, 'findings.csv'), files.truth);
  console.log(res.snapshotDir);
  console.log(JSON.stringify(s, null, 1));
  expect(s).toBeDefined();
}, 600000);
