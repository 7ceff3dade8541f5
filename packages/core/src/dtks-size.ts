/**
 * A DTKS release too small for its period: with no rows, or far fewer rows than the programs list,
 * nearly every recipient would come out NOT_IN_DTKS, a false finding on a whole province (a
 * header-only export, the wrong sheet, a truncated copy). Program lists are drawn from DTKS, so
 * even a regency's list is a small share of its release; 1 % leaves room for every real case.
 */
export const DTKS_MIN_SHARE_PERCENT = 1;

export interface DtksSizeVerdict {
  readonly tooSmall: boolean;
  /** The fewest DTKS rows accepted for these program rows. */
  readonly minimum: number;
}

/** `dtksRows`: the rows of the release that reached the index; `programRows`: every program row of the period. */
export function checkDtksSize(dtksRows: number, programRows: number): DtksSizeVerdict {
  const minimum = Math.max(1, Math.ceil((programRows * DTKS_MIN_SHARE_PERCENT) / 100));
  return { tooSmall: dtksRows < minimum, minimum };
}

/** The rule, stated for an error message (no file name: the caller adds it). */
export function dtksTooSmallDetail(dtksRows: number, programRows: number, flag: string): string {
  const { minimum } = checkDtksSize(dtksRows, programRows);
  return (
    `the DTKS release has ${dtksRows} usable rows for ${programRows} program rows in the period; ` +
    `a release needs at least ${DTKS_MIN_SHARE_PERCENT} % of the program rows (${minimum}), else nearly every recipient would be flagged NOT_IN_DTKS. ` +
    `Check that this is the whole release (not a header-only export or the wrong sheet), or pass ${flag} if it is`
  );
}
