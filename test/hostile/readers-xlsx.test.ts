import { beforeAll, describe, expect, it } from 'vitest';
import {
  accounted,
  deadLetters,
  expectInputError,
  hostileDir,
  inlineRow,
  leftovers,
  repeatedPart,
  runCli,
  runCliMany,
  SHEET_HEAD,
  SHEET_TAIL,
  smallWorkbook,
  SST_HEAD,
  SST_TAIL,
  textPart,
  workbookParts,
  write,
  zipOf,
} from './readers-cli.js';
import type { CliRun } from './readers-cli.js';

/**
 * Hostile workbooks through `padan run` in a 256 MB heap (issue 6, defects 3 and 5). The bombs are
 * a few megabytes on disk and gigabytes inflated, built from repeated deflate segments so the test
 * never compresses (or holds) what they inflate to.
 */
const path = hostileDir('xlsx');
const NO_RATIO = { PADAN_XLSX_MIN_INFLATE_RATIO: '0' };

// The well-formed workbooks share one run: the process start dominates their cost.
const sharedFiles = [
  write(path('pkh-gap.xlsx'), smallWorkbook([[2, '1501070410803009', 'A'], [1_048_576, '1501070410803010', 'B']])),
  write(path('pkh-no-r.xlsx'), smallWorkbook([[null, '1501070410803011', 'A'], [null, '1501070410803012', 'B']])),
  write(path('pkh-header.xlsx'), smallWorkbook([])),
];
let sharedRun: CliRun | undefined;
beforeAll(() => {
  sharedRun = runCliMany(sharedFiles.map((p) => ({ source: 'PKH', path: p })), { out: path('shared.out') });
});
const batch = (): CliRun => sharedRun as CliRun;

function sharedStringRows(rows: readonly (readonly [number, number, number])[]): string {
  return rows.map(([r, a, b]) => `<row r="${r}"><c r="A${r}" t="s"><v>${a}</v></c><c r="B${r}" t="s"><v>${b}</v></c></row>`).join('');
}

describe('XLSX decompression has no limit (defect 3)', () => {
  it('shared strings inflating to 2.5 GB from a few MB: an error naming the file, the part and the limit', () => {
    const block = `<si><t>${'A'.repeat(1000)}</t></si>`.repeat(1000); // ~1 MB
    const sst = repeatedPart('xl/sharedStrings.xml', SST_HEAD, block, 2500, SST_TAIL);
    const sheet = textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']) + SHEET_TAIL);
    const p = write(path('pkh-sst-bomb.xlsx'), zipOf(workbookParts(sheet, sst)));
    const r = runCli(p);
    expectInputError(r, 'pkh-sst-bomb.xlsx', 'XLSX_INFLATE_RATIO');
    expect(r.stderr).toContain('part xl/sharedStrings.xml inflates more than 100 times');
    expect(r.stderr).toContain('PADAN_XLSX_MIN_INFLATE_RATIO');
  });

  it('a workbook of 24 M tiny rows in 3 MB: stopped by the ratio', () => {
    const block = '<row><c><v>1</v></c></row>'.repeat(10_000);
    const sheet = repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']), block, 2400, SHEET_TAIL);
    const p = write(path('pkh-rows-bomb.xlsx'), zipOf(workbookParts(sheet)));
    expectInputError(runCli(p), 'pkh-rows-bomb.xlsx', 'XLSX_INFLATE_RATIO');
  });

  it('with the ratio check off, 24 M blank rows stop at Excel\'s row limit, naming the row', () => {
    const sheet = repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']), '<row/>'.repeat(10_000), 2400, SHEET_TAIL);
    const p = write(path('pkh-rows-limit.xlsx'), zipOf(workbookParts(sheet)));
    const r = runCli(p, { env: NO_RATIO });
    expectInputError(r, 'pkh-rows-limit.xlsx', 'XLSX_ROW_NUMBER', 1_048_577);
  });

  it('a part over PADAN_XLSX_MAX_PART_BYTES: an error naming the part and the variable', () => {
    const rows: string[] = [inlineRow(1, ['NIK', 'NAMA'])];
    for (let i = 2; i < 3000; i++) rows.push(inlineRow(i, [`1501070410${800000 + i * 7}`, `PENERIMA ${(i * 7919) % 100_000}`]));
    const p = write(path('pkh-big-part.xlsx'), zipOf(workbookParts(textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + rows.join('') + SHEET_TAIL))));
    const r = runCli(p, { env: { PADAN_XLSX_MAX_PART_BYTES: '65536' } });
    expectInputError(r, 'pkh-big-part.xlsx', 'XLSX_PART_SIZE');
    expect(r.stderr).toContain('part xl/worksheets/sheet1.xml inflates past');
    expect(r.stderr).toContain('PADAN_XLSX_MAX_PART_BYTES');
  });

  it('a single text of 50 MB (ratio check off): stopped at 4× the line limit, not held', () => {
    const sst = repeatedPart('xl/sharedStrings.xml', `${SST_HEAD}<si><t>`, 'A'.repeat(1024 * 1024), 50, `</t></si>${SST_TAIL}`);
    const sheet = textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']) + SHEET_TAIL);
    const p = write(path('pkh-one-text.xlsx'), zipOf(workbookParts(sheet, sst)));
    const r = runCli(p, { env: NO_RATIO });
    expectInputError(r, 'pkh-one-text.xlsx', 'XLSX_TOKEN_SIZE');
    expect(r.stderr).toContain('part xl/sharedStrings.xml');
  });

  it('a shared string over the line limit: the row using it is a LINE_TOO_LONG dead letter', () => {
    const sst = textPart('xl/sharedStrings.xml', `${SST_HEAD}<si><t>NIK</t></si><si><t>NAMA</t></si><si><t>1501070410803001</t></si><si><t>${'L'.repeat(2 * 1024 * 1024)}</t></si><si><t>SITI</t></si>${SST_TAIL}`);
    const sheet = textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + sharedStringRows([[1, 0, 1], [2, 2, 3], [3, 2, 4]]) + SHEET_TAIL);
    const p = write(path('pkh-long-string.xlsx'), zipOf(workbookParts(sheet, sst)));
    const r = runCli(p, { env: NO_RATIO });
    expect(accounted(r, 'pkh-long-string.xlsx')).toMatchObject({ rows_read: 2, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-long-string.xlsx')).toMatchObject([{ source_row: 1, reason: 'LINE_TOO_LONG' }]);
  });

  it('shared strings spilled to a temporary file give the same findings, and the file is removed', () => {
    const names = Array.from({ length: 200 }, (_, i) => `<si><t>PENERIMA ${i}</t></si><si><t>1501070410${804000 + i}</t></si>`).join('');
    const sst = textPart('xl/sharedStrings.xml', `${SST_HEAD}<si><t>NIK</t></si><si><t>NAMA</t></si>${names}${SST_TAIL}`);
    const rows: [number, number, number][] = [[1, 0, 1]];
    for (let i = 0; i < 200; i++) rows.push([i + 2, 3 + 2 * i, 2 + 2 * i]);
    const book = zipOf(workbookParts(textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + sharedStringRows(rows) + SHEET_TAIL), sst));
    const held = runCli(write(path('pkh-sst.xlsx'), book));
    const spilled = runCli(write(path('pkh-sst.xlsx'), book), { env: { PADAN_XLSX_SHARED_STRINGS_MEMORY_BYTES: '0' } });
    expect(accounted(held, 'pkh-sst.xlsx')).toMatchObject({ rows_read: 200, rejected: 0 });
    expect(accounted(spilled, 'pkh-sst.xlsx')).toEqual(accounted(held, 'pkh-sst.xlsx'));
    expect(leftovers(spilled)).toEqual([]);
  });
});

describe('XLSX row numbers are trusted (defect 5)', () => {
  it('a duplicated r: an input error naming the row and the rule, not an internal error', () => {
    const p = write(path('pkh-dup-r.xlsx'), smallWorkbook([[2, '1501070410803002', 'A'], [3, '1501070410803003', 'B'], [3, '1501070410803004', 'C']]));
    const r = runCli(p);
    expectInputError(r, 'pkh-dup-r.xlsx', 'XLSX_ROW_ORDER', 3);
    expect(r.stderr).toContain('rows must be in increasing order');
  });

  it('r="99999999999999999999": an input error, not a RangeError; the value is not echoed', () => {
    const p = write(path('pkh-huge-r.xlsx'), smallWorkbook([[2, '1501070410803005', 'A'], ['99999999999999999999', '1501070410803006', 'B']]));
    const r = runCli(p);
    expectInputError(r, 'pkh-huge-r.xlsx', 'XLSX_ROW_NUMBER', 3);
    expect(r.stderr).not.toContain('99999999999999999999');
  });

  it('r=2^32: an input error at once, whatever the gap', () => {
    const p = write(path('pkh-2-32.xlsx'), smallWorkbook([[2, '1501070410803007', 'A'], [2 ** 32, '1501070410803008', 'B']]));
    expectInputError(runCli(p), 'pkh-2-32.xlsx', 'XLSX_ROW_NUMBER', 3);
  });

  it('rows 2 and 1 048 576 (the last row Excel has): both read, row numbers kept', () => {
    expect(accounted(batch(), 'pkh-gap.xlsx')).toMatchObject({ rows_read: 2, rejected: 0 });
  });

  it('rows without r count on from the previous row', () => {
    expect(accounted(batch(), 'pkh-no-r.xlsx')).toMatchObject({ rows_read: 2, rejected: 0 });
  });

  it('a row of 16 385 cells: past Excel\'s last column, an input error', () => {
    const wide = `<row r="2">${'<c t="inlineStr"><is><t>x</t></is></c>'.repeat(16_385)}</row>`;
    const p = write(path('pkh-wide.xlsx'), zipOf(workbookParts(textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']) + wide + SHEET_TAIL))));
    expectInputError(runCli(p, { env: NO_RATIO }), 'pkh-wide.xlsx', 'XLSX_COLUMN_LIMIT', 2);
  });
});

describe('hostile XLSX: what a demanding tester adds', () => {
  it('a ZIP that is not a workbook', () => {
    const p = write(path('pkh-zip.xlsx'), zipOf([textPart('readme.txt', 'hello')]));
    const r = runCli(p);
    expectInputError(r, 'pkh-zip.xlsx', 'READABLE');
    expect(r.stderr).toContain('no workbook part');
  });

  it('a sheet whose XML is cut short', () => {
    const p = write(path('pkh-cut.xlsx'), zipOf(workbookParts(textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']) + '<row r="2"><c t="inlineStr"><is><t>15010'))));
    const r = runCli(p);
    expectInputError(r, 'pkh-cut.xlsx', 'READABLE');
    expect(r.stderr).toContain('malformed XML in xl/worksheets/sheet1.xml');
  });

  it('a workbook whose zip data is cut short', () => {
    const whole = smallWorkbook([[2, '1501070410803013', 'A']]);
    const p = write(path('pkh-trunc.xlsx'), whole.subarray(0, Math.floor(whole.length / 2)));
    expectInputError(runCli(p), 'pkh-trunc.xlsx', 'READABLE');
  });

  it('billion laughs (entities declared in a DOCTYPE) is refused, never expanded', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "lollollollollol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('')}]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&bbbbbbbbb;</t></si></sst>`;
    const sheet = textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, ['NIK', 'NAMA']) + SHEET_TAIL);
    const p = write(path('pkh-lol.xlsx'), zipOf(workbookParts(sheet, textPart('xl/sharedStrings.xml', lol))));
    expectInputError(runCli(p), 'pkh-lol.xlsx', 'READABLE');
  });

  it('a 0-byte .xlsx', () => {
    const r = runCli(write(path('pkh-empty.xlsx'), ''));
    expectInputError(r, 'pkh-empty.xlsx', 'READABLE');
    expect(r.stderr).toContain('the file is empty');
  });

  it('a header only', () => {
    expect(accounted(batch(), 'pkh-header.xlsx')).toMatchObject({ rows_read: 0 });
  });
});
