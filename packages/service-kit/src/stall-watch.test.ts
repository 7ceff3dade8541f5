import pino from 'pino';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { StallWatch } from './stall-watch.js';

function watch(afterMs: number) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const registry = new Registry();
  const gauge = new Gauge({ name: 'padan_stalled_seconds', help: 'h', labelNames: ['period'], registers: [registry] });
  return { w: new StallWatch(afterMs, gauge, logger, 'check X'), lines, registry };
}

describe('StallWatch (visible stalls)', () => {
  it('reports a period waiting longer than the limit once, in /readyz details and the gauge, and once more when it clears', async () => {
    const { w, lines, registry } = watch(10_000);
    const t0 = Date.parse('2021-09-30T03:00:00Z');
    w.update(new Map([['2021-09', '2 files not accounted for']]), t0);
    w.update(new Map([['2021-09', '2 files not accounted for']]), t0 + 9_999);
    expect(w.details(t0 + 9_999)).toEqual([]);
    expect(lines).toEqual([]);
    w.update(new Map([['2021-09', '1 file not accounted for']]), t0 + 10_000);
    w.update(new Map([['2021-09', '1 file not accounted for']]), t0 + 20_000);
    expect(w.details(t0 + 20_000)).toEqual(['stalled: period 2021-09 waiting 20 s (since 2021-09-30T03:00:00.000Z): 1 file not accounted for; check X']);
    expect(await registry.metrics()).toContain('padan_stalled_seconds{period="2021-09"} 20');
    expect(lines.map((l) => [l['level'], l['period'], l['msg']])).toEqual([[40, '2021-09', 'period stalled: check X']]);
    w.update(new Map(), t0 + 21_000);
    expect(w.details(t0 + 21_000)).toEqual([]);
    expect(await registry.metrics()).not.toContain('period="2021-09"');
    expect(lines.map((l) => l['msg'])).toEqual(['period stalled: check X', 'period no longer stalled']);
  });

  it('a period that clears before the limit is never reported', () => {
    const { w, lines } = watch(10_000);
    w.update(new Map([['2021-09', 'x']]), 0);
    w.update(new Map(), 5_000);
    w.update(new Map([['2021-09', 'x']]), 6_000);
    w.update(new Map([['2021-09', 'x']]), 15_000);
    expect(lines).toEqual([]);
  });
});
