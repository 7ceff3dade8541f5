/**
 * Thrown when an .xlsx file cannot be read as a workbook, or breaks a rule or a limit of the
 * reader. `rule` and `row` (a sheet row) are set when the problem is a rule of the reader; the
 * message then says what to do, and the caller adds the file name.
 */
export class XlsxFormatError extends Error {
  override readonly name = 'XlsxFormatError';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown; rule?: string; row?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.rule = options?.rule;
    this.row = options?.row;
  }
  readonly rule: string | undefined;
  readonly row: number | undefined;
}
