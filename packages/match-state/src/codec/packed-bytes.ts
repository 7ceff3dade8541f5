/**
 * Byte-level building blocks of the binary packed formats (person-bytes.ts): varints, length-prefixed
 * text, text ending in digits (IDs such as `1501011106197772` or `DTKS158051792253`: the digit run
 * as an integer, 7 bytes instead of 16) and dates as days since 1900-01-01 (2 bytes instead of 10).
 * Lengths are explicit, so no value can contain a separator: a name holding any byte splits nothing.
 */

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1900, 0, 1);
/** The longest digit run packed as an integer (10^20 < 2^67: 9 bytes); longer runs keep their head in the text part. */
const MAX_DIGITS = 20;
/** Flag of digitText's first byte: no text before the digits. */
const NO_HEAD = 0x80;
/** Bytes holding any integer of `n` decimal digits. */
const DIGIT_BYTES = Array.from({ length: MAX_DIGITS + 1 }, (_, n) => Math.ceil((n * Math.log2(10)) / 8));

export class ByteWriter {
  private buf = Buffer.allocUnsafe(128);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  /** An unsigned integer below 2^53, 7 bits per byte, low bits first. */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`packed bytes: ${n} is not an unsigned safe integer`);
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }

  /** UTF-8 text, its byte length first. */
  text(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.bytes(b);
  }

  /**
   * Text whose trailing digits are packed as an integer: one byte, the number of trailing digits
   * d (0 to 20, so leading zeros survive) plus NO_HEAD when nothing precedes them (most IDs: the
   * head's length byte is then left out), then the text before them unless NO_HEAD, then the digits
   * in DIGIT_BYTES[d] bytes, big-endian. The empty string is the one byte NO_HEAD.
   */
  digitText(s: string): void {
    let d = 0;
    while (d < MAX_DIGITS && d < s.length) {
      const c = s.charCodeAt(s.length - 1 - d);
      if (c < 48 || c > 57) break;
      d++;
    }
    const head = s.slice(0, s.length - d);
    this.byte(head === '' ? d | NO_HEAD : d);
    if (head !== '') this.text(head);
    if (d === 0) return;
    const n = DIGIT_BYTES[d] as number;
    this.room(n);
    let v = BigInt(s.slice(s.length - d));
    for (let i = n - 1; i >= 0; i--) {
      this.buf[this.at + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.at += n;
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.at));
  }
}

export class ByteReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  get more(): boolean {
    return this.at < this.buf.length;
  }

  byte(): number {
    if (this.at >= this.buf.length) throw new Error('packed bytes: truncated value (the state is inconsistent: rebuild it)');
    return this.buf[this.at++] as number;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  bytes(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new Error('packed bytes: truncated value (the state is inconsistent: rebuild it)');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  text(): string {
    return this.bytes(this.varint()).toString('utf8');
  }

  digitText(): string {
    const tag = this.byte();
    const d = tag & ~NO_HEAD;
    const head = tag & NO_HEAD ? '' : this.text();
    if (d === 0) return head;
    let v = 0n;
    for (const b of this.bytes(DIGIT_BYTES[d] as number)) v = (v << 8n) | BigInt(b);
    return head + v.toString().padStart(d, '0');
  }
}

/** Days since 1900-01-01 of a `YYYY-MM-DD` date that two bytes hold and that formats back to itself; else null. */
export function dayNumber(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const days = (ms - EPOCH_1900) / DAY_MS;
  if (!Number.isInteger(days) || days < 0 || days > 0xffff || dateOfDay(days) !== date) return null;
  return days;
}

export function dateOfDay(days: number): string {
  return new Date(EPOCH_1900 + days * DAY_MS).toISOString().slice(0, 10);
}
