import { beforeAll, describe, expect, it } from 'vitest';
import { accounted, deadLetters, expectInputError, expectNoCrash, hostileDir, programRows, runCli, runCliMany, write } from './readers-cli.js';
import type { CliRun } from './readers-cli.js';

/**
 * Hostile CSV files through `padan run` (issue 6). Each case asserts a clear error (exit 2 naming
 * the file, the rule and the row) or a finished run whose summary accounts for every row, with
 * dead letters where rows cannot be read; never a crash, in a 256 MB heap.
 */
const path = hostileDir('csv');

// The cases that end in a finished run share one run: the process start dominates their cost.
const sharedFiles: string[] = [];
function shared(name: string, content: string | Buffer): string {
  const p = write(path(name), content);
  sharedFiles.push(p);
  return p;
}
const brokenQuoteAtLine5 = programRows(999);
brokenQuoteAtLine5.splice(3, 0, '1501070410800999,"SITI UNCLOSED');
const mixed = programRows(6);
const brokenQuoteEvery30 = programRows(300);
for (let i = 0; i < 300; i += 30) brokenQuoteEvery30[i] = `150107041080${String(5000 + i)},"BROKEN ${i}`;
const wideHeader = Array.from({ length: 9998 }, (_, i) => `C${i}`).join(',');

shared('pkh-cr.csv', `NIK,NAMA\r${programRows(10).join('\r')}\r`);
shared('pkh-quote.csv', `NIK,NAMA\n${brokenQuoteAtLine5.join('\n')}\n`);
shared('pkh-address.csv', 'NIK,NAMA,KETERANGAN\n1501070410801001,A,"JL. MERDEKA 1\nRT 01 RW 02\nKEL. TELANAIPURA"\n1501070410801002,B,-\n');
shared('pkh-eof-quote.csv', `NIK,NAMA\n${programRows(5).join('\n')}\n1501070410801006,"OPEN\n1501070410801007,LAST\n`);
shared('pkh-long.csv', `NIK,NAMA\n${programRows(2).join('\n')}\n1501070410801003,${'A'.repeat(12 * 1024 * 1024)}\n${programRows(2, 10).join('\n')}\n`);
shared('pkh-long-quoted.csv', `NIK,NAMA\n1501070410801004,"${'B'.repeat(3 * 1024 * 1024)}"\n${programRows(3).join('\n')}\n`);
shared('pkh-header.csv', 'NIK,NAMA\n');
shared('pkh-mixed.csv', `NIK,NAMA\r\n${mixed[0]}\n${mixed[1]}\r\n${mixed[2]}\n${mixed[3]}\r\n${mixed[4]}\n${mixed[5]}`);
shared('pkh-nul.csv', `NIK,NAMA\n1501070410801008,SI\u0000TI\n${programRows(2).join('\n')}\n`);
shared('pkh-nul-tail.csv', Buffer.concat([Buffer.from(`NIK,NAMA\n${programRows(4).join('\n')}\n`), Buffer.alloc(8192)]));
shared('pkh-bom-mid.csv', `\ufeffNIK,NAMA\n${programRows(2).join('\n')}\n\ufeffNIK,NAMA\n${programRows(2, 5).join('\n')}\n`);
shared('pkh-1252.csv', Buffer.concat([Buffer.from('NIK,NAMA\n1501070410801009,JOS'), Buffer.from([0xc9]), Buffer.from(`\n${programRows(1).join('\n')}\n`)]));
shared('pkh-wide.csv', `NIK,NAMA,${wideHeader}\n${programRows(3).map((r) => `${r},${','.repeat(9997)}`).join('\n')}\n`);
shared('pkh-proto.csv', '__proto__,NIK,constructor,NAMA,toString\nx,1501070410801010,y,A,z\n');
shared('pkh-quotes.csv', `NIK,NAMA\n${brokenQuoteEvery30.join('\n')}\n`);

let sharedRun: CliRun | undefined;
beforeAll(() => {
  sharedRun = runCliMany(sharedFiles.map((p) => ({ source: 'PKH', path: p })), { out: path('shared.out') });
});
const batch = (): CliRun => sharedRun as CliRun;

describe('hostile CSV: defects of issue 6', () => {
  it('cr-only line endings read as 0 rows (defect 4a): old Mac exports are read line by line', () => {
    const r = batch();
    const c = accounted(r, 'pkh-cr.csv');
    expect(c.rows_read).toBe(10);
    expect(c.rejected).toBe(0);
  });

  it('an unclosed quote at line 5 swallows the remaining 995 rows (defect 4b): only line 5 is a dead letter', () => {
    const r = batch();
    const c = accounted(r, 'pkh-quote.csv');
    expect(c.rows_read).toBe(1000);
    expect(c.rejected).toBe(1);
    const dead = deadLetters(r).filter((d) => d.source_file === 'pkh-quote.csv');
    expect(dead).toMatchObject([{ source_row: 4, reason: 'RAGGED_ROW' }]);
    expect(dead[0]?.message).toMatch(/not closed within 20 lines/);
  });

  it('a quoted field over legitimate line breaks (a multi-line address) stays one field', () => {
    const r = batch();
    const c = accounted(r, 'pkh-address.csv');
    expect(c).toMatchObject({ rows_read: 2, rejected: 0 });
  });

  it('a quote left open on the last line costs that line only', () => {
    const r = batch();
    const c = accounted(r, 'pkh-eof-quote.csv');
    expect(c).toMatchObject({ rows_read: 7, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-eof-quote.csv')).toMatchObject([{ source_row: 6, reason: 'RAGGED_ROW' }]);
  });

  it('quadratic time on a long CSV line (defect 7): a 12 MB line is one LINE_TOO_LONG dead letter, the next line is read', () => {
    const r = batch();
    const c = accounted(r, 'pkh-long.csv');
    expect(c).toMatchObject({ rows_read: 5, rejected: 1 });
    const dead = deadLetters(r).filter((d) => d.source_file === 'pkh-long.csv');
    expect(dead).toMatchObject([{ source_row: 3, reason: 'LINE_TOO_LONG' }]);
    expect(dead[0]?.message).toContain('PADAN_MAX_LINE_BYTES');
  });

  it('a long line inside an open quote: the quote is set aside, the long line dead-lettered, the rest read', () => {
    const r = batch();
    const c = accounted(r, 'pkh-long-quoted.csv');
    expect(c).toMatchObject({ rows_read: 4, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-long-quoted.csv')).toMatchObject([{ source_row: 1, reason: 'LINE_TOO_LONG' }]);
  });

  it('the line limit is configurable: PADAN_MAX_LINE_BYTES=2048 dead-letters a 5 000-byte line', () => {
    const p = write(path('pkh-limit.csv'), `NIK,NAMA\n1501070410801005,${'C'.repeat(5000)}\n${programRows(1).join('\n')}\n`);
    const r = runCli(p, { env: { PADAN_MAX_LINE_BYTES: '2048' } });
    expect(accounted(r, 'pkh-limit.csv')).toMatchObject({ rows_read: 2, rejected: 1 });
  });

  it('an invalid limit stops the run before reading, naming the variable and the rule', () => {
    const p = write(path('pkh-env.csv'), `NIK,NAMA\n${programRows(1).join('\n')}\n`);
    const r = runCli(p, { env: { PADAN_MAX_LINE_BYTES: 'lots' } });
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PADAN_MAX_LINE_BYTES must be a whole number of at least 1024.*\[rule CONFIG\]/);
  });

  it('a UTF-16 CSV is reported as "no header row" (defect 11b): it says the encoding and how to re-save', () => {
    const p = write(path('pkh-utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`NIK,NAMA\r\n${programRows(3).join('\r\n')}\r\n`, 'utf16le')]));
    const r = runCli(p);
    expectInputError(r, 'pkh-utf16.csv', 'ENCODING');
    expect(r.stderr).toContain('the file is UTF-16 (little-endian); re-save it as UTF-8 (CSV UTF-8 in Excel)');
  });

  it('UTF-16 big-endian, UTF-16 without a BOM and UTF-32 are named too', () => {
    const text = `NIK,NAMA\n${programRows(2).join('\n')}\n`;
    const be = Buffer.from(text, 'utf16le').swap16();
    const cases: [string, Buffer, string][] = [
      ['pkh-utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'UTF-16 (big-endian)'],
      ['pkh-utf16-nobom.csv', Buffer.from(text, 'utf16le'), 'UTF-16 (little-endian)'],
      ['pkh-utf32.csv', Buffer.from([0xff, 0xfe, 0, 0, 0x4e, 0, 0, 0]), 'UTF-32 (little-endian)'],
    ];
    for (const [name, bytes, encoding] of cases) {
      const r = runCli(write(path(name), bytes));
      expectInputError(r, name, 'ENCODING');
      expect(r.stderr).toContain(`the file is ${encoding}`);
    }
  });
});

describe('hostile CSV: what a demanding tester adds', () => {
  it('a 0-byte file is an error naming the file', () => {
    const r = runCli(write(path('pkh-empty.csv'), ''));
    expectInputError(r, 'pkh-empty.csv', 'REQUIRED_COLUMN');
    expect(r.stderr).toContain('the file has no rows');
  });

  it('a file of only blank lines is an error naming the file', () => {
    const r = runCli(write(path('pkh-blank.csv'), '\n\r\n  \n\n'));
    expectInputError(r, 'pkh-blank.csv', 'REQUIRED_COLUMN');
  });

  it('a header only: no rows, a finished run', () => {
    const r = batch();
    expect(accounted(r, 'pkh-header.csv')).toMatchObject({ rows_read: 0 });
  });

  it('CRLF mixed with LF: every row read, none ragged', () => {
    expect(accounted(batch(), 'pkh-mixed.csv')).toMatchObject({ rows_read: 6, rejected: 0 });
  });

  it('NUL bytes inside a cell: the row is read and accounted for', () => {
    expect(accounted(batch(), 'pkh-nul.csv')).toMatchObject({ rows_read: 3 });
  });

  it('a NUL-padded tail (a truncated copy): one dead letter, the rows before it read', () => {
    const r = batch();
    expect(accounted(r, 'pkh-nul-tail.csv')).toMatchObject({ rows_read: 5, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-nul-tail.csv')).toMatchObject([{ source_row: 5, reason: 'RAGGED_ROW' }]);
  });

  it('a BOM in the middle (two exports pasted together): the second header is a row like any other', () => {
    expect(accounted(batch(), 'pkh-bom-mid.csv')).toMatchObject({ rows_read: 5 });
  });

  it('bytes that are not UTF-8 (Windows-1252): that row is UNDECODABLE_TEXT', () => {
    const r = batch();
    expect(accounted(r, 'pkh-1252.csv')).toMatchObject({ rows_read: 2, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-1252.csv')).toMatchObject([{ source_row: 1, reason: 'UNDECODABLE_TEXT' }]);
  });

  it('a 10 000-column header and rows: read', () => {
    expect(accounted(batch(), 'pkh-wide.csv')).toMatchObject({ rows_read: 3, rejected: 0 });
  });

  it('__proto__, constructor and toString as column names: ignored like any unknown column', () => {
    expect(accounted(batch(), 'pkh-proto.csv')).toMatchObject({ rows_read: 1, rejected: 0 });
  });

  it('a broken quote every 30 lines: each opening line is a dead letter, every other line is read', () => {
    const r = batch();
    expect(accounted(r, 'pkh-quotes.csv')).toMatchObject({ rows_read: 300, rejected: 10 });
    expect(deadLetters(r).filter((d) => d.source_file === 'pkh-quotes.csv').map((d) => d.source_row)).toEqual([1, 31, 61, 91, 121, 151, 181, 211, 241, 271]);
  });
});
