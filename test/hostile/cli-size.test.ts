import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/golden.js';
import { accountedSummary, runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 1: a file with more than about 120 k flagged rows crashed the run after all the
 * processing ("Maximum call stack size exceeded", no outputs): the snapshot spread every flagged
 * result of a file into one `push(...)` call, one stack slot per element. A lint rule now rejects
 * spread arguments; this test keeps the run itself honest at a size past the old limit.
 */
describe('a file with more than 120 k flagged rows', () => {
  it('flagged_rows_over_stack_limit: 130 k INVALID_NIK rows give a snapshot, not a stack overflow', () => {
    const dir = tempDir('cli-size');
    const dtks = join(dir, 'dtks.csv');
    // 1 500 DTKS rows: over 1 % of the program rows, so the release is not refused as too small.
    let text = 'NIK,NAMA\n';
    for (let i = 1; i <= 1500; i++) text += `15710115058${String(i).padStart(5, '0')},BUDI\n`;
    writeFileSync(dtks, text);
    const program = join(dir, 'f.csv');
    writeFileSync(program, `NIK,NAMA\n${'X,A\n'.repeat(130_000)}`);
    // A 256 MB heap: the run's memory is its state (130 k flagged results), not a multiple of it.
    const r = runCli(['run', '--period', '2021-09', '--dtks', dtks, '--program', `PKH=${program}`, '--out', join(dir, 'out'), '--date', '2021-09-30'], {
      timeoutMs: 110_000,
      nodeArgs: ['--max-old-space-size=256'],
    });
    expect(r.stderr).not.toMatch(/call stack/);
    expect(r.code).toBe(0);
    const s = accountedSummary(snapshotDirOf(r));
    expect(s.files.find((f) => f.source_file === 'f.csv')).toMatchObject({ rows_read: 130_000, flagged: 130_000 });
  });
});
