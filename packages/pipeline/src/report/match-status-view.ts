import type { MatchStatus } from '@padan/contracts';

/**
 * The latest status of match's work per period (padan.match-status.v1): the one with the highest
 * `version`, whatever the order the instances' statuses arrive in (see MatchStatus).
 */
export class MatchStatusView {
  private readonly latest = new Map<string, MatchStatus>();

  onStatus(s: MatchStatus): void {
    const seen = this.latest.get(s.period);
    if (!seen || seen.version < s.version) this.latest.set(s.period, s);
  }

  /** Whether match holds program batches of `period` in its state, as far as the statuses read tell. */
  holds(period: string): boolean {
    return this.latest.get(period)?.held ?? false;
  }
}
