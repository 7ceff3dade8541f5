/**
 * The closed catalogs of codes padan writes: finding reasons (with their details), warnings and
 * dead-letter reasons. README.md documents every code; `reason-codes.test.ts` keeps the two equal.
 */

/** Finding reasons, in precedence order: a record's `outcome` is the first of its reasons here. */
export const REASONS = [
  'INVALID_NIK',
  'NOT_IN_DTKS',
  'DECEASED',
  'NAME_MISMATCH',
  'BIRTHDATE_MISMATCH',
  'REGION_MISMATCH',
  'PROGRAM_CONFLICT',
  'DUPLICATE_IN_PROGRAM',
  'DUPLICATE_IN_DTKS',
] as const;
export type Reason = (typeof REASONS)[number];

export const REASON_DESCRIPTIONS: Readonly<Record<Reason, string>> = {
  INVALID_NIK: 'The NIK is empty, damaged or structurally impossible; the detail says which rule failed.',
  NOT_IN_DTKS: 'A structurally valid NIK that is not in the DTKS release of the period.',
  DECEASED: 'DTKS records the person as deceased.',
  NAME_MISMATCH: 'The NIK is in DTKS, but the name is another person\'s, not a spelling of the same one.',
  BIRTHDATE_MISMATCH: 'The recorded birth date differs from the DTKS birth date.',
  REGION_MISMATCH: 'The regency of the record\'s domicile differs from the regency of the DTKS domicile.',
  PROGRAM_CONFLICT: 'The family receives programs that exclude each other in the period; raised on the excluded program\'s record.',
  DUPLICATE_IN_PROGRAM: 'The same valid NIK appears earlier in the same program and period (by file name, then row).',
  DUPLICATE_IN_DTKS: 'The DTKS release has several rows with this NIK.',
};

/** Details qualify a reason; written as `REASON:DETAIL` in the `details` column. */
export const INVALID_NIK_DETAILS = ['EMPTY', 'EXCEL_SCIENTIFIC', 'LENGTH', 'PROVINCE', 'BIRTHDATE', 'SERIAL'] as const;
export type InvalidNikDetail = (typeof INVALID_NIK_DETAILS)[number];

export const DETAIL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'INVALID_NIK:EMPTY': 'No NIK at all.',
  'INVALID_NIK:EXCEL_SCIENTIFIC': 'Scientific notation such as 1.57101E+15: Excel stored the NIK as a number and lost digits. Re-export the column as text.',
  'INVALID_NIK:LENGTH': 'Not 16 digits after cleaning.',
  'INVALID_NIK:PROVINCE': 'The first two digits are neither a current nor a retired Kemendagri province code.',
  'INVALID_NIK:BIRTHDATE': 'Digits 7–12 are not a date: day 1–31 (men) or 41–71 (women), month 1–12, a real calendar date in some century.',
  'INVALID_NIK:SERIAL': 'The last four digits are 0000, which is never issued.',
  'DUPLICATE_IN_DTKS:SAME_PERSON': 'Every row sharing the NIK names the same person (matching name, same birth date where both have one).',
  'DUPLICATE_IN_DTKS:DIFFERENT_PERSON': 'The rows sharing the NIK name different people.',
  'PROGRAM_CONFLICT:<PROGRAM>': 'The excluding program the family also receives, one detail per program (e.g. PROGRAM_CONFLICT:PKH).',
  'DUPLICATE_IN_PROGRAM:FIRST=<file>#<row>': 'Where the first occurrence of the NIK in the program is.',
};

/** Warnings never make a record a finding; they are counted in the summary. */
export const WARNINGS = [
  'NIK_REGION_UNKNOWN',
  'STATUS_UNKNOWN',
  'BIRTHDATE_UNPARSEABLE',
  'REGION_CODE_INVALID',
  'REGION_CODE_UNKNOWN',
  'NIK_MULTIPLE_IN_DTKS',
] as const;
export type Warning = (typeof WARNINGS)[number];

export const WARNING_DESCRIPTIONS: Readonly<Record<Warning, string>> = {
  NIK_REGION_UNKNOWN: 'The NIK\'s regency or kecamatan code is in neither the current nor the retired list (old NIKs keep codes of regions that have since split).',
  STATUS_UNKNOWN: 'The DTKS status is neither alive (HIDUP, AKTIF) nor deceased (MENINGGAL, MENINGGAL DUNIA, WAFAT, MD); the person is treated as alive.',
  BIRTHDATE_UNPARSEABLE: 'The birth date is not YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY (or an Excel date serial in XLSX), or not a real date; the birth-date check is skipped.',
  REGION_CODE_INVALID: 'The region code is not 10 digits (plain or dotted); the region check is skipped.',
  REGION_CODE_UNKNOWN: 'The region code is 10 digits but not a current Kemendagri village code.',
  NIK_MULTIPLE_IN_DTKS: 'The NIK belongs to several DTKS rows; the record was compared with the row whose name matches.',
};

/** Dead letters: rows that cannot be parsed at all. A bad NIK is a finding, never a dead letter. */
export const REJECT_REASONS = ['RAGGED_ROW', 'UNDECODABLE_TEXT', 'INVALID_JSON', 'NOT_AN_OBJECT', 'LINE_TOO_LONG', 'NESTING_TOO_DEEP'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_DESCRIPTIONS: Readonly<Record<RejectReason, string>> = {
  RAGGED_ROW: 'A CSV row whose cell count differs from the header\'s (a stray delimiter), or the first line of a quoted field not closed within 20 lines (a broken quote; reading resumes on the next line).',
  UNDECODABLE_TEXT: 'The row holds bytes that are not valid UTF-8; re-save the file as UTF-8.',
  INVALID_JSON: 'A JSON Lines line that is not valid JSON.',
  NOT_AN_OBJECT: 'A JSON Lines line that is valid JSON but not an object.',
  LINE_TOO_LONG: 'A CSV or JSON Lines line, or an XLSX row\'s text, longer than the line limit (PADAN_MAX_LINE_BYTES, 1 MiB); skipped unread, reading resumes on the next line.',
  NESTING_TOO_DEEP: 'A JSON Lines line nesting arrays or objects deeper than the limit (PADAN_MAX_JSON_DEPTH, 64).',
};

/**
 * Dead letters for Kafka messages that fail their topic's contract: a producer bug or a foreign
 * writer, never a row of a file. They name the topic, partition and offset, and never block a period.
 */
export const MESSAGE_REJECT_REASONS = ['MESSAGE_NOT_JSON', 'MESSAGE_CONTRACT_VIOLATION', 'MESSAGE_WRONG_CONTRACT', 'MESSAGE_STRAY_FILE'] as const;
export type MessageRejectReason = (typeof MESSAGE_REJECT_REASONS)[number];

export const MESSAGE_REJECT_DESCRIPTIONS: Readonly<Record<MessageRejectReason, string>> = {
  MESSAGE_NOT_JSON: 'A message on a padan topic that is not valid JSON; fix the producer (the message stays on its topic at the offset given).',
  MESSAGE_CONTRACT_VIOLATION: 'A message that is JSON but does not satisfy its topic\'s contract; the detail names the fields; fix the producer.',
  MESSAGE_WRONG_CONTRACT: 'A message whose headers name another contract or version than its topic\'s; it was written by another producer version.',
  MESSAGE_STRAY_FILE: 'Results for a file ingest never announced (a raw batch published by something else): left out of completeness and snapshots; the offset is the file\'s first result; find who published it.',
};

const RANK = new Map<Reason, number>(REASONS.map((r, i) => [r, i]));

/** Orders reasons by precedence; the first is the outcome. */
export function byPrecedence(a: Reason, b: Reason): number {
  return (RANK.get(a) ?? 99) - (RANK.get(b) ?? 99);
}
