import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GuardrailError, guardInputs, parseShare } from './guardrails.js';

const GOLDEN = fileURLToPath(new URL('../../../test/fixtures/golden/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'padan-guardrails-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('guardInputs', () => {
  const swapped = [
    { source: 'DTKS' as const, path: join(GOLDEN, 'pkh.csv') },
    { source: 'PKH' as const, path: join(GOLDEN, 'dtks.csv') },
  ];

  it('the golden inputs in their roles pass without a word', async () => {
    const lines: string[] = [];
    await guardInputs('2021-09', [{ source: 'DTKS', path: join(GOLDEN, 'dtks.csv') }, { source: 'PKH', path: join(GOLDEN, 'pkh.csv') }, { source: 'SEMBAKO', path: join(GOLDEN, 'sembako.jsonl') }], { workDir: work }, (s) => lines.push(s));
    expect(lines).toEqual([]);
  });

  it('swapped files: one warning per file, then the --strict hint; the temporary folder is gone', async () => {
    const lines: string[] = [];
    await guardInputs('2021-09', swapped, { workDir: work }, (s) => lines.push(s));
    expect(lines.map((l) => /\[check (\w+)\]$/.exec(l)?.[1] ?? l)).toEqual(['DTKS_LOOKS_LIKE_PROGRAM', 'PROGRAM_LOOKS_LIKE_DTKS', 'padan: (--strict makes guardrail warnings errors)']);
    expect(readdirSync(work)).toEqual([]);
  });

  it('--strict: one error naming every finding, and nothing printed', async () => {
    const lines: string[] = [];
    const run = guardInputs('2021-09', swapped, { strict: true, workDir: work }, (s) => lines.push(s));
    await expect(run).rejects.toThrow(GuardrailError);
    await expect(guardInputs('2021-09', swapped, { strict: true, workDir: work })).rejects.toThrow(/^2 guardrail checks failed under --strict; nothing was reconciled or uploaded:\n {2}pkh\.csv \(DTKS\): .*\n {2}dtks\.csv \(PKH\): /);
    expect(lines).toEqual([]);
    expect(readdirSync(work)).toEqual([]);
  });

  it('a DTKS --mapping that names the household id and status columns counts for the shape', async () => {
    const lines: string[] = [];
    await guardInputs('2021-09', [{ source: 'DTKS', path: join(GOLDEN, 'pkh.csv') }], { mapping: { DTKS: { id_dtks: 'NO_KK' } } }, (s) => lines.push(s));
    expect(lines).toEqual([]);
  });
});

describe('parseShare', () => {
  it('takes a share between 0 and 1', () => {
    expect(parseShare('0.5')).toBe(0.5);
    expect(parseShare('1')).toBe(1);
    expect(parseShare('0')).toBe(0);
    for (const bad of ['50', '-0.1', '', 'half', '50%']) expect(() => parseShare(bad)).toThrow(/expected a share between 0 and 1/);
  });
});

describe('guardInputs on a file it cannot read', () => {
  it('leaves the error to the run: no warning, no error of its own', async () => {
    const lines: string[] = [];
    await guardInputs('2021-09', [{ source: 'PKH', path: join(work, 'missing.csv') }, { source: 'PBI', path: join(GOLDEN, 'README.md') }], { strict: true }, (s) => lines.push(s));
    expect(lines).toEqual([]);
  });
});
