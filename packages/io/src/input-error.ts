/**
 * Thrown when an input file cannot be used at all (unreadable, no header, a required column
 * missing, ambiguous columns). Names the file, the row and the rule, never a cell's content.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | null,
    readonly rule: string,
    detail: string,
  ) {
    super(`${file}${row === null ? '' : ` row ${row}`}: ${detail} [rule ${rule}]`);
    this.name = 'InputError';
  }
}
