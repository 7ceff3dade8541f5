import { describe, expect, it } from 'vitest';
import { TOPICS } from '@padan/contracts';
import { busHooks } from './kafka-stage.js';
import { createLogger } from './logger.js';
import { StageMetrics } from './metrics.js';

describe('busHooks', () => {
  it('regression: an invalid message was logged a second time here; now it is counted only (the bus logs it once) and dead-lettered on padan.rejected.v1', async () => {
    const lines: string[] = [];
    const metrics = new StageMetrics('test');
    const hooks = busHooks(createLogger('test', 'debug', { write: (s: string) => void lines.push(s) }), metrics);
    hooks.onInvalid({ topic: TOPICS.raw, group: 'g', partition: 1, offset: '7', reason: 'json' } as Parameters<typeof hooks.onInvalid>[0]);
    expect(lines).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('padan_invalid_messages_total')).toMatch(/padan_invalid_messages_total\{topic="padan\.raw\.v1",service="test"\} 1/);
    expect(hooks.deadLetterTopic).toBe(TOPICS.rejected);
  });

  it('the bus\'s log fields go through the allow-list and the masks', () => {
    const lines: string[] = [];
    const hooks = busHooks(createLogger('test', 'debug', { write: (s: string) => void lines.push(s) }), new StageMetrics('test'));
    hooks.logger.error({ topic: 't', offset: '3', value: '1571010101900001', error: 'bad 1571010101900001' }, 'failed');
    expect(JSON.parse(lines[0]!)).toMatchObject({ topic: 't', offset: '3', value: '[field not allowed]', error: 'bad 1571********0001' });
  });
});
