import { createWriteStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { XlsxFormatError, readXlsxRows } from './xlsx-reader.js';
import type { XlsxReadOptions } from './xlsx-reader.js';
import type { XlsxRow } from './xlsx-reader.js';
import { createXlsxWriter } from './xlsx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-xlsx-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const tmp = (name: string): string => join(dir, `${++counter}-${name}`);

/** Writes a zip with exactly these entries (a hand-made workbook, not via our writer). */
function writeZip(path: string, files: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const out = createWriteStream(path);
    out.on('close', resolve).on('error', reject);
    zip.outputStream.pipe(out);
  });
}

async function readAll(path: string, opts: XlsxReadOptions = {}): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = [];
  for await (const row of readXlsxRows(path, opts)) rows.push(row);
  return rows;
}

async function failure(path: string, opts: XlsxReadOptions = {}): Promise<XlsxFormatError> {
  const e = await readAll(path, opts).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(XlsxFormatError);
  return e as XlsxFormatError;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Shaped like what Excel writes: shared strings, rich text, styles, formulas, booleans, errors. */
const EXCEL_LIKE: Record<string, string> = {
  '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships ${RELS_NS}><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ${NS} xmlns:r="${REL}"><workbookPr/><sheets>
  <sheet name="Data" sheetId="2" r:id="rId7"/>
  <sheet name="Other" sheetId="1" r:id="rId1"/>
</sheets><definedNames/></workbook>`,
  'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships ${RELS_NS}>
  <Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>
  <Relationship Id="rId7" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>
  <Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>
  <Relationship Id="rId9" Type="${REL}/hyperlink" Target="https://example.org/" TargetMode="External"/>
</Relationships>`,
  'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst ${NS} count="6" uniqueCount="6">
  <si><t>NIK</t></si>
  <si><r><rPr><b/></rPr><t>Bu</t></r><r><rPr><i/></rPr><t xml:space="preserve">di </t></r><r><t>Santoso</t></r></si>
  <si><t>Jl. Mawar &amp; Melati &lt;RT 01&gt;</t><rPh sb="0" eb="2"><t>PHONETIC</t></rPh><phoneticPr fontId="1"/></si>
  <si><t>baris1_x000D_
baris2 _x005F_x0041_</t></si>
  <si><t/></si>
  <si><t>3201011203850001</t></si>
</sst>`,
  // The first sheet in workbook order is sheet2.xml; sheet1.xml must not be read.
  'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
  'xl/worksheets/sheet2.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet ${NS} xmlns:r="${REL}"><dimension ref="A1:F9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>
<sheetData>
  <row r="1" spans="1:4"><c r="A1" t="s" s="1"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
  <row r="2"><c r="A2"><v>9101011203850001</v></c><c r="B2" s="3"><v>1.57101E+15</v></c><c r="C2"><v>1571011203850001.0</v></c><c r="D2" t="s"><v>5</v></c></row>
  <row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>A2&amp;""</f><v>9101011203850001</v></c></row>
  <row r="5"><c t="s"><v>0</v></c><c><v>5</v></c><c r="E5"><v>7</v></c><c><v>8</v></c></row>
  <row><c r="B6" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="D6" s="2"/><c r="E6" t="s"><v>4</v></c></row>
  <row r="7" ht="20" customHeight="1"/>
  <row r="8"><c r="A8" t="n"><v>-12.5E-3</v></c><c r="C8"><f>1/0</f></c></row>
  <row r="9"><c r="AA9"><v><![CDATA[42]]></v></c></row>
</sheetData>
<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>
<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>
</worksheet>`,
};

describe('readXlsxRows', () => {
  it('reads an Excel-shaped workbook: shared strings, rich text, booleans, errors, implicit refs, absolute sheet target', async () => {
    const path = tmp('excel-like.xlsx');
    await writeZip(path, EXCEL_LIKE);
    const aa = new Array<string>(27).fill('');
    aa[26] = '42';
    expect(await readAll(path)).toEqual([
      { row: 1, values: ['NIK', 'Budi Santoso', 'Jl. Mawar & Melati <RT 01>', 'baris1\r\nbaris2 _x0041_'] },
      { row: 2, values: ['9101011203850001', '1.57101E+15', '1571011203850001.0', '3201011203850001'] },
      { row: 4, values: ['TRUE', 'FALSE', '#N/A', '9101011203850001'] },
      { row: 5, values: ['NIK', '5', '', '', '7', '8'] },
      { row: 6, values: ['', 'inline'] },
      { row: 7, values: [] },
      { row: 8, values: ['-12.5E-3'] },
      { row: 9, values: aa },
    ]);
  });

  it('ignores namespace prefixes (x:row, x:c) as written by some .NET tools', async () => {
    const path = tmp('prefixed.xlsx');
    await writeZip(path, {
      'xl/workbook.xml': `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${REL}"><x:sheets><x:sheet name="S" sheetId="1" rel:id="R1"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships ${RELS_NS}><Relationship Id="R1" Type="${REL}/worksheet" Target="worksheets/data.xml"/></Relationships>`,
      'xl/worksheets/data.xml': `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>hai</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
    });
    expect(await readAll(path)).toEqual([{ row: 3, values: ['', 'hai'] }]);
  });

  it('reports a file that is not a zip as XlsxFormatError naming the file', async () => {
    const csv = tmp('actually-csv.xlsx');
    writeFileSync(csv, 'NIK,NAMA\n3201011203850001,Budi\n');
    const err = await readAll(csv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxFormatError);
    expect((err as XlsxFormatError).file).toBe(csv);
    expect((err as XlsxFormatError).message).toContain(csv);
    expect((err as XlsxFormatError).message).toMatch(/not a readable \.xlsx workbook .*re-save it from Excel as \.xlsx, or export CSV/);

    const html = tmp('portal-export.xlsx');
    writeFileSync(html, '<html><body><table><tr><td>NIK</td></tr></table></body></html>');
    await expect(readAll(html)).rejects.toThrow(/HTML/);

    const xls = tmp('old.xlsx');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    await expect(readAll(xls)).rejects.toThrow(/\.xls/);
  });

  it('reports zips that are not workbooks, or lack the sheet, as XlsxFormatError', async () => {
    const noWorkbook = tmp('no-workbook.xlsx');
    await writeZip(noWorkbook, { 'readme.txt': 'hello' });
    await expect(readAll(noWorkbook)).rejects.toThrow(XlsxFormatError);
    await expect(readAll(noWorkbook)).rejects.toThrow(/no workbook part xl\/workbook\.xml/);

    const noSheet = tmp('no-sheet.xlsx');
    const { 'xl/worksheets/sheet2.xml': _dropped, ...rest } = EXCEL_LIKE;
    await writeZip(noSheet, rest);
    await expect(readAll(noSheet)).rejects.toThrow(/first sheet's part xl\/worksheets\/sheet2\.xml is missing/);

    const badXml = tmp('bad-xml.xlsx');
    await writeZip(badXml, { ...EXCEL_LIKE, 'xl/worksheets/sheet2.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></sheetData>` });
    await expect(readAll(badXml)).rejects.toThrow(/malformed XML in xl\/worksheets\/sheet2\.xml/);
  });

  it('passes file-system errors through unchanged', async () => {
    await expect(readAll(join(dir, 'does-not-exist.xlsx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('closes the file when the consumer stops early', async () => {
    const path = tmp('early-break.xlsx');
    const writer = createXlsxWriter(path);
    for (let i = 1; i <= 50_000; i++) await writer.addRow([`91010112${String(i).padStart(8, '0')}`, `row ${i}`]);
    await writer.finish();

    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const before = process.platform === 'linux' ? openFds() : 0;
    const seen: number[] = [];
    for await (const { row } of readXlsxRows(path)) {
      seen.push(row);
      if (row === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    // let the fd close (an async fs.close) complete
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (process.platform === 'linux') expect(openFds()).toBe(before);
    expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('FS'))).toEqual([]);

    // The same through an explicit return() after the first row.
    const rows = readXlsxRows(path);
    expect((await rows.next()).value).toEqual({ row: 1, values: ['9101011200000001', 'row 1'] });
    await rows.return(undefined);
    expect(await rows.next()).toEqual({ done: true, value: undefined });
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (process.platform === 'linux') expect(openFds()).toBe(before);
  });
});

/** EXCEL_LIKE with its sheet and shared strings replaced. */
function book(sheetData: string, sst = '<si><t>NIK</t></si>'): Record<string, string> {
  return {
    ...EXCEL_LIKE,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${sst}</sst>`,
    'xl/worksheets/sheet2.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`,
  };
}

const limits = (l: Partial<ReaderLimits>): ReaderLimits => ({ ...DEFAULT_READER_LIMITS, ...l });

describe('readXlsxRows: row numbers are rules, not trusted (issue 6, defect 5)', () => {
  it('a duplicated r → XLSX_ROW_ORDER naming the sheet row', async () => {
    const path = tmp('dup-r.xlsx');
    await writeZip(path, book('<row r="1"><c t="s"><v>0</v></c></row><row r="2"/><row r="2"/>'));
    const e = await failure(path);
    expect([e.rule, e.row]).toEqual(['XLSX_ROW_ORDER', 2]);
    expect(e.message).toContain('rows must be in increasing order');
  });

  it('r past 1 048 576, or not a number → XLSX_ROW_NUMBER, the value not echoed', async () => {
    for (const r of ['1048577', '99999999999999999999', '4294967296', '-1', '0', '1e3']) {
      const path = tmp('bad-r.xlsx');
      await writeZip(path, book(`<row r="1"/><row r="${r}"/>`));
      const e = await failure(path);
      expect([e.rule, e.row]).toEqual(['XLSX_ROW_NUMBER', 2]);
      if (r.length > 2) expect(e.message).not.toContain(r);
    }
  });

  it('row 1 048 576 is read', async () => {
    const path = tmp('last-row.xlsx');
    await writeZip(path, book('<row r="1048576"><c t="s"><v>0</v></c></row>'));
    expect(await readAll(path)).toEqual([{ row: 1_048_576, values: ['NIK'] }]);
  });
});

describe('readXlsxRows: inflate limits (issue 6, defect 3)', () => {
  it('a part inflating more than 100 times → XLSX_INFLATE_RATIO naming the part', async () => {
    const path = tmp('ratio.xlsx');
    await writeZip(path, book('<row r="1"/>', '<si><t>A</t></si>'.repeat(500_000)));
    const e = await failure(path);
    expect(e.rule).toBe('XLSX_INFLATE_RATIO');
    expect(e.message).toContain('part xl/sharedStrings.xml');
  });

  it('a part over xlsxMaxPartBytes → XLSX_PART_SIZE', async () => {
    const path = tmp('part-size.xlsx');
    const rows = Array.from({ length: 400 }, (_, i) => `<row r="${i + 1}"><c><v>${(i * 7919) % 100_003}</v></c></row>`).join('');
    await writeZip(path, book(rows));
    const e = await failure(path, { limits: limits({ xlsxMaxPartBytes: 4096, xlsxMinInflateRatio: 0 }) });
    expect(e.rule).toBe('XLSX_PART_SIZE');
    expect(e.message).toContain('part xl/worksheets/sheet2.xml');
  });

  it('one text token over 4× maxLineBytes → XLSX_TOKEN_SIZE before it is held (saxes buffers checked)', async () => {
    const path = tmp('token.xlsx');
    await writeZip(path, book(`<row r="1"><c t="inlineStr"><is><t>${'x'.repeat(200_000)}</t></is></c></row>`));
    const e = await failure(path, { limits: limits({ maxLineBytes: 1024, xlsxMinInflateRatio: 0 }) });
    expect(e.rule).toBe('XLSX_TOKEN_SIZE');
  });

  it('a row whose text passes maxLineBytes comes back tooLong; the next row is read', async () => {
    const path = tmp('long-row.xlsx');
    await writeZip(path, book(`<row r="1"><c t="inlineStr"><is><t>${'x'.repeat(3000)}</t></is></c></row><row r="2"><c t="s"><v>0</v></c></row>`));
    expect(await readAll(path, { limits: limits({ maxLineBytes: 1024, xlsxMinInflateRatio: 0 }) })).toEqual([
      { row: 1, values: [], tooLong: true },
      { row: 2, values: ['NIK'] },
    ]);
  });

  it('shared strings spilled to the given temp dir read the same, and the file is gone after the read, or a failed one', async () => {
    const spillDir = mkdtempSync(join(dir, 'spill-'));
    const path = tmp('excel-like-spill.xlsx');
    await writeZip(path, EXCEL_LIKE);
    expect(await readAll(path, { limits: limits({ xlsxSharedStringsMemoryBytes: 0 }), tempDir: spillDir })).toEqual(await readAll(path));
    expect(readdirSync(spillDir)).toEqual([]);
    const broken = tmp('spill-broken.xlsx');
    await writeZip(broken, book('<row r="1"><c t="s"><v>0</v></c></row><row r="1"/>'));
    await failure(broken, { limits: limits({ xlsxSharedStringsMemoryBytes: 0 }), tempDir: spillDir });
    expect(readdirSync(spillDir)).toEqual([]);
  });
});
