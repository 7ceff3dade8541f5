import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, dateOfDay, dayNumber, digitHead } from './packed-bytes.js';

describe('packed bytes', () => {
  const texts = ['', '0', '007', '1501011106197772', 'DTKS158051792253', 'ABC', 'é12', '9'.repeat(25), `x${'0'.repeat(20)}`, 'H:12 '];

  it('digit texts, varints and texts round-trip in sequence', () => {
    const w = new ByteWriter();
    for (const t of texts) {
      w.digitText(t);
      w.varint(t.length * 1_000_003);
      w.text(t);
    }
    const r = new ByteReader(w.done());
    for (const t of texts) expect([r.digitText(), r.varint(), r.text()]).toEqual([t, t.length * 1_000_003, t]);
    expect(r.more).toBe(false);
  });

  it('a 16-digit ID takes 8 bytes, the empty string 1', () => {
    const size = (t: string) => {
      const w = new ByteWriter();
      w.digitText(t);
      return w.done().length;
    };
    expect(size('1501011106197772')).toBe(8);
    expect(size('')).toBe(1);
    expect(size('DTKS158051792253')).toBe(1 + 1 + 4 + 5);
  });

  it('headed texts: the head as a table id (in the tag below 64, a varint past it), else the digit text', () => {
    // The head of each text, as digitHead cuts it: `DTKS`, '' (digits only or empty), the whole
    // text (no digits), the digits past the 20 packed as an integer, non-ASCII.
    expect(texts.map(digitHead)).toEqual(['', '', '', '', 'DTKS', 'ABC', 'é', '99999', 'x', 'H:12 ']);
    const table = ['DTKS', 'ABC', 'é', '99999', 'x', 'H:12 '];
    for (const offset of [0, 63, 64, 1_000_000]) {
      const idOf = (head: string) => (table.includes(head) ? offset + table.indexOf(head) : undefined);
      const w = new ByteWriter();
      for (const t of texts) {
        w.headedText(t, digitHead(t) === '' ? undefined : idOf(digitHead(t)));
        w.byte(0xff);
      }
      // A head the table does not hold is written as text.
      w.headedText('ZZ9', undefined);
      const r = new ByteReader(w.done());
      const asked: number[] = [];
      const headOf = (id: number) => {
        asked.push(id);
        return table[id - offset] as string;
      };
      for (const t of texts) expect([r.headedText(headOf), r.byte()]).toEqual([t, 0xff]);
      expect(r.headedText(headOf)).toBe('ZZ9');
      expect(r.more).toBe(false);
      expect(asked).toEqual(table.map((_, i) => offset + i));
    }
  });

  it('a household id with its head as an id below 64 takes 7 bytes, not 11', () => {
    const w = new ByteWriter();
    w.headedText('DTKS158051792253', 1);
    expect(w.done().length).toBe(1 + 1 + 5);
  });

  it('names round-trip in every form; upper, title and lower case take 5 bits a letter', () => {
    const names = ['', 'A', 'IRWAN NURDIN', 'Irwan Nurdin', 'irwan nurdin', "Ma'ruf", 'McDonald', 'SITI ʿAISYAH 𝕏', 'H. M. YUSUF, S.PD', 'A B', ' Lead', 'x'.repeat(200), 'Budi2'];
    const w = new ByteWriter();
    for (const n of names) w.name(n);
    const r = new ByteReader(w.done());
    for (const n of names) expect(r.name()).toBe(n);
    expect(r.more).toBe(false);
    const size = (n: string) => {
      const s = new ByteWriter();
      s.name(n);
      return s.done().length;
    };
    expect(size('IRWAN NURDIN')).toBe(1 + 8);
    expect(size('Irwan Nurdin')).toBe(1 + 8);
    expect(size('McDonald')).toBe(1 + 8);
  });

  it('digit runs of every length round-trip exactly', () => {
    const w = new ByteWriter();
    const runs: string[] = [];
    for (let d = 1; d <= 25; d++) runs.push('9'.repeat(d), `1${'0'.repeat(d - 1)}`, '1234567890123456789012345'.slice(0, d), `0${'7'.repeat(d - 1)}`);
    for (const t of runs) w.digitText(t);
    const r = new ByteReader(w.done());
    for (const t of runs) expect(r.digitText()).toBe(t);
  });

  it("day numbers are the calendar's, every day from 1900 to 2079", () => {
    for (let day = 0; day <= 0xffff; day += 1) {
      const date = new Date(Date.UTC(1900, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      expect(dayNumber(date)).toBe(day);
      expect(dateOfDay(day)).toBe(date);
    }
  });

  it('dates as days since 1900 only when two bytes hold them exactly', () => {
    for (const d of ['1900-01-01', '1993-06-14', '2079-06-06']) expect(dateOfDay(dayNumber(d) as number)).toBe(d);
    for (const d of ['1899-12-31', '2079-06-07', '2001-02-30', '1900-02-29', '2000-02-30', '2001-13-01', '2001-00-10', '2001-01-00', '01/02/2001', '0050-01-01', '2001-1-010', '2001-01-1x']) expect(dayNumber(d)).toBeNull();
  });
});
