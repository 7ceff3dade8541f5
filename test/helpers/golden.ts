import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PipelineInput } from '@padan/cli';

export const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

export const GOLDEN_INPUTS: PipelineInput[] = [
  { source: 'DTKS', path: join(GOLDEN_DIR, 'dtks.csv') },
  { source: 'PKH', path: join(GOLDEN_DIR, 'pkh.csv') },
  { source: 'SEMBAKO', path: join(GOLDEN_DIR, 'sembako.jsonl') },
  { source: 'BST', path: join(GOLDEN_DIR, 'bst.csv') },
  { source: 'PBI', path: join(GOLDEN_DIR, 'pbi.csv') },
];

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `padan-${prefix}-`));
}
