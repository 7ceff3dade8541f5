/**
 * The text of a dead letter as shown on a terminal: a row that could not be parsed still holds
 * NIKs, No. KKs and birth dates, so digit runs of NIK length keep only their first four and last
 * four digits (`1571********0001`, the masking the findings use) and date-like values become
 * `**-**-****`. Names cannot be told apart from other words; the listing is for the verval team
 * that owns the file, like rejected.jsonl itself.
 */
const SIXTEEN_DIGITS = /(?<!\d)\d{16}(?!\d)/g;
const LONG_DIGITS = /(?<!\d)\d{12,}(?!\d)/g;
const DATE_LIKE = /(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)/g;

export function maskDeadLetterText(text: string, maxChars = 200): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return cut
    .replace(SIXTEEN_DIGITS, (d) => `${d.slice(0, 4)}********${d.slice(12)}`)
    .replace(LONG_DIGITS, (d) => `${d.slice(0, 2)}${'*'.repeat(d.length - 2)}`)
    .replace(DATE_LIKE, '**-**-****');
}
