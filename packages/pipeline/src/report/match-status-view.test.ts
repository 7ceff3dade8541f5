import { describe, expect, it } from 'vitest';
import type { MatchStatus } from '@padan/contracts';
import { MatchStatusView } from './match-status-view.js';

const status = (period: string, version: number, held: boolean): MatchStatus => ({ v: 1, period, version, generation: 'g', held });

describe('MatchStatusView', () => {
  it('a period without a status holds nothing', () => {
    expect(new MatchStatusView().holds('2021-09')).toBe(false);
  });

  it('keeps the highest version per period, whatever the arrival order', () => {
    const view = new MatchStatusView();
    // Instance A held a batch (version 7); instance B, which read the state before A's hold,
    // published "nothing held" with version 6 but its message arrived last.
    view.onStatus(status('2021-09', 7, true));
    view.onStatus(status('2021-09', 6, false));
    expect(view.holds('2021-09')).toBe(true);
    view.onStatus(status('2021-09', 8, false));
    expect(view.holds('2021-09')).toBe(false);
    // Periods are apart.
    view.onStatus(status('2021-10', 1, true));
    expect(view.holds('2021-09')).toBe(false);
    expect(view.holds('2021-10')).toBe(true);
  });
});
