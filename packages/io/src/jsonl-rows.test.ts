import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareJsonLine, readJsonlRows } from './jsonl-rows.js';
import { DEFAULT_READER_LIMITS } from './reader-limits.js';
import type { JsonlLine } from './jsonl-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function lines(content: string | Buffer, limits = DEFAULT_READER_LIMITS): Promise<JsonlLine[]> {
  const p = join(dir, `f${n++}.jsonl`);
  writeFileSync(p, content);
  const out: JsonlLine[] = [];
  for await (const l of readJsonlRows(p, limits)) out.push(l);
  return out;
}

const objects = (ls: JsonlLine[]) => ls.map((l) => ('object' in l ? { line: l.line, object: l.object } : { line: l.line, error: l.error }));

describe('readJsonlRows', () => {
  it('reads one object per line, with 1-based line numbers', async () => {
    expect(objects(await lines('{"nik":"1571011203850001","nama":"BUDI"}\n{"nik":"1571015203850002","nama":"SITI"}\n'))).toEqual([
      { line: 1, object: { nik: '1571011203850001', nama: 'BUDI' } },
      { line: 2, object: { nik: '1571015203850002', nama: 'SITI' } },
    ]);
  });

  it('a NIK written as a JSON number above 2^53 keeps its exact digits (9101011203850001)', async () => {
    const [l] = await lines('{"nik":9101011203850001,"nama":"YOHANA"}\n');
    expect(l && 'object' in l && l.object.nik).toBe('9101011203850001');
  });

  it('other numbers keep their source text (no rounding, no exponent rewriting)', async () => {
    const [l] = await lines('{"a":1571011203850001,"b":-12,"c":1.50,"d":1.57101E+15,"e":0}\n');
    expect(l && 'object' in l && l.object).toEqual({ a: '1571011203850001', b: '-12', c: '1.50', d: '1.57101E+15', e: '0' });
  });

  it('digits inside strings are left alone, including escaped quotes', async () => {
    const [l] = await lines('{"nama":"RT 01 \\"RW\\" 02","nik":"0012"}\n');
    expect(l && 'object' in l && l.object).toEqual({ nama: 'RT 01 "RW" 02', nik: '0012' });
  });

  it('null values become empty strings', async () => {
    const [l] = await lines('{"nik":"1571011203850001","tgl_lahir":null}\n');
    expect(l && 'object' in l && l.object).toEqual({ nik: '1571011203850001', tgl_lahir: '' });
  });

  it('booleans become their text', async () => {
    const [l] = await lines('{"nik":"1","aktif":true}\n');
    expect(l && 'object' in l && l.object.aktif).toBe('true');
  });

  it('invalid JSON → INVALID_JSON with its line number and raw text', async () => {
    const ls = await lines('{"nik":"1"}\n{"nik": \n{"nik":"2"}\n');
    expect(objects(ls)).toEqual([
      { line: 1, object: { nik: '1' } },
      { line: 2, error: 'INVALID_JSON' },
      { line: 3, object: { nik: '2' } },
    ]);
    expect(ls[1]?.raw).toBe('{"nik": ');
  });

  it('a JSON array → NOT_AN_OBJECT', async () => {
    expect(objects(await lines('["1571011203850001","BUDI"]\n'))).toEqual([{ line: 1, error: 'NOT_AN_OBJECT' }]);
  });

  it('a JSON string, number or null → NOT_AN_OBJECT', async () => {
    expect(objects(await lines('"x"\n42\nnull\n'))).toEqual([
      { line: 1, error: 'NOT_AN_OBJECT' },
      { line: 2, error: 'NOT_AN_OBJECT' },
      { line: 3, error: 'NOT_AN_OBJECT' },
    ]);
  });

  it('blank lines are skipped but later lines keep their line numbers', async () => {
    expect(objects(await lines('{"nik":"1"}\n\n   \n{"nik":"2"}\n\n'))).toEqual([
      { line: 1, object: { nik: '1' } },
      { line: 4, object: { nik: '2' } },
    ]);
  });

  it('a UTF-8 BOM is stripped from the first line', async () => {
    expect(objects(await lines('\ufeff{"nik":"1"}\n{"nik":"2"}\n'))).toEqual([
      { line: 1, object: { nik: '1' } },
      { line: 2, object: { nik: '2' } },
    ]);
  });

  it('CRLF line endings give the same rows and line numbers as LF', async () => {
    const lf = objects(await lines('{"nik":"1"}\n\n{"nik":"2"}\n'));
    const crlf = objects(await lines('{"nik":"1"}\r\n\r\n{"nik":"2"}\r\n'));
    expect(crlf).toEqual(lf);
    expect(crlf).toEqual([
      { line: 1, object: { nik: '1' } },
      { line: 3, object: { nik: '2' } },
    ]);
  });

  it('a last line without a newline is read', async () => {
    expect(objects(await lines('{"nik":"1"}\n{"nik":"2"}'))).toEqual([
      { line: 1, object: { nik: '1' } },
      { line: 2, object: { nik: '2' } },
    ]);
  });

  it('bytes that are not UTF-8 → UNDECODABLE_TEXT', async () => {
    const bad = Buffer.concat([Buffer.from('{"nik":"1","nama":"JOS'), Buffer.from([0xe9]), Buffer.from('"}\n{"nik":"2"}\n')]);
    expect(objects(await lines(bad))).toEqual([
      { line: 1, error: 'UNDECODABLE_TEXT' },
      { line: 2, object: { nik: '2' } },
    ]);
  });

  it('non-ASCII UTF-8 names are read intact', async () => {
    const [l] = await lines('{"nik":"1","nama":"JOSÉ ŠIMON"}\n');
    expect(l && 'object' in l && l.object.nama).toBe('JOSÉ ŠIMON');
  });
});

describe('readJsonlRows: hostile lines (issue 6)', () => {
  it('nesting deeper than maxJsonDepth → NESTING_TOO_DEEP; brackets inside strings do not count', async () => {
    const limits = { ...DEFAULT_READER_LIMITS, maxJsonDepth: 3 };
    const out = await lines('{"a":[[1]]}\n{"a":[[[1]]]}\n{"a":"[[[[[["}\n', limits);
    expect(objects(out)).toEqual([
      { line: 1, object: { a: '[["1"]]' } },
      { line: 2, error: 'NESTING_TOO_DEEP' },
      { line: 3, object: { a: '[[[[[[' } },
    ]);
  });

  it('a line over maxLineBytes → LINE_TOO_LONG; the next line is read', async () => {
    const limits = { ...DEFAULT_READER_LIMITS, maxLineBytes: 1024 };
    const out = await lines(`{"NIK":"${'1'.repeat(2000)}"}\n{"NIK":"2"}\n`, limits);
    expect(objects(out)).toEqual([
      { line: 1, error: 'LINE_TOO_LONG' },
      { line: 2, object: { NIK: '2' } },
    ]);
  });

  it('"__proto__" is an ordinary key', async () => {
    const [l] = await lines('{"__proto__":"x","NIK":"1"}\n');
    expect(l && 'object' in l ? Object.keys(l.object) : []).toEqual(['__proto__', 'NIK']);
  });
});

describe('prepareJsonLine', () => {
  it('quotes numbers outside strings only, and refuses malformed numbers', () => {
    expect(prepareJsonLine('{"a":9101011203850001,"b":"12 \\"3\\"","c":-1.5e3}', 64)).toBe('{"a":"9101011203850001","b":"12 \\"3\\"","c":"-1.5e3"}');
    expect(prepareJsonLine('{"a":1.}', 64)).toBe('INVALID_JSON');
    expect(prepareJsonLine('{"a":-}', 64)).toBe('INVALID_JSON');
  });

  it('scans a string of several megabytes in linear time without a regular-expression overflow', () => {
    const line = `{"a":"${'\\"x'.repeat(2_000_000)}","n":1}`;
    expect(prepareJsonLine(line, 64)).toBe(line.replace(',"n":1}', ',"n":"1"}'));
  });
});
