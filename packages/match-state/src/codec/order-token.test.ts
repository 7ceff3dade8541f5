import { describe, expect, it } from 'vitest';
import { compareByFileRow } from '@padan/core';
import { orderToken, programCode, programOfCode, readOrderToken } from './order-token.js';

const FILES = ['pbi.csv', 'pbi.csv.bak', 'pbi', 'PBI.csv', 'pbi-2021-09.csv', 'a~b', 'a\u007fb', 'a\u0080b', 'é.csv', 'ｅ.csv', '😀.csv', '\uffff', '', 'x\u0000y', 'pbi\u001e.csv'];
const ROWS = [0, 1, 63, 64, 4095, 123_456, 2 ** 32 - 1];

describe('order token', () => {
  const records = FILES.flatMap((file) => ROWS.map((row) => ({ file, row })));

  it("orders (file, row) exactly as compareByFileRow does, byte by byte (what Lua's less compares)", () => {
    for (const a of records) {
      for (const b of records) {
        const bytes = Buffer.compare(Buffer.from(orderToken(a.file, a.row)), Buffer.from(orderToken(b.file, b.row)));
        expect([a, b, bytes]).toEqual([a, b, Math.sign(compareByFileRow(a, b))]);
      }
    }
  });

  it('reads back file and row, tokens concatenated without separators', () => {
    const joined = records.map((r) => orderToken(r.file, r.row)).join('');
    const back: { file: string; row: number }[] = [];
    for (let at = 0; at < joined.length; ) {
      const t = readOrderToken(joined, at);
      back.push({ file: t.file, row: t.row });
      at = t.next;
    }
    expect(back).toEqual(records);
  });

  it('is ASCII (survives UTF-8 replies) and short', () => {
    for (const r of records) expect(Buffer.byteLength(orderToken(r.file, r.row))).toBe(orderToken(r.file, r.row).length);
    expect(orderToken('pbi-2021-09.csv', 123_456)).toHaveLength(22);
  });

  it('has one code per source', () => {
    for (const s of ['DTKS', 'PKH', 'SEMBAKO', 'BST', 'PBI'] as const) expect(programOfCode(programCode(s))).toBe(s);
    expect(() => programOfCode('?')).toThrow(/unknown program code/);
  });
});
