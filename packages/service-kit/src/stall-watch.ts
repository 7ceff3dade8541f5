import type { Logger } from './logger.js';
import type { Gauge } from 'prom-client';

/**
 * Makes a stall visible: a period whose rows stay held (match) or unaccounted for (report) longer
 * than `afterMs` is logged once when it becomes stalled and once when it clears, exported on
 * `padan_stalled_seconds{period}`, and described by `details()` for `/readyz`. Waiting is normal
 * (match holds program rows until the DTKS release is complete); waiting for ever is not.
 */
export class StallWatch {
  private readonly since = new Map<string, number>();
  private readonly what = new Map<string, string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly afterMs: number,
    private readonly gauge: Gauge<'period'>,
    private readonly logger: Logger,
    /** Says what to check, appended to the log line and the detail. */
    private readonly hint: string,
  ) {}

  /**
   * `pending`: every period that has rows waiting now, with what waits (counts and file names,
   * never personal data). Periods not in it are no longer waiting.
   */
  update(pending: ReadonlyMap<string, string>, now: number = Date.now()): void {
    for (const period of [...this.since.keys()]) {
      if (pending.has(period)) continue;
      if (this.reported.has(period)) this.logger.info({ period, stalledSeconds: Math.round((now - (this.since.get(period) as number)) / 1000) }, 'period no longer stalled');
      this.since.delete(period);
      this.what.delete(period);
      this.reported.delete(period);
      this.gauge.remove(period);
    }
    for (const [period, what] of pending) {
      const since = this.since.get(period) ?? now;
      this.since.set(period, since);
      this.what.set(period, what);
      const age = now - since;
      if (age < this.afterMs) continue;
      this.gauge.labels(period).set(Math.round(age / 1000));
      if (!this.reported.has(period)) {
        this.reported.add(period);
        this.logger.warn({ period, stalledSeconds: Math.round(age / 1000), pending: what }, `period stalled: ${this.hint}`);
      }
    }
  }

  /** One line per stalled period, for `/readyz`. */
  details(now: number = Date.now()): string[] {
    const out: string[] = [];
    for (const period of this.reported) {
      const since = this.since.get(period) as number;
      out.push(`stalled: period ${period} waiting ${Math.round((now - since) / 1000)} s (since ${new Date(since).toISOString()}): ${this.what.get(period)}; ${this.hint}`);
    }
    return out;
  }
}
