import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import { InputError } from '@padan/io';
import { GOLDEN_INPUTS, tempDir } from '../helpers/golden.js';

const dir = tempDir('unusable');

function run(dtks: string, programs: { source: 'PKH' | 'BST'; path: string }[] = []) {
  return runEmbedded({
    period: '2021-09',
    inputs: [{ source: 'DTKS', path: dtks }, ...programs],
    outDir: join(dir, 'out'),
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'k',
    padanVersion: 'test',
  });
}

/** Unusable input stops the run with an error naming the file, the row and the rule. */
describe('unusable input', () => {
  it('a DTKS file without a NAMA column', async () => {
    const p = join(dir, 'dtks-no-name.csv');
    writeFileSync(p, 'TITLE\nNIK,TGL_LAHIR\n1571011505800001,1980-05-15\n');
    await expect(run(p)).rejects.toThrow(InputError);
    await expect(run(p)).rejects.toThrow(/dtks-no-name\.csv row 2: required column missing from the header: nama .*\[rule REQUIRED_COLUMN\]/);
  });

  it('a program file with no NIK column anywhere', async () => {
    const p = join(dir, 'pkh-no-nik.csv');
    writeFileSync(p, 'NAMA,NO_KK\nA,1\n');
    await expect(run(GOLDEN_INPUTS[0]!.path, [{ source: 'PKH', path: p }])).rejects.toThrow(/pkh-no-nik\.csv: no header row with a NIK column .*\[rule REQUIRED_COLUMN\]/);
  });

  it('two columns mapping to nik without a mapping', async () => {
    const p = join(dir, 'pkh-two-niks.csv');
    writeFileSync(p, 'NIK,NIK_PENGURUS,NAMA\n1,2,A\n');
    await expect(run(GOLDEN_INPUTS[0]!.path, [{ source: 'PKH', path: p }])).rejects.toThrow(/pkh-two-niks\.csv row 1: columns "NIK" and "NIK_PENGURUS" both map to field nik.*\[rule AMBIGUOUS_COLUMN\]/);
  });

  it('an unreadable file', async () => {
    await expect(run(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read the file \(ENOENT\).*\[rule READABLE\]/);
  });

  it('an .xlsx that is not a workbook', async () => {
    const p = join(dir, 'fake.xlsx');
    writeFileSync(p, '<html>not a workbook</html>');
    await expect(run(GOLDEN_INPUTS[0]!.path, [{ source: 'PKH', path: p }])).rejects.toThrow(/fake\.xlsx.*\[rule READABLE\]/);
  });

  it('an unsupported file type', async () => {
    const p = join(dir, 'pkh.xls');
    writeFileSync(p, 'x');
    await expect(run(GOLDEN_INPUTS[0]!.path, [{ source: 'PKH', path: p }])).rejects.toThrow(/unsupported file type "\.xls".*\[rule FORMAT\]/);
  });
});

describe('malformed rows', () => {
  it('are dead letters, counted per file, and never stop the run', async () => {
    const p = join(dir, 'pkh-malformed.csv');
    writeFileSync(
      p,
      [
        'NIK;NAMA;TGL_LAHIR',
        '1571011505800001;MUHAMMAD YUSUF;1980-05-15', // 1 clean
        '1571011505800001;extra;cell;here', // 2 ragged
        '', // 3 blank: not a record
        '1571015708850002;SITI AMINAH', // 4 too few cells
        '1.57101E+15;SITI AMINAH;1985-08-17', // 5 a finding, not a dead letter
        ';;', // 6 all-empty: a blank row
        '1571020101700003;"RUSLI;1970-01-01', // 7 quote never closed: this line only (issue 6)
        '1571020909900009;HENDRA SAPUTRA;1990-09-09', // 8 clean: read again after the broken quote
      ].join('\n'),
    );
    const bad = Buffer.concat([Buffer.from('NIK,NAMA\n1571011111110012,ZULKIFLI HASAN\n1571015708850002,SITI '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const p2 = join(dir, 'bst-bytes.csv');
    writeFileSync(p2, bad);
    const r = await run(GOLDEN_INPUTS[0]!.path, [
      { source: 'PKH', path: p },
      { source: 'BST', path: p2 },
    ]);
    const pkh = r.status.files.find((f) => f.file === 'pkh-malformed.csv');
    expect(pkh).toMatchObject({ rowsRead: 6, clean: 2, flagged: 1, rejected: 3, accounted: true });
    const bst = r.status.files.find((f) => f.file === 'bst-bytes.csv');
    expect(bst).toMatchObject({ rowsRead: 2, clean: 1, flagged: 0, rejected: 1, accounted: true });
  });
});
