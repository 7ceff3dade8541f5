/**
 * A guardrail: a check a careful engineer runs before trusting a reconciliation (the inputs are the
 * period's, each file is what its role says, the result is plausible against last month). A finding
 * is a warning; `--strict` makes it an error, the way a failing dbt or Soda check stops a pipeline.
 * Messages name files, columns and counts, never a NIK, a name or a birth date.
 */
export type GuardrailCheck = 'PERIOD_IN_FILE_NAME' | 'DTKS_LOOKS_LIKE_PROGRAM' | 'PROGRAM_LOOKS_LIKE_DTKS' | 'NOT_IN_DTKS_SHARE' | 'NOT_IN_DTKS_JUMP';

export interface GuardrailWarning {
  readonly check: GuardrailCheck;
  /** `DTKS` or the program (`PKH`, ...) the file was given as. */
  readonly source: string;
  /** The file's base name, when the warning is about one file. */
  readonly file: string | null;
  /** What looks wrong and what to check, without the file name (the caller puts it first). */
  readonly message: string;
}
