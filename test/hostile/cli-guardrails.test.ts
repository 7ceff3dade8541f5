import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';
import { runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 9, guardrails: "a July DTKS against a September program file, or DTKS and PKH swapped, run
 * without a word". Each check now warns, naming the file and what looks wrong; --strict makes any
 * warning an error (exit 2): before anything is reconciled for the file checks, after the run (the
 * snapshot kept) for the NOT_IN_DTKS share.
 */
describe('guardrails of padan run', () => {
  const dir = tempDir('cli-guardrails');
  const dtks = join(GOLDEN_DIR, 'dtks.csv');
  const pkh = join(GOLDEN_DIR, 'pkh.csv');
  const noSnapshotsOrTemp = (out: string) => {
    expect(existsSync(join(out, 'snapshots'))).toBe(false);
    expect(existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('.tmp')) : []).toEqual([]);
  };

  it('DTKS and PKH swapped: a warning naming each file and what looks wrong; --strict stops before reconciling, exit 2, naming both', () => {
    const args = ['run', '--period', '2021-09', '--date', '2021-09-30', '--dtks', pkh, '--program', `PKH=${dtks}`];
    const warned = runCli([...args, '--out', join(dir, 'swapped')]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^padan: warning: pkh\.csv \(DTKS\): given as the DTKS release but its header has no household id column \(IDDTKS, ID_DTKS\) and no status column \(STATUS\): it looks like a program list;.*\[check DTKS_LOOKS_LIKE_PROGRAM\]$/m);
    expect(warned.stderr).toMatch(/^padan: warning: dtks\.csv \(PKH\): given as the PKH list but its header has a household id column \("IDDTKS"\) and a status column \("STATUS"\).*\[check PROGRAM_LOOKS_LIKE_DTKS\]$/m);
    expect(warned.stderr).toMatch(/--strict makes guardrail warnings errors/);
    snapshotDirOf(warned);

    const out = join(dir, 'swapped-strict');
    const refused = runCli([...args, '--out', out, '--strict']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^padan: 2 guardrail checks failed under --strict; nothing was reconciled or uploaded:\n {2}pkh\.csv \(DTKS\): .*\[check DTKS_LOOKS_LIKE_PROGRAM\]\n {2}dtks\.csv \(PKH\): .*\[check PROGRAM_LOOKS_LIKE_DTKS\]\n$/);
    expect(refused.stdout).toBe('');
    noSnapshotsOrTemp(out);
  });

  it('DTKS and PKH swapped, distributed: --strict refuses before anything is uploaded or any service starts', () => {
    const out = join(dir, 'swapped-dist');
    // No Kafka or S3 is configured: the checks come first, so the run never gets as far as needing them.
    const env: NodeJS.ProcessEnv = { ...process.env, PADAN_HASH_KEY: 'test-key-not-secret', KAFKA_BROKERS: '', S3_BUCKET: '', S3_ENDPOINT: '' };
    const r = runCli(['run', '--mode', 'distributed', '--period', '2021-09', '--date', '2021-09-30', '--dtks', pkh, '--program', `PKH=${dtks}`, '--out', out, '--strict'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^padan: 2 guardrail checks failed under --strict; nothing was reconciled or uploaded:\n {2}pkh\.csv \(DTKS\).*\n {2}dtks\.csv \(PKH\)/);
    noSnapshotsOrTemp(out);
  });

  it('padan ingest --strict checks the files before uploading them', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: '', S3_BUCKET: '', S3_ENDPOINT: '' };
    const r = runCli(['ingest', '--period', '2021-09', '--program', `PKH=${dtks}`, '--strict'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^padan: a guardrail check failed under --strict; nothing was reconciled or uploaded:\n {2}dtks\.csv \(PKH\): .*\[check PROGRAM_LOOKS_LIKE_DTKS\]\n$/);
  });

  it('a file name whose period disagrees with --period: a warning; --strict: exit 2', () => {
    const named = join(dir, 'named');
    mkdirSync(named, { recursive: true });
    const july = join(named, 'PKH_JULI_2021.csv');
    copyFileSync(pkh, july);
    const args = ['run', '--period', '2021-09', '--date', '2021-09-30', '--dtks', dtks, '--program', `PKH=${july}`];
    const warned = runCli([...args, '--out', join(named, 'out')]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^padan: warning: PKH_JULI_2021\.csv \(PKH\): the file name says 2021-07 \("JULI_2021"\) but the run's period is 2021-09; check that this is the PKH list for 2021-09.*\[check PERIOD_IN_FILE_NAME\]$/m);

    const refused = runCli([...args, '--out', join(named, 'out-strict'), '--strict']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/PKH_JULI_2021\.csv \(PKH\): the file name says 2021-07/);
    noSnapshotsOrTemp(join(named, 'out-strict'));
  });

  it("a generated September run against August's DTKS with --strict: exit 2 naming the DTKS file; September's own DTKS passes", () => {
    const aug = join(dir, 'gen-2021-08');
    const sep = join(dir, 'gen-2021-09');
    expect(runCli(['generate', '--out', aug, '--households', '150', '--period', '2021-08']).code).toBe(0);
    expect(runCli(['generate', '--out', sep, '--households', '150', '--period', '2021-09']).code).toBe(0);
    const programs = ['--program', `PKH=${join(sep, 'pkh-2021-09.xlsx')}`, '--program', `SEMBAKO=${join(sep, 'sembako-2021-09.csv')}`, '--program', `BST=${join(sep, 'bst-2021-09.jsonl')}`, '--program', `PBI=${join(sep, 'pbi-2021-09.csv')}`];
    const base = ['run', '--period', '2021-09', '--date', '2021-09-30', ...programs, '--strict'];
    const out = join(dir, 'gen-out');
    const refused = runCli([...base, '--dtks', join(aug, 'dtks-jambi-2021-08.csv'), '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^padan: a guardrail check failed under --strict; nothing was reconciled or uploaded:\n {2}dtks-jambi-2021-08\.csv \(DTKS\): the file name says 2021-08 \("2021-08"\) but the run's period is 2021-09; .*\[check PERIOD_IN_FILE_NAME\]\n$/);
    noSnapshotsOrTemp(out);

    // No false alarm on a matching month: every file's name, header (XLSX and JSON Lines included) and share pass.
    const passed = runCli([...base, '--dtks', join(sep, 'dtks-jambi-2021-09.csv'), '--out', out]);
    expect(passed.code).toBe(0);
    expect(passed.stderr).not.toMatch(/\[check [A-Z_]+\]/);
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  describe('the NOT_IN_DTKS share, after the run', () => {
    const out = join(dir, 'share');
    // Structurally valid NIKs (Kota Jambi, born 15-05-1980) that the golden DTKS does not hold.
    const strangers = join(dir, 'pbi-strangers.csv');
    writeFileSync(strangers, `NIK,NAMA\n${Array.from({ length: 20 }, (_, i) => `1571011505800${101 + i},BUDI`).join('\n')}\n`);
    const september = ['run', '--period', '2021-09', '--date', '2021-09-30', '--dtks', dtks, '--program', `PBI=${strangers}`, '--out', out];

    it('above the limit, with last month beside it: --strict exits 2 and keeps the snapshot', () => {
      expect(runCli(['run', '--period', '2021-08', '--date', '2021-08-31', '--dtks', dtks, '--program', `PBI=${join(GOLDEN_DIR, 'pbi.csv')}`, '--out', out]).code).toBe(0);
      const r = runCli([...september, '--strict']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /padan: a guardrail check failed under --strict; the snapshot was written \(.*date=2021-09-30\); check it before publishing it:\n {2}pbi-strangers\.csv \(PBI\): 20 of 20 PBI records \(100\.0 %\) are NOT_IN_DTKS \(2021-08: 28\.6 %\), above 50\.0 % \(--max-not-in-dtks-share\);.*\[check NOT_IN_DTKS_SHARE\]\n$/,
      );
      expect(existsSync(join(out, 'snapshots', 'period=2021-09', 'date=2021-09-30', 'manifest.json'))).toBe(true);
    });

    it('under a raised limit, still a jump from last month: a warning, exit 0', () => {
      const r = runCli([...september, '--max-not-in-dtks-share', '1']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^padan: warning: pbi-strangers\.csv \(PBI\): 20 of 20 PBI records \(100\.0 %\) are NOT_IN_DTKS, more than 3 times the 28\.6 % of 2021-08;.*\[check NOT_IN_DTKS_JUMP\]$/m);
    });

    it('--max-not-in-dtks-share takes a share between 0 and 1', () => {
      const r = runCli([...september, '--max-not-in-dtks-share', '50']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/expected a share between 0 and 1, e\.g\. 0\.5 \(got "50"\)/);
    });
  });
});
