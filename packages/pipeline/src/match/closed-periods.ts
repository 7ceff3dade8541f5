import type { ArchiveReplayRequest } from '@padan/contracts';
import type { PeriodClosing } from '@padan/match-state';

/**
 * Before a chunk's state work: reopens the closed periods among the chunk's and asks ingest to
 * publish each one's files again from the raw archive (`PERIOD_REOPENED`), so the evidence that
 * closing dropped comes back and every result converges to what a run without the close gives.
 * The chunk itself then runs like any other (its rows come again with the archive and count once).
 *
 * One instance reopens each period (PeriodClosing.reopenPeriods), so the period is asked for once.
 * When the request cannot be published, the periods are closed again before the error is thrown:
 * the chunk is left uncommitted and its retry reopens them and asks again, instead of leaving an
 * open period with no evidence that nobody asked for.
 */
export async function reopenClosedPeriods(
  state: PeriodClosing,
  periods: readonly string[],
  generation: string,
  publish: (requests: readonly ArchiveReplayRequest[]) => Promise<void>,
): Promise<string[]> {
  // The common case is one round trip: nothing closed.
  if ((await state.closedPeriods(periods)).length === 0) return [];
  const reopened = await state.reopenPeriods(periods);
  if (reopened.length === 0) return [];
  try {
    await publish(reopened.map((period) => ({ v: 1, period, generation, reason: 'PERIOD_REOPENED' })));
  } catch (e) {
    for (const period of reopened) await state.closePeriod(period).catch(() => {});
    throw e;
  }
  return reopened;
}

/** Thrown before publishing when a period of the chunk was closed while the chunk ran. */
export class PeriodClosedDuringChunkError extends Error {
  constructor(readonly periods: readonly string[]) {
    super(`${periods.length} period(s) closed while the chunk ran: its results are not published and the chunk is retried, which reopens the period`);
    this.name = 'PeriodClosedDuringChunkError';
  }
}

/**
 * After a chunk's state work, before publishing: a period closed meanwhile (its evidence being
 * deleted under the chunk) makes the chunk's results unreliable, so none is published; the retry
 * reopens the period (reopenClosedPeriods).
 */
export async function ensureNotClosed(state: PeriodClosing, periods: readonly string[]): Promise<void> {
  const closed = await state.closedPeriods(periods);
  if (closed.length > 0) throw new PeriodClosedDuringChunkError(closed);
}
