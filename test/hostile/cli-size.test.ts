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
  it('flagged_rows_over_stack_limit: 130 k INVALID_NIK rows and 130 k NIKs not in DTKS give a snapshot, not a stack overflow', () => {
    const dir = tempDir('cli-size');
    const dtks = join(dir, 'dtks.csv');
    // 3 000 DTKS rows: over 1 % of the program rows, so the release is not refused as too small.
    let text = 'NIK,NAMA\n';
    for (let i = 1; i <= 3000; i++) text += `15710115058${String(i).padStart(5, '0')},BUDI\n`;
    writeFileSync(dtks, text);
    const program = join(dir, 'f.csv');
    writeFileSync(program, `NIK,NAMA\n${'X,A\n'.repeat(130_000)}`);
    // Valid, distinct NIKs absent from DTKS: each a NOT_IN_DTKS finding.
    const absent = join(dir, 'pbi.csv');
    let p = 'NIK,NAMA\n';
    for (let i = 1; i <= 130_000; i++) p += `1571011505${String(800000 + i).padStart(6, '0')},A\n`;
    writeFileSync(absent, p);
    const r = runCli(['run', '--period', '2021-09', '--dtks', dtks, '--program', `PKH=${program}`, '--program', `PBI=${absent}`, '--out', join(dir, 'out'), '--date', '2021-09-30'], { timeoutMs: 110_000 });
    expect(r.stderr).not.toMatch(/call stack/);
    expect(r.code).toBe(0);
    const s = accountedSummary(snapshotDirOf(r));
    expect(s.files.find((f) => f.source_file === 'f.csv')).toMatchObject({ rows_read: 130_000, flagged: 130_000 });
    expect(s.files.find((f) => f.source_file === 'pbi.csv')).toMatchObject({ rows_read: 130_000, flagged: 130_000 });
  });
});
