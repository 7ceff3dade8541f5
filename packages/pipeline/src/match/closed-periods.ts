import type { ArchiveReplayRequest } from '@padan/contracts';
import type { PeriodClosing } from '@padan/match-state';

/** What reopening a closed period needs from the service (Redis, Kafka). */
export interface ReopenPorts {
  readonly state: PeriodClosing;
  /**
   * Takes the claim on reopening `period`, true when held (free, or already this instance's). It
   * expires by itself, so an instance that dies while reopening does not block the period.
   */
  claim(period: string): Promise<boolean>;
  /** Records that the period's input is awaited from the archive (see RedisArchiveAwaited). */
  awaitArchive(periods: readonly string[]): Promise<void>;
  publish(requests: readonly ArchiveReplayRequest[]): Promise<void>;
}

/** Another instance is reopening the period: the chunk is retried once it has. */
export class PeriodBeingReopenedError extends Error {
  constructor(readonly period: string) {
    super(`period ${period} is closed and another match instance is reopening it: chunk left uncommitted, retried`);
    this.name = 'PeriodBeingReopenedError';
  }
}

/**
 * Before a chunk's state work: reopens the closed periods among the chunk's and asks ingest to
 * publish each one's files again from the raw archive (`PERIOD_REOPENED`), so the evidence that
 * closing dropped comes back and every result converges to what a run without the close gives.
 * The chunk itself then runs like any other (its rows come again with the archive and count once).
 *
 * In this order, so that a crash at any step loses nothing: the claim (one instance reopens a
 * period; the others' chunks wait for it by failing and being retried), the period marked as
 * awaiting its archive (match status holds it from then on), the request published, and only then
 * the closed mark removed. An instance that dies before the last step leaves the period closed
 * and its claim expiring: the next chunk asks again (a second replay of the period counts every
 * row once). Returns the periods this call reopened.
 */
export async function reopenClosedPeriods(ports: ReopenPorts, periods: readonly string[], generation: string): Promise<string[]> {
  // The common case is one round trip: nothing closed.
  const closed = await ports.state.closedPeriods(periods);
  const reopened: string[] = [];
  for (const period of closed) {
    if (!(await ports.claim(period))) throw new PeriodBeingReopenedError(period);
    await ports.awaitArchive([period]);
    await ports.publish([{ v: 1, period, generation, reason: 'PERIOD_REOPENED' }]);
    if ((await ports.state.reopenPeriods([period])).length > 0) reopened.push(period);
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
