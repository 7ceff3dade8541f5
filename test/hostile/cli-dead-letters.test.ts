import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshotContents } from '@padan/cli';
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
    expect(r.stderr).toMatch(/padan: 2 rows could not be read and were dead-lettered:\n {2}PKH\/pkh-broken\.csv: 2 of 4 rows\n {2}see .*date=2021-09-30\/restricted\/rejected\.jsonl, or list them with: padan dlq inspect --period 2021-09 --out /);
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

function snapshotHashes(snap: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(snapshotContents(snap))) out[name] = createHash('sha256').update(bytes).digest('hex');
  return out;
}

/**
 * Issue 6, "Dead letters, end to end": dead letters can be listed (masked) and replayed once
 * corrected. A fixed row takes the place of its dead letter, the accounting identity still holds
 * (the row moves from rejected to clean or flagged), and the same fix twice changes nothing.
 */
describe('padan dlq', () => {
  it('dlq_inspect: lists the dead letters of the latest snapshot, NIKs and dates masked', () => {
    const r = runCli(['dlq', 'inspect', '--period', '2021-09', '--out', out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('period\tprogram\tfile\trow\treason\ttext');
    expect(lines.slice(1).map((l) => l.split('\t').slice(0, 5).join(' '))).toEqual(['2021-09 PKH pkh-broken.csv 2 RAGGED_ROW', '2021-09 PKH pkh-broken.csv 4 RAGGED_ROW']);
    expect(lines[1]).toMatch(/1571\*{8}0002;extra;cell;here$/);
    expect(r.stdout).not.toMatch(NIK_RUN);
    expect(r.stderr).toBe('padan: 2 dead letters in period 2021-09\n');
  });

  it('dlq_inspect refuses a period without a snapshot, and --out with --topic', () => {
    const none = runCli(['dlq', 'inspect', '--period', '2021-10', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^padan: no snapshot of period 2021-10 under .*; run padan run --period 2021-10 --out .* first\n$/);
    expect(none.stdout).toBe('');
    const empty = runCli(['dlq', 'inspect', '--out', join(dir, 'nothing-here')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^padan: no snapshot under .*nothing-here; run padan run --out .* first/);
    const both = runCli(['dlq', 'inspect', '--out', out, '--topic']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --out DIR .* or --topic .*, not both/);
  });

  it('dlq_redrive: fixed rows replace their dead letters; the same fixes twice give a byte-identical snapshot', () => {
    const fixes = join(dir, 'fixes.csv');
    writeFileSync(fixes, 'source,file,row,nik,nama,tanggal_lahir\nPKH,pkh-broken.csv,2,1571015708850002,SITI AMINAH,1985-08-17\nPKH,pkh-broken.csv,4,1571020101700003,RUSLI,1970-01-01\n');
    const r = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', out, '--fixes', fixes]);
    expect(r.stderr).toMatch(/padan: 2 fixed rows replayed in place of their dead letters \(1 fixes file\)/);
    expect(r.code).toBe(0);
    const snap = snapshotDirOf(r);
    expect(snap).toMatch(/period=2021-09\/date=2021-09-30$/);
    const s = accountedSummary(snap);
    expect(s.files.find((f) => f.source_file === 'pkh-broken.csv')).toMatchObject({ rows_read: 4, rejected: 0 });
    expect(readFileSync(join(snap, 'restricted/rejected.jsonl'), 'utf8')).toBe('');
    const manifest = JSON.parse(readFileSync(join(snap, 'manifest.json'), 'utf8'));
    expect(manifest.fixes).toEqual([{ file: 'fixes.csv', sha256: createHash('sha256').update(readFileSync(fixes)).digest('hex'), rows: 2 }]);
    expect(manifest.inputs.find((i: { source_file: string }) => i.source_file === 'pkh-broken.csv')).toMatchObject({ rows_read: 4, rows_rejected: 0 });
    // The fixed rows are findings or clean rows now, under their own row numbers.
    const findings = readFileSync(join(snap, 'restricted/findings.csv'), 'utf8');
    expect(findings).not.toMatch(/pkh-broken\.csv,[13],/); // rows 1 and 3 were clean before and stay so

    const before = snapshotHashes(snap);
    const again = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', out, '--fixes', fixes]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/fixes\.csv was applied before/);
    expect(snapshotHashes(snap)).toEqual(before);

    const listed = runCli(['dlq', 'inspect', '--period', '2021-09', '--out', out]);
    expect(listed.stderr).toBe('padan: 0 dead letters in period 2021-09\n');
  });

  it('dlq_redrive refuses fixes that name no dead letter, an unknown file or an unknown column, and keeps the snapshot', () => {
    const snap = join(out, 'snapshots', 'period=2021-09', 'date=2021-09-30');
    const before = snapshotHashes(snap);
    const cases: [string, string, RegExp][] = [
      ['not-dead.csv', 'source,file,row,nik,nama\nPKH,pkh-broken.csv,3,1571020909900009,HENDRA\n', /not-dead\.csv row 2: PKH\/pkh-broken\.csv row 3 is not a dead letter of this period's inputs.*\[rule FIX_TARGET\]/],
      ['other-file.csv', 'source,file,row,nik,nama\nBST,bst.csv,3,1571020909900009,HENDRA\n', /other-file\.csv row 2: BST\/bst\.csv is not an input of period 2021-09 .*\[rule FIX_TARGET\]/],
      ['bad-column.csv', 'source,file,row,nik,nama,umur\nPKH,pkh-broken.csv,2,1571015708850002,SITI,40\n', /bad-column\.csv row 2: unknown column "umur"; use source, file, row and the fields .*\[rule FIX_FIELD\]/],
      ['bad-row.jsonl', '{"program":"PKH","source_file":"pkh-broken.csv","source_row":"two","nik":"1"}\n', /bad-row\.jsonl row 1: row must be the source row, a whole number from 1.*\[rule FIX_KEY\]/],
      ['twice.csv', 'source,file,row,nik\nPKH,pkh-broken.csv,2,1\nPKH,pkh-broken.csv,2,2\n', /twice\.csv row 3: PKH\/pkh-broken\.csv row 2 is fixed twice \(also at row 2\).*\[rule FIX_DUPLICATE\]/],
    ];
    for (const [name, text, message] of cases) {
      const p = join(dir, name);
      writeFileSync(p, text);
      const r = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', out, '--fixes', p]);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).not.toMatch(NIK_RUN);
      expect(r.code, name).toBe(2);
    }
    expect(snapshotHashes(snap)).toEqual(before);
  });

  it('dlq_redrive without an earlier run says what to do', () => {
    const fixes = join(dir, 'fixes.csv');
    const r = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', join(dir, 'never-run'), '--fixes', fixes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no embedded run of period 2021-09 under .*never-run.*padan run --period 2021-09 --out/);
  });
});

describe('padan dlq redrive, fixes in steps', () => {
  it('dlq_redrive_accumulates: lines of rejected.jsonl edited into JSON Lines fixes, applied in two redrives, both listed in the manifest', () => {
    const stepDir = tempDir('cli-dlq-steps');
    const stepOut = join(stepDir, 'out');
    const run = runCli(['run', '--period', '2021-09', '--dtks', join(GOLDEN_DIR, 'dtks.csv'), '--program', `PKH=${pkh}`, '--out', stepOut, '--date', '2021-09-30']);
    expect(run.code).toBe(0);
    const snap = snapshotDirOf(run);
    const rejected = readFileSync(join(snap, 'restricted/rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rejected.map((r) => r.source_row)).toEqual([2, 4]);
    const values = [{ nik: '1571015708850002', nama: 'SITI AMINAH' }, { nik: '1571020101700003', nama: 'RUSLI' }];
    rejected.forEach((r, i) => {
      const p = join(stepDir, `fix-${i + 1}.jsonl`);
      writeFileSync(p, `${JSON.stringify({ ...r, raw: undefined, ...values[i] })}\n`);
    });

    const first = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', stepOut, '--fixes', join(stepDir, 'fix-1.jsonl')]);
    expect(first.code).toBe(0);
    expect(accountedSummary(snap).files.find((f) => f.source_file === 'pkh-broken.csv')).toMatchObject({ rows_read: 4, rejected: 1 });
    const second = runCli(['dlq', 'redrive', '--period', '2021-09', '--out', stepOut, '--fixes', join(stepDir, 'fix-2.jsonl')]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/2 fixed rows replayed in place of their dead letters \(2 fixes files\)/);
    expect(accountedSummary(snap).files.find((f) => f.source_file === 'pkh-broken.csv')).toMatchObject({ rows_read: 4, rejected: 0 });
    const manifest = JSON.parse(readFileSync(join(snap, 'manifest.json'), 'utf8'));
    expect(manifest.fixes.map((f: { file: string; rows: number }) => `${f.file}:${f.rows}`)).toEqual(['fix-1.jsonl:1', 'fix-2.jsonl:1']);

    // A new run of the period starts again from the files: the dead letters are back, no fixes listed.
    const rerun = runCli(['run', '--period', '2021-09', '--dtks', join(GOLDEN_DIR, 'dtks.csv'), '--program', `PKH=${pkh}`, '--out', stepOut, '--date', '2021-09-30']);
    expect(rerun.code).toBe(0);
    expect(accountedSummary(snap).files.find((f) => f.source_file === 'pkh-broken.csv')).toMatchObject({ rejected: 2 });
    expect(JSON.parse(readFileSync(join(snap, 'manifest.json'), 'utf8')).fixes).toBeUndefined();
  });
});
