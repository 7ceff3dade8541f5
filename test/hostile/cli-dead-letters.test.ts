import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';
import { accountedSummary, runCli, snapshotDirOf } from '../helpers/cli-process.js';

const NIK_RUN = /\d{16}/;
let dir: string;
let out: string;
let pkh: string;

beforeAll(() => {
  dir = tempDir('cli-dlq');
  out = join(dir, 'out');
  pkh = join(dir, 'pkh-broken.csv');
  writeFileSync(
    pkh,
    [
      'NIK;NAMA;TGL_LAHIR',
      '1571011505800001;MUHAMMAD YUSUF;1980-05-15', // 1 clean
      '1571015708850002;extra;cell;here', // 2 ragged: a dead letter
      '1571020909900009;HENDRA SAPUTRA;1990-09-09', // 3
      '1571020101700003;RUSLI', // 4 too few cells: a dead letter
    ].join('\n'),
  );
});

/**
 * Issue 6, defect 4 (stderr): rows dead-lettered while the run exited 0 left no trace on the
 * terminal. The run now says, per file, how many rows were dead-lettered and where to look.
 */
describe('dead letters are never silent', () => {
  it('silent_dead_letters: the run reports dead-lettered rows per file on stderr, without personal data', () => {
    const r = runCli(['run', '--period', '2021-09', '--dtks', join(GOLDEN_DIR, 'dtks.csv'), '--program', `PKH=${pkh}`, '--out', out, '--date', '2021-09-30']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/padan: 2 rows could not be read and were dead-lettered:\n {2}PKH\/pkh-broken\.csv: 2 of 4 rows\n {2}see .*date=2021-09-30\/rejected\.jsonl, or list them with: padan dlq inspect --period 2021-09 --out /);
    expect(r.stderr).not.toMatch(NIK_RUN);
    expect(accountedSummary(snapshotDirOf(r)).files.find((f) => f.source_file === 'pkh-broken.csv')).toMatchObject({ rows_read: 4, rejected: 2 });
  });

  it('a clean run says nothing about dead letters', () => {
    const clean = join(dir, 'pkh-clean.csv');
    writeFileSync(clean, 'NIK,NAMA\n1571011505800001,MUHAMMAD YUSUF\n');
    const r = runCli(['run', '--period', '2021-09', '--dtks', join(GOLDEN_DIR, 'dtks.csv'), '--program', `PKH=${clean}`, '--out', join(dir, 'clean-out'), '--date', '2021-09-30']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/dead-lettered/);
  });
});
