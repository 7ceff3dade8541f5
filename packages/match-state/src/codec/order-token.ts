import type { Source } from '@padan/contracts';

/**
 * A program record's place as a short ASCII string whose byte order is compareByFileRow's order
 * of (file, row), and from which file and row are read back: the evidence stores one per
 * occurrence and family member, and Lua compares them byte by byte (less.lua).
 *
 * Each UTF-16 code unit c of the file (JS compares strings by code unit) is one byte c + 1 when
 * c < 0x7E, else 0x7F and c in 4 hex digits (fixed width, so byte order is code unit order); then
 * 0x00, below every unit's byte, so a file name sorts before its extensions; then the row in 6
 * base-64 digits from `0` (0x30) up (fixed width, ordered, up to 2^36). `pbi-2021-09.csv` row
 * 123456 takes 22 bytes, where a token of hex code units and a 10-digit row took 71.
 * Tokens are self-delimiting (the file ends at 0x00, the row is 6 bytes), so they are concatenated
 * without separators, and no file name can split them.
 */
const END = '\u0000';
const WIDE = '\u007f';
const ROW_DIGITS = 6;
const ROW_BASE = 64;
const ZERO = 0x30;

export function orderToken(file: string, row: number): string {
  if (!Number.isInteger(row) || row < 0 || row >= ROW_BASE ** ROW_DIGITS) throw new Error(`order token: row ${row} is not an integer from 0 to 2^36-1`);
  let out = '';
  for (let i = 0; i < file.length; i++) {
    const c = file.charCodeAt(i);
    out += c < 0x7e ? String.fromCharCode(c + 1) : WIDE + c.toString(16).padStart(4, '0');
  }
  out += END;
  let digits = '';
  for (let n = row, i = 0; i < ROW_DIGITS; i++, n = Math.floor(n / ROW_BASE)) digits = String.fromCharCode(ZERO + (n % ROW_BASE)) + digits;
  return out + digits;
}

/** Reads one token from `s` at `at`: its file, row, and where the next token starts. */
export function readOrderToken(s: string, at = 0): { file: string; row: number; next: number } {
  let file = '';
  let i = at;
  for (;;) {
    if (i >= s.length) throw new Error('order token: no end of file name (the state is inconsistent: rebuild it)');
    const ch = s[i] as string;
    if (ch === END) break;
    if (ch === WIDE) {
      file += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 5;
    } else {
      file += String.fromCharCode(ch.charCodeAt(0) - 1);
      i++;
    }
  }
  let row = 0;
  for (let k = i + 1; k < i + 1 + ROW_DIGITS; k++) row = row * ROW_BASE + (s.charCodeAt(k) - ZERO);
  return { file, row, next: i + 1 + ROW_DIGITS };
}

/**
 * One character per source, the prefix of a family member's token (`program code + order token`,
 * self-delimiting too). A Record over Source, so a new source cannot be left without a code.
 */
const PROGRAM_CODE: Readonly<Record<Source, string>> = { DTKS: 'D', PKH: 'K', SEMBAKO: 'S', BST: 'B', PBI: 'I' };
const PROGRAM_OF = new Map<string, Source>(Object.entries(PROGRAM_CODE).map(([s, c]) => [c, s as Source]));

export function programCode(program: Source): string {
  return PROGRAM_CODE[program];
}

export function programOfCode(code: string): Source {
  const p = PROGRAM_OF.get(code);
  if (p === undefined) throw new Error(`order token: unknown program code ${JSON.stringify(code)} (the state is inconsistent: rebuild it)`);
  return p;
}
