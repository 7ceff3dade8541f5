import { describe, expect, it } from 'vitest';
import type { BusMessage } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import type { WireCodec } from './in-process-bus.js';

/** A wire encoding that accepts objects with a numeric `n` and rejects anything else. */
const codec: WireCodec = {
  encode: (value: never) => {
    const v = value as { n?: unknown };
    if (typeof v.n !== 'number') throw new Error('contract: n must be a number');
    return Buffer.from(JSON.stringify(v));
  },
  decode: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as unknown,
};

describe('InProcessBus with contracts (tests, PADAN_VALIDATE=1)', () => {
  it('delivers what a Kafka consumer would get: the value after its wire encoding', async () => {
    const bus = new InProcessBus({ contracts: { t: codec } });
    const got: BusMessage<{ n: number }>[] = [];
    bus.subscribe<{ n: number }>('t', 'g', async (m) => {
      for (const x of m) got.push(x);
    });
    const sent = { n: 1, skipped: undefined };
    await bus.publish('t', [{ key: 'k', value: sent }]);
    expect(got).toEqual([{ key: 'k', value: { n: 1 } }]);
    expect(got[0]?.value).not.toBe(sent);
  });

  it('fails the publish of a message that breaks its contract, and refuses a topic without one', async () => {
    const bus = new InProcessBus({ contracts: { t: codec } });
    await expect(bus.publish('t', [{ key: 'k', value: { n: 'one' } }])).rejects.toThrow(/n must be a number/);
    await expect(bus.publish('other', [{ key: 'k', value: { n: 1 } }])).rejects.toThrow(/no contract for topic other/);
  });

  it('without contracts passes values through untouched (the embedded hot path)', async () => {
    const bus = new InProcessBus();
    const sent = { n: 'not checked' };
    let got: unknown;
    bus.subscribe('t', 'g', async (m) => {
      got = m[0]?.value;
    });
    await bus.publish('t', [{ key: 'k', value: sent }]);
    expect(got).toBe(sent);
  });
});
