import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, dateOfDay, dayNumber } from './packed-bytes.js';

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

  it('dates as days since 1900 only when two bytes hold them exactly', () => {
    for (const d of ['1900-01-01', '1993-06-14', '2079-06-06']) expect(dateOfDay(dayNumber(d) as number)).toBe(d);
    for (const d of ['1899-12-31', '2079-06-07', '2001-02-30', '01/02/2001', '0050-01-01']) expect(dayNumber(d)).toBeNull();
  });
});
