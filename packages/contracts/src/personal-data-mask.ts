/**
 * Masks the personal data that has a recognisable shape in any text bound for a non-restricted
 * output (logs, metrics, error messages, the excerpt of a dead-lettered message):
 *
 * - digit runs of 15 or more digits, also broken by single spaces, dots or dashes: a NIK or a
 *   No. KK (16 digits), one a digit short or long (typos, Excel), or several run together. The
 *   first and last 4 digits stay (regency and serial, which identify no one), the rest become `*`:
 *   `1571010101900001` → `1571********0001`.
 * - dates: `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY` (any of `-`, `/`, `.`), Excel's `D/M/YY`, and
 *   `02-Jan-1980`/`2 Januari 1980`: every digit becomes `*` (`****-**-**`).
 *
 * Kept readable on purpose, because operators need them and they are never a birth date:
 * `period=YYYY-MM` (a month), `date=YYYY-MM-DD` in snapshot object keys (the snapshot's own date)
 * and ISO timestamps with a time of day other than midnight (`2021-09-30T10:00:00Z`, written by
 * machines; a birth date exported with a time is at 00:00). Names have no shape and cannot be masked here: they are kept out of logs by allow-listing
 * the fields a log line may carry.
 *
 * Cost: linear in the text (each regular expression scans once, with bounded lookaround).
 */

/** 15 or more digits, each after the first optionally preceded by one separator. */
const DIGIT_RUN = /\d(?:[ .\-\u00a0]?\d){14,}/g;

const MONTHS = 'jan|feb|mar|apr|may|mei|jun|jul|aug|agu|agt|sep|oct|okt|nov|dec|des';

/**
 * Date-like values. Group 1 catches what precedes a value so the kept forms can be recognised;
 * the lookarounds keep a date from being cut out of a longer number.
 */
const DATE = new RegExp(
  [
    `\\d{4}([-/.])\\d{1,2}\\1\\d{1,2}(?![\\d*]|T(?!00:00)\\d)`, // YYYY-MM-DD (not a timestamp, unless at midnight: Excel's date cells)
    `\\d{1,2}([-/.])\\d{1,2}\\2\\d{4}(?![\\d*])`, // DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY
    `\\d{1,2}/\\d{1,2}/\\d{2}(?![\\d*])`, // Excel's D/M/YY
    `\\d{1,2}[- ](?:${MONTHS})[a-z]*[- ,]+\\d{2,4}(?![\\d*])`, // 02-Jan-1980, 2 Januari 1980
  ]
    .map((p) => `(?<![\\d*])${p}`)
    .join('|'),
  'gi',
);

/** A date right after `date=` is a snapshot key's own date (`snapshots/period=…/date=…/`). */
const KEPT_DATE_PREFIX = 'date=';

function maskDigitRun(run: string): string {
  const digits = run.replace(/\D/g, '');
  return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
}

export function maskPersonalData(text: string): string {
  const runs = text.replace(DIGIT_RUN, maskDigitRun);
  return runs.replace(DATE, (date: string, ...rest: unknown[]) => {
    // replace's callback gets (match, ...groups, offset, whole): offset is third from the end when no named groups.
    const offset = rest[rest.length - 2] as number;
    if (offset >= KEPT_DATE_PREFIX.length && runs.slice(offset - KEPT_DATE_PREFIX.length, offset) === KEPT_DATE_PREFIX) return date;
    return date.replace(/\d/g, '*');
  });
}

/** True when `maskPersonalData` would change the text. */
export function holdsPersonalData(text: string): boolean {
  return maskPersonalData(text) !== text;
}

/**
 * A bounded, masked excerpt of bytes that may hold anything (a message that failed its contract):
 * at most `maxChars` characters of its UTF-8 text, masked, with the total length said when cut.
 * Masked after cutting so the cost is bounded by `maxChars`, not by the message; a digit run cut
 * at the end is still masked, being at least 15 digits or else too short to be a NIK.
 */
export function maskedExcerpt(bytes: Uint8Array, maxChars = 200): string {
  // Decode at most 4 bytes per character we keep: never the whole (possibly huge) payload.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, maxChars * 4)).toString('utf8');
  const cut = head.length > maxChars || bytes.byteLength > maxChars * 4;
  const text = maskPersonalData(head.slice(0, maxChars)).replace(/\d{1,14}$/, (tail) => (cut ? '*'.repeat(tail.length) : tail));
  return cut ? `${text}… (${bytes.byteLength} bytes in all)` : text;
}
