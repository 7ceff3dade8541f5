import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from './input-error.js';
import { readSource } from './source-reader.js';
import type { SourceEvent, SourceReadOptions } from './source-reader.js';
import { createXlsxWriter } from './xlsx-writer.js';
import type { XlsxCell } from './xlsx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PKH: SourceReadOptions = { source: 'PKH' };
const DTKS: SourceReadOptions = { source: 'DTKS' };

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function events(path: string, opts: SourceReadOptions = PKH): Promise<SourceEvent[]> {
  const out: SourceEvent[] = [];
  for await (const e of readSource(path, opts)) out.push(e);
  return out;
}

async function failure(path: string, opts: SourceReadOptions = PKH): Promise<InputError> {
  try {
    await events(path, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const rows = (es: SourceEvent[]) => es.filter((e) => e.kind === 'row').map((e) => (e.kind === 'row' ? [e.row, ...e.values] : []));
const rejects = (es: SourceEvent[]) => es.filter((e) => e.kind === 'reject');
const header = (es: SourceEvent[]) => es.find((e) => e.kind === 'header');

async function xlsx(name: string, sheet: XlsxCell[][]): Promise<string> {
  const p = join(dir, name);
  const w = createXlsxWriter(p);
  for (const r of sheet) await w.addRow(r);
  await w.finish();
  return p;
}

describe('readSource: CSV header and rows', () => {
  it('the first row with a nik column is the header; fields come in canonical order', async () => {
    const es = await events(file('plain.csv', 'NAMA,NIK,TGL_LAHIR\nBUDI,1571011203850001,12/03/1985\n'));
    expect(es[0]).toEqual({ kind: 'header', fields: ['nik', 'nama', 'tanggal_lahir'], headerRow: 1, names: ['NAMA', 'NIK', 'TGL_LAHIR'] });
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI', '12/03/1985']]);
  });

  it('title rows above the header are skipped; row numbers count from the header', async () => {
    const es = await events(
      file('titles.csv', 'DAFTAR PENERIMA PKH 2021\nKABUPATEN KERINCI\n\nNIK,NAMA\n1571011203850001,BUDI\n1571015203850002,SITI\n'),
    );
    expect(header(es)).toEqual({ kind: 'header', fields: ['nik', 'nama'], headerRow: 4, names: ['NIK', 'NAMA'] });
    expect(rows(es)).toEqual([
      [1, '1571011203850001', 'BUDI'],
      [2, '1571015203850002', 'SITI'],
    ]);
  });

  it('a title row with several cells but no nik column is still a title', async () => {
    const es = await events(file('titles2.csv', 'Program,PKH,Tahap 3\nNIK,NAMA\n1571011203850001,BUDI\n'));
    expect(header(es)).toMatchObject({ headerRow: 2 });
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI']]);
  });

  it('row number = line minus header line; blank rows are skipped but keep their numbers', async () => {
    const es = await events(file('blanks.csv', 'NIK,NAMA\n1571011203850001,A\n\n1571011203850002,B\n,\n1571011203850003,C\n'));
    expect(rows(es)).toEqual([
      [1, '1571011203850001', 'A'],
      [3, '1571011203850002', 'B'],
      [5, '1571011203850003', 'C'],
    ]);
  });

  it('a row spanning two lines (quoted newline) shifts the numbers of later rows by its lines', async () => {
    const es = await events(file('multiline.csv', 'NIK,ALAMAT_X\n1571011203850001,"RT 01\nRW 02"\n1571011203850002,x\n'));
    expect(rows(es).map((r) => r[0])).toEqual([1, 3]);
  });

  it('a program file ignores DTKS-only columns', async () => {
    const es = await events(file('prog-dtks-cols.csv', 'IDDTKS,NIK,NAMA,STATUS\nHH1,1571011203850001,BUDI,MENINGGAL\n'));
    expect(header(es)).toMatchObject({ fields: ['nik', 'nama'] });
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI']]);
  });

  it('a DTKS file maps its own columns', async () => {
    const es = await events(file('dtks.csv', 'IDDTKS,NIK,NAMA,STATUS\nHH1,1571011203850001,BUDI,MENINGGAL\n'), DTKS);
    expect(header(es)).toMatchObject({ fields: ['nik', 'nama', 'id_dtks', 'status'] });
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI', 'HH1', 'MENINGGAL']]);
  });

  it('headers match through aliases, case, spaces, dots and dashes', async () => {
    const es = await events(file('aliases.csv', 'No,nik-ktp,No. KK, Nama Lengkap ,Tgl. Lahir,Kode Desa\n1,1571011203850001,1571010101100001,BUDI,1985-03-12,1571011001\n'));
    expect(header(es)).toMatchObject({ fields: ['nik', 'no_kk', 'nama', 'tanggal_lahir', 'kode_wilayah'] });
    expect(rows(es)).toEqual([[1, '1571011203850001', '1571010101100001', 'BUDI', '1985-03-12', '1571011001']]);
  });

  it('a --mapping names a column that is no alias', async () => {
    const es = await events(file('mapped.csv', 'Nomor Identitas,Nama KK\n1571011203850001,BUDI\n'), { source: 'PKH', mapping: { nik: 'Nomor Identitas', nama: 'Nama KK' } });
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI']]);
  });

  it('detects ; as the delimiter', async () => {
    const es = await events(file('semi.csv', 'NIK;NAMA;TGL_LAHIR\n1571011203850001;SITI, S.PD;12/03/1985\n1,57101E+15;BUDI;\n'));
    expect(rows(es)).toEqual([
      [1, '1571011203850001', 'SITI, S.PD', '12/03/1985'],
      [2, '1,57101E+15', 'BUDI', ''],
    ]);
  });

  it('reads quoted fields holding the delimiter and escaped quotes', async () => {
    const es = await events(file('quoted.csv', 'NIK,NAMA\n"1571011203850001","YUSUF, S.PD ""UCUP"""\n'));
    expect(rows(es)).toEqual([[1, '1571011203850001', 'YUSUF, S.PD "UCUP"']]);
  });

  it('reads UTF-8 with BOM and CRLF like plain LF', async () => {
    const a = await events(file('bom-crlf.csv', '\ufeffNIK,NAMA\r\n1571011203850001,JOSÉ\r\n\r\n1571011203850002,B\r\n'));
    const b = await events(file('plain-lf.csv', 'NIK,NAMA\n1571011203850001,JOSÉ\n\n1571011203850002,B\n'));
    expect(a).toEqual(b);
    expect(rows(a)).toEqual([
      [1, '1571011203850001', 'JOSÉ'],
      [3, '1571011203850002', 'B'],
    ]);
  });
});

describe('readSource: dead letters', () => {
  it('a row with more cells than the header → reject RAGGED_ROW with its row number', async () => {
    const es = await events(file('ragged.csv', 'TITLE\nNIK,NAMA\n1571011203850001,A\n1571011203850002,B,EXTRA\n1571011203850003,C\n'));
    expect(rows(es).map((r) => r[0])).toEqual([1, 3]);
    const rj = rejects(es);
    expect(rj).toHaveLength(1);
    expect(rj[0]).toMatchObject({ kind: 'reject', row: 2, reason: 'RAGGED_ROW', raw: '1571011203850002,B,EXTRA' });
    expect(rj[0]?.kind === 'reject' && rj[0].message).toContain('ragged.csv');
    expect(rj[0]?.kind === 'reject' && rj[0].message).toContain('row 2');
  });

  it('a row with fewer cells than the header → reject RAGGED_ROW', async () => {
    const es = await events(file('short.csv', 'NIK,NAMA,TGL_LAHIR\n1571011203850001,A\n'));
    expect(rejects(es)).toMatchObject([{ row: 1, reason: 'RAGGED_ROW' }]);
    expect(rows(es)).toEqual([]);
  });

  it('an unterminated quote → reject RAGGED_ROW at the row where it starts; the lines after it are read again', async () => {
    const es = await events(file('unterminated.csv', 'NIK,NAMA\n1571011203850001,A\n1571011203850002,"B\n1571011203850003,C\n'));
    expect(rows(es)).toEqual([
      [1, '1571011203850001', 'A'],
      [3, '1571011203850003', 'C'],
    ]);
    expect(rejects(es)).toMatchObject([{ row: 2, reason: 'RAGGED_ROW' }]);
  });

  it('bytes that are not UTF-8 → reject UNDECODABLE_TEXT with the row number; other rows are read', async () => {
    const content = Buffer.concat([
      Buffer.from('NIK,NAMA\n1571011203850001,A\n1571011203850002,JOS'),
      Buffer.from([0xc9, 0xff]),
      Buffer.from('\n1571011203850003,C\n'),
    ]);
    const es = await events(file('latin1.csv', content));
    expect(rows(es).map((r) => r[0])).toEqual([1, 3]);
    expect(rejects(es)).toMatchObject([{ row: 2, reason: 'UNDECODABLE_TEXT' }]);
  });
});

describe('readSource: unusable input', () => {
  it('DTKS without a NAMA column → InputError naming the file, the row and the rule', async () => {
    const e = await failure(file('dtks-no-nama.csv', 'RILIS DTKS SEPTEMBER\nNIK,NO_KK\n1571011203850001,1571010101100001\n'), DTKS);
    expect(e.file).toBe('dtks-no-nama.csv');
    expect(e.row).toBe(2);
    expect(e.rule).toBe('REQUIRED_COLUMN');
    expect(e.message).toContain('dtks-no-nama.csv');
    expect(e.message).toContain('row 2');
    expect(e.message).toContain('REQUIRED_COLUMN');
    expect(e.message).toContain('nama');
  });

  it('a program file without NAMA is fine (only nik is required)', async () => {
    const es = await events(file('prog-no-nama.csv', 'NIK\n1571011203850001\n'));
    expect(rows(es)).toEqual([[1, '1571011203850001']]);
  });

  it('no nik column at all → InputError naming the file and the rule', async () => {
    const e = await failure(file('no-nik.csv', 'NAMA,ALAMAT\nBUDI,JL. SUDIRMAN\n'));
    expect(e.rule).toBe('REQUIRED_COLUMN');
    expect(e.message).toContain('no-nik.csv');
    expect(e.message).toMatch(/NIK/);
  });

  it('an empty file → InputError', async () => {
    const e = await failure(file('empty.csv', ''));
    expect(e.file).toBe('empty.csv');
  });

  it('ambiguous NIK and NIK_PENGURUS → InputError naming both columns', async () => {
    const e = await failure(file('ambiguous.csv', 'NIK,NAMA,NIK_PENGURUS\n1571011203850001,A,1571015203850002\n'));
    expect(e.rule).toBe('AMBIGUOUS_COLUMN');
    expect(e.row).toBe(1);
    expect(e.message).toContain('ambiguous.csv');
    expect(e.message).toContain('"NIK"');
    expect(e.message).toContain('"NIK_PENGURUS"');
  });

  it('ambiguous NIK and NIK_PENGURUS decided by --mapping → rows read', async () => {
    const es = await events(file('ambiguous-mapped.csv', 'NIK,NAMA,NIK_PENGURUS\n1571011203850001,A,1571015203850002\n'), {
      source: 'PKH',
      mapping: { nik: 'NIK_PENGURUS' },
    });
    expect(rows(es)).toEqual([[1, '1571015203850002', 'A']]);
  });

  it('a path that does not exist → InputError naming the file', async () => {
    const e = await failure(join(dir, 'missing.csv'));
    expect(e.file).toBe('missing.csv');
    expect(e.rule).toBe('READABLE');
    expect(e.message).toContain('missing.csv');
  });

  // root reads everything, so the check only means something for other users
  it('a directory instead of a file → InputError', async () => {
    const p = join(dir, 'folder.csv');
    mkdirSync(p);
    const e = await failure(p);
    expect(e.file).toBe('folder.csv');
    expect(e.rule).toBe('READABLE');
  });

  it('a .xlsx that is not a workbook → InputError', async () => {
    const e = await failure(file('fake.xlsx', 'NIK,NAMA\n1,A\n'));
    expect(e.file).toBe('fake.xlsx');
    expect(e.rule).toBe('READABLE');
  });

  it('an unsupported extension → InputError', async () => {
    const e = await failure(file('data.xls', 'x'));
    expect(e.file).toBe('data.xls');
    expect(e.rule).toBe('FORMAT');
  });
});

describe('readSource: XLSX', () => {
  it('a numeric NIK cell comes back as its exact digits (9101011203850001 > 2^53)', async () => {
    const p = await xlsx('numeric.xlsx', [
      ['NIK', 'NAMA', 'TGL_LAHIR'],
      [{ number: '9101011203850001' }, 'YOHANA', { dateSerial: 31118 }],
    ]);
    const es = await events(p);
    expect(header(es)).toEqual({ kind: 'header', fields: ['nik', 'nama', 'tanggal_lahir'], headerRow: 1, names: ['NIK', 'NAMA', 'TGL_LAHIR'] });
    expect(rows(es)).toEqual([[1, '9101011203850001', 'YOHANA', '31118']]);
  });

  it('a title row above the header shifts row numbers; a gap row keeps its number', async () => {
    const p = await xlsx('titled.xlsx', [
      ['DAFTAR PENERIMA BST 2021'],
      ['NIK', 'NAMA'],
      [{ number: '9101011203850001' }, 'YOHANA'],
      [null, ''], // empty: not written, a gap in the sheet
      ['1571011203850002', 'BUDI'],
    ]);
    const es = await events(p);
    expect(header(es)).toMatchObject({ headerRow: 2 });
    expect(rows(es)).toEqual([
      [1, '9101011203850001', 'YOHANA'],
      [3, '1571011203850002', 'BUDI'],
    ]);
  });

  it('rows with trailing empty cells are not ragged', async () => {
    const p = await xlsx('trailing.xlsx', [
      ['NIK', 'NAMA', 'TGL_LAHIR'],
      ['1571011203850001', 'BUDI', null],
    ]);
    const es = await events(p);
    expect(rejects(es)).toEqual([]);
    expect(rows(es)).toEqual([[1, '1571011203850001', 'BUDI', '']]);
  });

  it('a DTKS workbook without NAMA → InputError naming the sheet row', async () => {
    const p = await xlsx('dtks-no-nama.xlsx', [['JUDUL'], ['NIK', 'NO_KK'], ['1571011203850001', '1571010101100001']]);
    const e = await failure(p, DTKS);
    expect(e.rule).toBe('REQUIRED_COLUMN');
    expect(e.row).toBe(2);
    expect(e.message).toContain('dtks-no-nama.xlsx');
  });
});

describe('readSource: JSON Lines', () => {
  it('keys are the headers; row numbers are line numbers; numbers keep exact digits', async () => {
    const p = file(
      'prog.jsonl',
      '{"NIK_KTP":9101011203850001,"Nama Lengkap":"YOHANA","tgl_lahir":"1985-03-12"}\n\n{"NIK_KTP":"1571011203850002","Nama Lengkap":"BUDI","tgl_lahir":null}\n',
    );
    const es = await events(p);
    expect(header(es)).toEqual({ kind: 'header', fields: ['nik', 'nama', 'tanggal_lahir'], headerRow: 0, names: ['NIK_KTP', 'Nama Lengkap', 'tgl_lahir'] });
    expect(rows(es)).toEqual([
      [1, '9101011203850001', 'YOHANA', '1985-03-12'],
      [3, '1571011203850002', 'BUDI', ''],
    ]);
  });

  it('objects with other key orders or missing keys project onto the first object\'s fields', async () => {
    const es = await events(file('keys.jsonl', '{"nik":"1","nama":"A"}\n{"nama":"B","nik":"2"}\n{"nik":"3"}\n'));
    expect(rows(es)).toEqual([
      [1, '1', 'A'],
      [2, '2', 'B'],
      [3, '3', ''],
    ]);
  });

  it('invalid JSON and non-objects are rejected with their line numbers, even before the first object', async () => {
    const es = await events(file('bad.jsonl', 'not json\n{"nik":"1"}\n[1,2]\n'));
    // Dead letters come as they are read, not held until the first object: a file of bad lines
    // would otherwise be held whole.
    expect(es.map((e) => e.kind)).toEqual(['reject', 'header', 'row', 'reject']);
    expect(rejects(es)).toMatchObject([
      { row: 1, reason: 'INVALID_JSON' },
      { row: 3, reason: 'NOT_AN_OBJECT' },
    ]);
    expect(rows(es)).toEqual([[2, '1']]);
  });

  it('ambiguous keys (NIK and NIK_PENGURUS) → InputError naming both', async () => {
    const e = await failure(file('amb.jsonl', '{"NIK":"1","NIK_PENGURUS":"2"}\n'));
    expect(e.rule).toBe('AMBIGUOUS_COLUMN');
    expect(e.message).toContain('"NIK"');
    expect(e.message).toContain('"NIK_PENGURUS"');
  });

  it('a DTKS JSONL without a nama key → InputError', async () => {
    const e = await failure(file('dtks.jsonl', '{"nik":"1571011203850001"}\n'), DTKS);
    expect(e.rule).toBe('REQUIRED_COLUMN');
    expect(e.message).toContain('dtks.jsonl');
  });
});
