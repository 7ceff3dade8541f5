/**
 * Closing a period: once its snapshots are final, the period's evidence (base results, occurrences,
 * families and the rows they counted) serves only late corrections, and it is most of what a
 * period costs in Redis (README, memory). Closing drops it and leaves a mark; the DTKS index stays
 * (it is the release's, and cheaper). A record that arrives later for a closed period must not be
 * reconciled against the missing evidence (a duplicate or a conflict would silently go unseen):
 * the instance that meets it first reopens the period (`reopenPeriods` answers each period to
 * exactly one caller) and asks ingest to publish the period's files again from the raw archive, so
 * the evidence is whole again and every result converges to what a run without the close gives.
 *
 * The mark lives in the state's generation: a rebuilt state (a new generation) replays everything
 * anyway, so it starts with every period open.
 */
export interface PeriodClosing {
  /**
   * Marks the period closed, then drops its evidence. Refused (PeriodNotClosableError) while program
   * batches of the period are held, i.e. its DTKS release is incomplete or a rebuild is replaying:
   * those batches are the only copy the state has. Closing a closed period drops nothing more.
   * Returns how many items were dropped (keys in Redis, entries in memory).
   */
  closePeriod(period: string): Promise<number>;
  /** Of `periods`, those closed, sorted. */
  closedPeriods(periods: readonly string[]): Promise<string[]>;
  /**
   * Reopens those of `periods` that are closed and returns them, sorted: each closed period is
   * returned to exactly one caller, whichever instance asks first, which then owns asking for it.
   */
  reopenPeriods(periods: readonly string[]): Promise<string[]>;
}

/** A period cannot be closed now; the message says why and what to do. */
export class PeriodNotClosableError extends Error {
  constructor(
    readonly period: string,
    reason: string,
  ) {
    super(`period ${period} cannot be closed: ${reason}`);
    this.name = 'PeriodNotClosableError';
  }
}

/** The error closing a period with held program batches gives (one text for every adapter). */
export function heldBatchesError(period: string): PeriodNotClosableError {
  return new PeriodNotClosableError(
    period,
    "program batches of the period are held (its DTKS release is not complete, or match is replaying a rebuild): they exist nowhere else in the state. Complete the period's DTKS release (or wait for the rebuild), then close it",
  );
}
