import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromBufferPromise } from 'yauzl';
import type { Entry } from 'yauzl';
import { readXlsxRows } from './xlsx-reader.js';
import type { XlsxRow } from './xlsx-reader.js';
import { createXlsxWriter } from './xlsx-writer.js';
import type { XlsxCell, XlsxWriterOptions } from './xlsx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-xlsx-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const tmp = (name: string): string => join(dir, `${++counter}-${name}`);

async function writeXlsx(path: string, rows: XlsxCell[][], options?: XlsxWriterOptions): Promise<void> {
  const writer = createXlsxWriter(path, options);
  for (const row of rows) await writer.addRow(row);
  await writer.finish();
}

async function readAll(path: string): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = [];
  for await (const row of readXlsxRows(path)) rows.push(row);
  return rows;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Zip entries (name, UTC mtime) and their text, in archive order. */
async function zipEntries(path: string): Promise<{ name: string; mtime: string; text: string }[]> {
  const zip = await fromBufferPromise(readFileSync(path), { lazyEntries: true });
  const out: { name: string; mtime: string; text: string }[] = [];
  for await (const entry of zip.eachEntry() as AsyncIterable<Entry>) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    out.push({
      name: entry.fileName,
      mtime: entry.getLastModDate({ timezone: 'UTC' }).toISOString(),
      text: Buffer.concat(chunks).toString('utf8'),
    });
  }
  return out;
}

const NIK_STRING = '3201011203850001';
const NIK_PAPUA = '9101011203850001'; // > 2^53: a float cannot hold it

const ROUND_TRIP_ROWS: XlsxCell[][] = [
  ['NIK', 'NIK_NUM', 'NAMA', 'TGL', 'CATATAN'],
  [NIK_STRING, { number: NIK_PAPUA }, 'Ni Luh Putu Ayu Déwi', { dateSerial: 36526 }, 'Jl. Merdeka <No. 5> & "Gg. Melati" \'A\''],
  ['1.57101E+15', { number: '1.57101E+15' }, null, '', 'middle cells empty'],
  [],
  [],
  ['', null, 'after a gap', { number: '-0.5' }, 'Ōsaka 大阪 😀 ṣ'],
  ['line1\nline2\r\nline3\ttab', ' leading and trailing ', '_x000D_ stays literal', 'a\u0001b\u0008c\uFFFEd'],
];

describe('createXlsxWriter', () => {
  it('round-trips strings, raw numbers, dates, unicode, XML specials, empty cells and row gaps', async () => {
    const path = tmp('roundtrip.xlsx');
    await writeXlsx(path, ROUND_TRIP_ROWS);
    expect(await readAll(path)).toEqual([
      { row: 1, values: ['NIK', 'NIK_NUM', 'NAMA', 'TGL', 'CATATAN'] },
      { row: 2, values: [NIK_STRING, NIK_PAPUA, 'Ni Luh Putu Ayu Déwi', '36526', 'Jl. Merdeka <No. 5> & "Gg. Melati" \'A\''] },
      { row: 3, values: ['1.57101E+15', '1.57101E+15', '', '', 'middle cells empty'] },
      // rows 4 and 5 had no cells: not written, so they are a gap
      { row: 6, values: ['', '', 'after a gap', '-0.5', 'Ōsaka 大阪 😀 ṣ'] },
      // characters illegal in XML 1.0 are dropped; CR survives (written as a character reference)
      { row: 7, values: ['line1\nline2\r\nline3\ttab', ' leading and trailing ', '_x000D_ stays literal', 'abcd'] },
    ]);
  });

  it('writes strings as inline strings, numbers/dates as numeric cells with the raw text', async () => {
    const path = tmp('cells.xlsx');
    await writeXlsx(path, [[NIK_PAPUA, { number: NIK_PAPUA }, { dateSerial: 36526.5 }]]);
    const sheet = (await zipEntries(path)).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.text;
    expect(sheet).toContain(`<c r="A1" t="inlineStr"><is><t xml:space="preserve">${NIK_PAPUA}</t></is></c>`);
    expect(sheet).toContain(`<c r="B1"><v>${NIK_PAPUA}</v></c>`);
    expect(sheet).toContain('<c r="C1" s="2"><v>36526.5</v></c>');
  });

  it('produces byte-identical files for identical input, whatever the time zone', async () => {
    const a = tmp('a.xlsx');
    const b = tmp('b.xlsx');
    const c = tmp('c.xlsx');
    const options: XlsxWriterOptions = { sheetName: 'Hasil', columnWidths: [20, 18, 30], boldHeader: true };
    await writeXlsx(a, ROUND_TRIP_ROWS, options);
    await writeXlsx(b, ROUND_TRIP_ROWS, options);
    const tz = process.env['TZ'];
    try {
      process.env['TZ'] = 'Asia/Jayapura';
      await writeXlsx(c, ROUND_TRIP_ROWS, options);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(a)).toBe(sha256(c));

    const other = tmp('other.xlsx');
    await writeXlsx(other, [...ROUND_TRIP_ROWS, ['one more row']], options);
    expect(sha256(other)).not.toBe(sha256(a));
  });

  it('stamps the fixed mtime on every entry, in a fixed entry order, with no docProps', async () => {
    const path = tmp('entries.xlsx');
    await writeXlsx(path, [['x']]);
    const entries = await zipEntries(path);
    expect(entries.map((e) => e.name)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    for (const e of entries) expect(e.mtime).toBe('2000-01-01T00:00:00.000Z');

    const custom = tmp('mtime.xlsx');
    await writeXlsx(custom, [['x']], { mtime: new Date('2024-08-17T10:45:30Z') });
    for (const e of await zipEntries(custom)) expect(e.mtime).toBe('2024-08-17T10:45:30.000Z');
  });

  it('writes column widths, a bold frozen header and the sheet name', async () => {
    const path = tmp('styled.xlsx');
    await writeXlsx(path, [['NIK', 'Tanggal'], [NIK_STRING, { dateSerial: 45000 }]], {
      sheetName: 'Penerima & Ganda',
      columnWidths: [20, 0, 12.5],
      boldHeader: true,
    });
    const entries = await zipEntries(path);
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!.text;
    const workbook = entries.find((e) => e.name === 'xl/workbook.xml')!.text;
    expect(workbook).toContain('<sheet name="Penerima &amp; Ganda" sheetId="1" r:id="rId1"/>');
    expect(sheet).toContain('<cols><col min="1" max="1" width="20" customWidth="1"/><col min="3" max="3" width="12.5" customWidth="1"/></cols>');
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(sheet).toContain('<c r="A2" t="inlineStr">');
    expect(sheet).toContain('<c r="B2" s="2"><v>45000</v></c>');
    expect(await readAll(path)).toEqual([
      { row: 1, values: ['NIK', 'Tanggal'] },
      { row: 2, values: [NIK_STRING, '45000'] },
    ]);
  });

  it('rejects bad input', async () => {
    expect(() => createXlsxWriter(tmp('bad.xlsx'), { sheetName: 'a/b' })).toThrow(TypeError);
    const writer = createXlsxWriter(tmp('bad-number.xlsx'));
    await expect(writer.addRow([{ number: '12abc' }])).rejects.toThrow(/not a number/);
    await expect(writer.addRow([{ dateSerial: Number.NaN }])).rejects.toThrow(/not finite/);
    await writer.finish();
    await expect(writer.addRow(['late'])).rejects.toThrow(/after finish/);
  });

  it('reports an unwritable path instead of hanging', async () => {
    const writer = createXlsxWriter(join(dir, 'no-such-dir', 'x.xlsx'));
    await expect(
      (async () => {
        for (let i = 0; i < 10_000; i++) await writer.addRow([NIK_STRING, `row ${i}`]);
        await writer.finish();
      })(),
    ).rejects.toThrow(/ENOENT/);
  });

  it('streams 200 000 rows and reads them back', async () => {
    const path = tmp('big.xlsx');
    const writer = createXlsxWriter(path, { boldHeader: true });
    await writer.addRow(['NIK', 'NIK_NUM', 'NAMA', 'TGL']);
    for (let i = 0; i < 200_000; i++) {
      const nik = `91010112${String(i).padStart(8, '0')}`; // above 2^53: built as text
      await writer.addRow([nik, { number: nik }, `Penerima ${i}`, { dateSerial: 30000 + (i % 1000) }]);
    }
    await writer.finish();

    let count = 0;
    const seen = new Map<number, string[]>();
    for await (const { row, values } of readXlsxRows(path)) {
      count++;
      if (row === 1 || row === 2 || row === 100_001 || row === 200_001) seen.set(row, values);
    }
    expect(count).toBe(200_001);
    expect(seen.get(1)).toEqual(['NIK', 'NIK_NUM', 'NAMA', 'TGL']);
    expect(seen.get(2)).toEqual(['9101011200000000', '9101011200000000', 'Penerima 0', '30000']);
    expect(seen.get(100_001)).toEqual(['9101011200099999', '9101011200099999', 'Penerima 99999', '30999']);
    expect(seen.get(200_001)).toEqual(['9101011200199999', '9101011200199999', 'Penerima 199999', '30999']);
  });
});


describe('cells over Excel\'s 32 767-character limit', () => {
  it('xlsx_cell_over_limit: a longer string is cut to the limit and ends with the truncation mark', async () => {
    const path = tmp('long-cell.xlsx');
    const long = 'A'.repeat(40_000);
    const exact = 'B'.repeat(32_767);
    // A surrogate pair straddling the cut point stays whole.
    const emoji = `${'C'.repeat(32_767 - 12 - 1)}😀${'D'.repeat(100)}`;
    await writeXlsx(path, [[long, exact, emoji]]);
    const [row] = await readAll(path);
    const [a, b, c] = row!.values;
    expect(a).toHaveLength(32_767);
    expect(a!.endsWith('…[truncated]')).toBe(true);
    expect(b).toBe(exact);
    expect(c!.length).toBeLessThanOrEqual(32_767);
    expect(c!.endsWith(`${'C'}…[truncated]`)).toBe(true);
  });
});
