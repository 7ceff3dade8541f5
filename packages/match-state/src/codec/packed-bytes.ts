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
/**
 * Tags of headedText beside digitText's (0–20, with or without NO_HEAD, so 0x15–0x7F are free):
 * the head as a name-table id in the tag itself (HEAD_IN_TAG + id, ids below 64) or as a varint
 * after HEAD_ID.
 */
const HEAD_ID = 0x20;
const HEAD_IN_TAG = 0x40;
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
    const d = trailingDigits(s);
    const head = s.slice(0, s.length - d);
    this.byte(head === '' ? d | NO_HEAD : d);
    if (head !== '') this.text(head);
    if (d === 0) return;
    const n = DIGIT_BYTES[d] as number;
    this.room(n);
    writeDigits(this.buf, this.at, n, s, s.length - d);
    this.at += n;
  }

  /**
   * Text as digitText writes it, but with its head (digitHead: `DTKS` of `DTKS158051792253`) as
   * `headId`, its id in a name table, when it has one: 1 byte (ids below 64) where the head took
   * its length and its bytes (5 for `DTKS`). `headId` undefined: digitText.
   */
  headedText(s: string, headId: number | undefined): void {
    if (headId === undefined) return this.digitText(s);
    if (!Number.isSafeInteger(headId) || headId < 0) throw new Error(`packed bytes: head id ${headId} is not an unsigned safe integer`);
    if (headId < NO_HEAD - HEAD_IN_TAG) this.byte(HEAD_IN_TAG + headId);
    else {
      this.byte(HEAD_ID);
      this.varint(headId);
    }
    this.digitText(s.slice(s.length - trailingDigits(s)));
  }

  /**
   * A name: nearly every name of a register is upper case or title case ASCII letters, spaces and
   * a few marks, which take 5 bits a character here (9 bytes where UTF-8 took 14). One varint
   * first: the length times 4 plus the form (NAME_UTF8: UTF-8 bytes follow; NAME_UPPER, NAME_TITLE,
   * NAME_LOWER: that many 5-bit symbols of NAME_SYMBOLS follow, in the case the form says).
   * Any other text is UTF-8, so every string round-trips.
   */
  name(s: string): void {
    const form = nameForm(s);
    if (form === NAME_UTF8) {
      const b = Buffer.from(s, 'utf8');
      this.varint(b.length * 4 + NAME_UTF8);
      this.bytes(b);
      return;
    }
    this.varint(s.length * 4 + form);
    const n = Math.ceil((s.length * 5) / 8);
    this.room(n);
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < s.length; i++) {
      acc = (acc << 5) | (SYMBOL_OF[s.charCodeAt(i)] as number);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        this.buf[this.at++] = (acc >> bits) & 0xff;
        acc &= (1 << bits) - 1;
      }
    }
    if (bits > 0) this.buf[this.at++] = (acc << (8 - bits)) & 0xff;
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
    const n = DIGIT_BYTES[d] as number;
    const digits = readDigits(this.buf, this.at, n, d);
    this.bytes(n);
    return head + digits;
  }

  /** Text written by ByteWriter.headedText; `headOf` names a head id (see name-ids.ts). */
  headedText(headOf: (id: number) => string): string {
    const tag = this.buf[this.at];
    if (tag !== undefined && tag >= HEAD_IN_TAG && tag < NO_HEAD) {
      this.at++;
      const head = headOf(tag - HEAD_IN_TAG);
      return head + this.digitText();
    }
    if (tag === HEAD_ID) {
      this.at++;
      const head = headOf(this.varint());
      return head + this.digitText();
    }
    return this.digitText();
  }

  /** A name written by ByteWriter.name. */
  name(): string {
    const tag = this.varint();
    const form = tag & 3;
    const length = (tag - form) / 4;
    if (form === NAME_UTF8) return this.bytes(length).toString('utf8');
    const bytes = this.bytes(Math.ceil((length * 5) / 8));
    const table = form === NAME_UPPER ? UPPER : LOWER;
    let out = '';
    let acc = 0;
    let bits = 0;
    let at = 0;
    let letterBefore = false;
    for (let i = 0; i < length; i++) {
      if (bits < 5) {
        acc = (acc << 8) | (bytes[at++] as number);
        bits += 8;
      }
      bits -= 5;
      const sym = (acc >> bits) & 31;
      acc &= (1 << bits) - 1;
      const letter = sym >= FIRST_LETTER;
      // Title case: a letter is upper case at the start of a word (after anything but a letter).
      out += form === NAME_TITLE && letter && !letterBefore ? (UPPER[sym] as string) : (table[sym] as string);
      letterBefore = letter;
    }
    return out;
  }
}

/** Forms of a packed name (ByteWriter.name). */
const NAME_UTF8 = 0;
const NAME_UPPER = 1;
const NAME_TITLE = 2;
const NAME_LOWER = 3;
/** The 5-bit symbols: 6 marks, then the 26 letters (FIRST_LETTER on). */
const NAME_MARKS = " .'-,`";
const FIRST_LETTER = NAME_MARKS.length;
const UPPER = [...NAME_MARKS, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const LOWER = [...NAME_MARKS, ...'abcdefghijklmnopqrstuvwxyz'];
/** Symbol of a character code below 128 (either case); -1 when it has none. */
const SYMBOL_OF = new Int8Array(128).fill(-1);
UPPER.forEach((c, i) => {
  SYMBOL_OF[c.charCodeAt(0)] = i;
  SYMBOL_OF[(LOWER[i] as string).charCodeAt(0)] = i;
});

/** The form a name packs in: upper, title or lower case over NAME_SYMBOLS, else UTF-8. */
function nameForm(s: string): number {
  if (s.length === 0) return NAME_UTF8;
  let upper = true;
  let lower = true;
  let title = true;
  let letterBefore = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || SYMBOL_OF[c] === -1) return NAME_UTF8;
    const isUpper = c >= 65 && c <= 90;
    const isLower = c >= 97 && c <= 122;
    if (isUpper) lower = false;
    if (isLower) upper = false;
    if (isUpper || isLower) {
      if (isUpper === letterBefore) title = false;
      letterBefore = true;
    } else letterBefore = false;
  }
  return upper ? NAME_UPPER : title ? NAME_TITLE : lower ? NAME_LOWER : NAME_UTF8;
}

/** How many trailing digits of `s` digitText packs as an integer (at most MAX_DIGITS). */
function trailingDigits(s: string): number {
  let d = 0;
  while (d < MAX_DIGITS && d < s.length) {
    const c = s.charCodeAt(s.length - 1 - d);
    if (c < 48 || c > 57) break;
    d++;
  }
  return d;
}

/** The text before the digits digitText packs as an integer: `DTKS` of `DTKS158051792253`; '' for `0000123` or ''. */
export function digitHead(s: string): string {
  return s.slice(0, s.length - trailingDigits(s));
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/**
 * The decimal digits s[from..] as an n-byte big-endian integer at buf[at..]: long multiplication,
 * 7 digits at a time, so every intermediate is an exact double (a BigInt per ID cost more CPU
 * than the rest of the packing).
 */
export function writeDigits(buf: Buffer, at: number, n: number, s: string, from: number): void {
  buf.fill(0, at, at + n);
  for (let i = from; i < s.length; ) {
    const k = Math.min(7, s.length - i);
    let carry = 0;
    for (let j = 0; j < k; j++) carry = carry * 10 + (s.charCodeAt(i + j) - 48);
    i += k;
    const mul = POW10[k] as number;
    for (let b = at + n - 1; b >= at; b--) {
      const x = (buf[b] as number) * mul + carry;
      buf[b] = x % 256;
      carry = Math.floor(x / 256);
    }
  }
}

/** The n-byte big-endian integer at buf[at..] as d decimal digits (leading zeros kept): long division by 10^7. */
export function readDigits(buf: Buffer, at: number, n: number, d: number): string {
  const v: number[] = [];
  for (let i = 0; i < n; i++) v.push(buf[at + i] as number);
  let out = '';
  for (let left = d; left > 0; left -= 7) {
    let rem = 0;
    for (let i = 0; i < n; i++) {
      const x = rem * 256 + (v[i] as number);
      v[i] = Math.floor(x / 10_000_000);
      rem = x % 10_000_000;
    }
    const k = Math.min(7, left);
    out = String(rem).padStart(k, '0') + out;
  }
  return out;
}

/** Days since 1900-01-01 of a `YYYY-MM-DD` date that two bytes hold and that formats back to itself; else null. */
export function dayNumber(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  const days = daysFromCivil(y, m, d) - DAYS_1900;
  return days <= 0xffff ? days : null;
}

/** The `YYYY-MM-DD` of a day number; each is formatted once per process (at most 65 536 of them). */
export function dateOfDay(days: number): string {
  let s = DATES[days];
  if (s === undefined) s = DATES[days] = new Date(EPOCH_1900 + days * DAY_MS).toISOString().slice(0, 10);
  return s;
}

const DATES: (string | undefined)[] = new Array<string | undefined>(0x10000);

/** The number in s[at..at+n) when it is n ASCII digits, else -1. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms"). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const DAYS_1900 = daysFromCivil(1900, 1, 1);
