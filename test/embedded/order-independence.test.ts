import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded, snapshotContents } from '@padan/cli';
import type { PipelineInput } from '@padan/cli';
import { GOLDEN_INPUTS, tempDir } from '../helpers/golden.js';

async function snapshotBytes(inputs: PipelineInput[], batchSize: number): Promise<Record<string, string>> {
  const out = tempDir('order');
  const r = await runEmbedded({
    period: '2021-09',
    inputs,
    outDir: out,
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'k',
    padanVersion: 'test',
    keepInputOrder: true,
    batchSize,
  });
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(snapshotContents(r.snapshotDir))) files[name] = bytes.toString('base64');
  return files;
}

/**
 * Findings that depend on other records (duplicates, program conflicts, DTKS duplicates) must not
 * depend on arrival order: match re-emits results when evidence arrives, report keeps the latest.
 * Here files arrive in shuffled orders, DTKS sometimes last (program records then wait for the
 * release), and in batches of 1 or 3 rows so stages interleave.
 */
describe('arrival order', () => {
  const orders: [string, number[], number][] = [
    ['as listed', [0, 1, 2, 3, 4], 2000],
    ['BST before PKH and SEMBAKO, DTKS last', [3, 4, 2, 1, 0], 3],
    ['one row per batch, DTKS in the middle', [4, 3, 0, 1, 2], 1],
    ['reversed programs', [0, 4, 3, 2, 1], 2],
  ];

  it('gives byte-identical snapshots whatever the file order and batch size', async () => {
    const [first, ...rest] = await Promise.all(orders.map(([, order, size]) => snapshotBytes(order.map((i) => GOLDEN_INPUTS[i]!), size)));
    expect(Object.keys(first!)).toEqual(['findings.csv', 'findings.parquet', 'findings.xlsx', 'manifest.json', 'rejected.jsonl', 'summary.json']);
    for (const other of rest) expect(other).toEqual(first);
  });
});
