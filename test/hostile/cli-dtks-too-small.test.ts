import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';
import { accountedSummary, runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 4c: a header-only DTKS flagged nearly every recipient NOT_IN_DTKS and exited 0,
 * a false finding on a whole list. A release with no rows, or fewer than 1 % of the period's
 * program rows, now stops the run with DTKS_TOO_SMALL unless --allow-small-dtks is given.
 */
describe('a DTKS release too small for the period', () => {
  const dir = tempDir('cli-dtks-small');
  const pkh = join(GOLDEN_DIR, 'pkh.csv');

  it('dtks_header_only: a header-only DTKS stops the run with exit 2, naming the file, the counts, the rule and the flag', () => {
    const dtks = join(dir, 'dtks-header.csv');
    writeFileSync(dtks, 'IDDTKS,NIK,NAMA,TGL_LAHIR,STATUS\n');
    const out = join(dir, 'out-header');
    const r = runCli(['run', '--period', '2021-09', '--dtks', dtks, '--program', `PKH=${pkh}`, '--out', out, '--date', '2021-09-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^padan: dtks-header\.csv: the DTKS release has 0 usable rows for 15 program rows in the period; a release needs at least 1 % of the program rows \(1\).*pass --allow-small-dtks.*\[rule DTKS_TOO_SMALL\]\n$/);
    expect(existsSync(join(out, 'snapshots'))).toBe(false);
  });

  it('dtks_header_only, distributed: refused before anything is uploaded or any service starts', () => {
    const dtks = join(dir, 'dtks-header-dist.csv');
    writeFileSync(dtks, 'IDDTKS,NIK,NAMA,TGL_LAHIR,STATUS\n');
    const out = join(dir, 'out-header-dist');
    // No Kafka or S3 is configured: the check comes first, so the run never gets as far as needing them.
    const env: NodeJS.ProcessEnv = { ...process.env, PADAN_HASH_KEY: 'test-key-not-secret', KAFKA_BROKERS: '', S3_BUCKET: '', S3_ENDPOINT: '' };
    const r = runCli(['run', '--mode', 'distributed', '--period', '2021-09', '--dtks', dtks, '--program', `PKH=${pkh}`, '--out', out, '--date', '2021-09-30'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^padan: dtks-header-dist\.csv: the DTKS release has 0 usable rows for 15 program rows.*\[rule DTKS_TOO_SMALL\]\n$/);
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('a DTKS release whose every row is a dead letter has no usable rows', () => {
    const dtks = join(dir, 'dtks-ragged.csv');
    writeFileSync(dtks, 'NIK,NAMA\n1571011505800001,A,extra\n1571011505800002,B,extra\n');
    const r = runCli(['run', '--period', '2021-09', '--dtks', dtks, '--program', `PKH=${pkh}`, '--out', join(dir, 'out-ragged'), '--date', '2021-09-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dtks-ragged\.csv: the DTKS release has 0 usable rows for 15 program rows.*\[rule DTKS_TOO_SMALL\]/);
  });

  it('dtks_under_one_percent: 5 DTKS rows for 1 000 program rows are refused; --allow-small-dtks accepts them', () => {
    const dtks = join(dir, 'dtks-five.csv');
    let d = 'NIK,NAMA\n';
    for (let i = 1; i <= 5; i++) d += `157101150580000${i},BUDI\n`;
    writeFileSync(dtks, d);
    const program = join(dir, 'pbi.csv');
    let p = 'NIK,NAMA\n';
    for (let i = 1; i <= 1000; i++) p += `15710115059${String(i).padStart(5, '0')},ANI\n`;
    writeFileSync(program, p);
    const args = ['run', '--period', '2021-09', '--dtks', dtks, '--program', `PBI=${program}`, '--date', '2021-09-30'];
    const refused = runCli([...args, '--out', join(dir, 'out-five')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/dtks-five\.csv: the DTKS release has 5 usable rows for 1000 program rows.*\(10\).*\[rule DTKS_TOO_SMALL\]/);

    const allowed = runCli([...args, '--out', join(dir, 'out-five-allowed'), '--allow-small-dtks']);
    expect(allowed.code).toBe(0);
    const s = accountedSummary(snapshotDirOf(allowed));
    expect(s.files.find((f) => f.source_file === 'pbi.csv')).toMatchObject({ rows_read: 1000, flagged: 1000 });
  });
});
