import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, tempDir } from '../helpers/golden.js';
import { accountedSummary, runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 10 and its neighbours: arguments were checked only after the whole pipeline
 * had run (an unwritable or special `--out`, a nested or impossible `--date`), as raw Node errors,
 * and `--out /proc/x` hung for good. Every case here must stop before any input is read, exit 2
 * and print one message naming what is wrong and what to do; none may leave a snapshot behind.
 */
const dtks = join(GOLDEN_DIR, 'dtks.csv');
const pkh = join(GOLDEN_DIR, 'pkh.csv');
let dir: string;

function run(extra: readonly string[], opts: { out?: string; date?: string | null; program?: string[] } = {}) {
  const out = opts.out ?? join(dir, 'out');
  const date = opts.date === undefined ? ['--date', '2021-09-30'] : opts.date === null ? [] : ['--date', opts.date];
  const programs = (opts.program ?? [`PKH=${pkh}`]).flatMap((p) => ['--program', p]);
  return runCli(['run', '--period', '2021-09', '--dtks', dtks, ...programs, '--out', out, ...date, ...extra], { timeoutMs: 20_000 });
}

/** Exit 2, one line on stderr matching `message`, nothing on stdout, no snapshot written. */
function expectRefused(r: ReturnType<typeof runCli>, message: RegExp, out = join(dir, 'out')): void {
  expect(r.signal, 'the CLI hung or crashed').toBeNull();
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('padan:') || l.startsWith('error:'))).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(existsSync(join(out, 'snapshots'))).toBe(false);
}

beforeAll(() => {
  dir = tempDir('cli-args');
});

describe('--out', () => {
  it('out_is_a_file: --out naming a file is refused before the run', () => {
    const f = join(dir, 'a-file.txt');
    writeFileSync(f, 'x');
    expectRefused(run([], { out: f }), /--out .*a-file\.txt is a file, not a folder/, f);
  });

  it('out_under_proc_hangs: --out /proc/x is refused at once instead of hanging', () => {
    expectRefused(run([], { out: '/proc/padan-x' }), /--out \/proc\/padan-x is under \/proc, a kernel pseudo-filesystem/, '/proc/padan-x');
  });

  it('out_below_a_file: --out whose parent is a file is refused', () => {
    const f = join(dir, 'parent-file');
    writeFileSync(f, 'x');
    expectRefused(run([], { out: join(f, 'sub') }), /--out .*parent-file\/sub: .*ENOTDIR/, join(f, 'sub'));
  });

  it('an --out inside the folder of the inputs works, and leaves no temporary folder', () => {
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs, { recursive: true });
    const d = join(inputs, 'dtks.csv');
    writeFileSync(d, 'NIK,NAMA\n1571011505800001,MUHAMMAD YUSUF\n');
    const p = join(inputs, 'pkh.csv');
    writeFileSync(p, 'NIK,NAMA\n1571011505800001,MUHAMMAD YUSUF\n1571011505800009,SITI\n');
    const out = join(inputs, 'out');
    const r = runCli(['run', '--period', '2021-09', '--dtks', d, '--program', `PKH=${p}`, '--out', out, '--date', '2021-09-30']);
    expect(r.code).toBe(0);
    expect(accountedSummary(snapshotDirOf(r)).totals).toMatchObject({ rows_read: 3 });
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });
});

describe('--date', () => {
  it.each([
    ['date_with_slash', 'a/b', /--date "a\/b" is not a date; write it as YYYY-MM-DD/],
    ['date_impossible', '2021-02-30', /--date 2021-02-30 does not exist in the calendar/],
    ['date_parent_path', '../..', /--date "\.\.\/\.\." is not a date/],
    ['date_other_shape', '30-09-2021', /--date "30-09-2021" is not a date/],
  ])('%s: --date %s is refused before the run', (_name, value, message) => {
    expectRefused(run([], { date: value }), message);
  });

  it('accepts 29 February of a leap year', () => {
    const r = run([], { date: '2024-02-29', out: join(dir, 'leap') });
    expect(r.code).toBe(0);
    expect(snapshotDirOf(r)).toMatch(/date=2024-02-29$/);
  });
});

describe('input files', () => {
  it('a missing program file is refused before the DTKS is read', () => {
    expectRefused(run([], { program: [`PKH=${join(dir, 'nope.csv')}`] }), /nope\.csv: cannot read the file .*nope\.csv \(ENOENT\); check the path and permissions \[rule READABLE\]/);
  });

  it('a folder given as a file', () => {
    const f = join(dir, 'folder.csv');
    mkdirSync(f, { recursive: true });
    expectRefused(run([], { program: [`PKH=${f}`] }), /folder\.csv: .*is a folder, not a file.*\[rule READABLE\]/);
  });

  it('an unsupported file type', () => {
    const f = join(dir, 'pkh.xls');
    writeFileSync(f, 'x');
    expectRefused(run([], { program: [`PKH=${f}`] }), /pkh\.xls: unsupported file type "\.xls".*\[rule FORMAT\]/);
  });

  it('the same file given as two programs', () => {
    expectRefused(run([], { program: [`PKH=${pkh}`, `SEMBAKO=${pkh}`] }), /pkh\.csv is given twice \(as PKH and as SEMBAKO\); give each file once/);
  });

  it('the DTKS file given again as a program', () => {
    expectRefused(run([], { program: [`PBI=${dtks}`] }), /dtks\.csv is given twice \(as DTKS and as PBI\)/);
  });

  it('DTKS named as a program', () => {
    expectRefused(run([], { program: [`DTKS=${dtks}`] }), /expected NAME=FILE with NAME one of PKH, SEMBAKO, BST, PBI/);
  });

  it('--dtks given twice (the first would be silently dropped)', () => {
    expectRefused(run(['--dtks', join(dir, 'other-dtks.csv')]), /option '--dtks <file>' argument .*other-dtks\.csv' is invalid\. --dtks is given twice; a run takes one/);
  });

  it('--program NAME= with no file', () => {
    expectRefused(run([], { program: ['PKH='] }), /argument 'PKH=' is invalid\. no file after PKH=; write NAME=FILE/);
  });

  it('two files of one program with the same name in different folders', () => {
    mkdirSync(join(dir, 'a'), { recursive: true });
    mkdirSync(join(dir, 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'pkh.csv'), 'NIK,NAMA\n1571011505800001,MUHAMMAD YUSUF\n');
    writeFileSync(join(dir, 'b', 'pkh.csv'), 'NIK,NAMA\n1571011505800002,SITI\n');
    const r = run([], { program: [`PKH=${join(dir, 'a', 'pkh.csv')}`, `PKH=${join(dir, 'b', 'pkh.csv')}`], out: join(dir, 'same-name-out') });
    expectRefused(r, /PKH\/pkh\.csv: the same file name is given twice for one source; .*rename one \[rule UNIQUE_FILE\]/, join(dir, 'same-name-out'));
  });

  it('an empty (0-byte) program file stops the run naming the file and the rule', () => {
    const f = join(dir, 'empty.csv');
    writeFileSync(f, '');
    const r = run([], { program: [`PKH=${f}`], out: join(dir, 'empty-out') });
    expectRefused(r, /empty\.csv: .*\[rule REQUIRED_COLUMN\]/, join(dir, 'empty-out'));
  });

  it('a header-only program file is a period with no program rows: a snapshot that accounts for zero rows', () => {
    const f = join(dir, 'header-only.csv');
    writeFileSync(f, 'NIK,NAMA\n');
    const r = run([], { program: [`PKH=${f}`], out: join(dir, 'header-only-out') });
    expect(r.code).toBe(0);
    expect(accountedSummary(snapshotDirOf(r)).files.find((x) => x.source_file === 'header-only.csv')).toMatchObject({ rows_read: 0, clean: 0, flagged: 0, rejected: 0 });
  });

  it('an impossible --period', () => {
    const r = runCli(['run', '--period', '2021-13', '--dtks', dtks, '--program', `PKH=${pkh}`, '--out', join(dir, 'out')]);
    expectRefused(r, /option '--period <YYYY-MM>' argument '2021-13' is invalid\. expected YYYY-MM/);
  });

  it('no program file at all', () => {
    expectRefused(run([], { program: [] }), /no program file for period 2021-09: give --program NAME=FILE/);
  });
});

describe('rules and mapping files', () => {
  function rules(name: string, text: string): string {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  }

  it('rules_program_excludes_itself: {"excludes":{"BST":["BST"]}} is refused, naming the file and the rule', () => {
    const p = rules('self.json', '{"version":"x","excludes":{"BST":["BST"]}}');
    expectRefused(run(['--rules', p]), /self\.json: not a rules file: excludes\.BST: a program cannot exclude itself \[rule PROGRAM_RULES\]/);
  });

  it('rules naming an unknown program', () => {
    const p = rules('unknown.json', '{"version":"x","excludes":{"BLT":["PKH"],"BST":["KIS"]}}');
    expectRefused(run(['--rules', p]), /unknown\.json: not a rules file: excludes\.BLT: unknown program; .*excludes\.BST: unknown program "KIS"/);
  });

  it('rules with a value that is not a list', () => {
    const p = rules('not-list.json', '{"version":"x","excludes":{"BST":"PKH"}}');
    expectRefused(run(['--rules', p]), /not-list\.json: not a rules file: excludes\.BST: must be a list of programs/);
  });

  it('unreadable JSON in --rules and --mapping', () => {
    const p = rules('broken.json', '{"version": ');
    expectRefused(run(['--rules', p]), /broken\.json: not valid JSON/);
    expectRefused(run(['--mapping', p]), /broken\.json: not valid JSON/);
    expectRefused(run(['--rules', join(dir, 'absent.json')]), /absent\.json: cannot read the file \(ENOENT\)/);
  });

  it('a rules file that is not an object', () => {
    const p = rules('array.json', '[]');
    expectRefused(run(['--rules', p]), /array\.json: not a rules file: \(root\): .*expected object/);
  });

  it('a mapping that is not a mapping', () => {
    const p = rules('mapping-bad.json', '{"PKH": {"nomor": "NIK"}}');
    expectRefused(run(['--mapping', p]), /mapping-bad\.json: not a mapping file: PKH: Unrecognized key: "nomor"/);
  });

  it('a mapping naming a column the file does not have stops with the file and the rule', () => {
    const p = rules('mapping-missing.json', '{"PKH": {"nik": "NIK_KPM"}}');
    const r = run(['--mapping', p], { out: join(dir, 'mapping-out') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pkh\.csv: no header row with a NIK column .*"NIK_KPM" from --mapping.*\[rule REQUIRED_COLUMN\]/);
    expect(existsSync(join(dir, 'mapping-out', 'snapshots'))).toBe(false);
    // The run stopped on an error mid-way: its temporary folder (personal data) is gone too.
    expect(readdirSync(join(dir, 'mapping-out')).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });
});

describe('flags combined wrongly', () => {
  it('--mode distributed with options only the embedded run takes', () => {
    expectRefused(run(['--mode', 'distributed', '--rules', join(dir, 'x.json')]), /--rules applies to the embedded run; with --mode distributed the services read PADAN_RULES_FILE/);
  });

  it('an unknown --mode', () => {
    expectRefused(run(['--mode', 'cluster']), /--mode must be embedded or distributed \(got "cluster"\)/);
  });

  it('an unknown option', () => {
    expectRefused(run(['--fast']), /unknown option '--fast'/);
  });
});
