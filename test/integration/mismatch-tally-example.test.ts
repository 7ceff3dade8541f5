/**
 * The dashboard example (examples/mismatch-tally) against a real broker: mismatch events published
 * by padan's own Kafka bus (contract, headers and keys as report writes them), plus messages a
 * consumer must refuse, on a topic of this test; the example's consumer tallies them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_KEYS, MismatchEventContract } from '@padan/contracts';
import type { MismatchEvent, Reason } from '@padan/contracts';
import { connectAdmin, createKafka, KafkaBus } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { startMismatchTally } from '../../examples/mismatch-tally/consumer.mjs';
import { NO_REGENCY, renderTally } from '../../examples/mismatch-tally/tally.mjs';
import { kafkaBrokers } from '../helpers/kafka.js';

let brokers: string[];
let admin: KafkaAdmin;
const topic = `test-mismatches-${randomUUID()}`;
const groups: string[] = [];

beforeAll(async () => {
  brokers = kafkaBrokers();
  admin = await connectAdmin({ brokers, clientId: 'padan-test-admin' });
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  if (!admin) return;
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
});

function event(period: string, program: MismatchEvent['program'], row: number, regency: string | null, reasons: Reason[]): MismatchEvent {
  return {
    v: 1,
    period,
    program,
    file: `${program.toLowerCase()}-${period}.csv`,
    row,
    nikMasked: '1571********0001',
    nikHash: randomUUID().replaceAll('-', '').repeat(2),
    outcome: reasons[0] as Reason,
    reasons,
    details: [],
    regency,
    hasSuggestion: false,
  };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('examples/mismatch-tally on a real broker', () => {
  it('tallies the latest finding of every record per period, regency and reason, and refuses what breaks the contract', async () => {
    const first = [
      event('2021-09', 'PKH', 2, '1571', ['NOT_IN_DTKS']),
      event('2021-09', 'PKH', 3, '1571', ['DECEASED', 'NAME_MISMATCH']),
      event('2021-09', 'BST', 2, '1501', ['PROGRAM_CONFLICT']),
      event('2021-09', 'SEMBAKO', 5, null, ['INVALID_NIK']),
      event('2021-10', 'PKH', 2, '1571', ['BIRTHDATE_MISMATCH']),
    ];
    const [pkh2, , bst2] = first as [MismatchEvent, MismatchEvent, MismatchEvent];
    // Later: the BST record's finding changes (a region mismatch found too), and a restarted report
    // publishes the PKH record's unchanged event again.
    const later = [{ ...bst2, outcome: 'REGION_MISMATCH' as const, reasons: ['REGION_MISMATCH', 'PROGRAM_CONFLICT'] as Reason[] }, pkh2];

    const bus = new KafkaBus({ brokers, clientId: 'padan-test', contracts: { [topic]: MismatchEventContract } });
    const kafka = createKafka({ brokers, clientId: 'padan-test-raw' });
    const raw = kafka.producer();
    await raw.connect();
    try {
      await bus.publish(topic, first.map((e) => ({ key: MESSAGE_KEYS.mismatch(e), value: e })));
      await bus.publish(topic, later.map((e) => ({ key: MESSAGE_KEYS.mismatch(e), value: e })));
      // What a consumer must refuse: not JSON, a JSON value breaking the contract (an unknown
      // reason code), and a message headed with another contract version.
      const headers = { 'padan-contract': 'mismatch-event', 'padan-version': '1' };
      await raw.send({
        topic,
        messages: [
          { key: 'x', value: 'not json', headers },
          { key: 'y', value: JSON.stringify({ ...pkh2, outcome: 'NEW_REASON', reasons: ['NEW_REASON'] }), headers },
          { key: 'z', value: JSON.stringify(pkh2), headers: { ...headers, 'padan-version': '2' } },
        ],
      });
    } finally {
      await raw.disconnect();
      await bus.close();
    }

    const refused: string[] = [];
    const { tally, groupId, stop } = await startMismatchTally({ brokers, topic, log: (line) => refused.push(line) });
    groups.push(groupId);
    try {
      await waitFor('every message tallied', () => tally.events === first.length + later.length && tally.invalid === 3);
    } finally {
      await stop();
    }

    expect(tally.records).toBe(5);
    expect(tally.periods()).toEqual(['2021-09', '2021-10']);
    const sep = tally.period('2021-09');
    expect(sep?.flagged).toBe(4);
    const regencies = Object.fromEntries([...(sep?.byRegency ?? [])].map(([r, c]) => [r, { flagged: c.flagged, ...Object.fromEntries(c.byOutcome) }]));
    expect(regencies).toEqual({
      '1571': { flagged: 2, NOT_IN_DTKS: 1, DECEASED: 1 },
      '1501': { flagged: 1, REGION_MISMATCH: 1 },
      [NO_REGENCY]: { flagged: 1, INVALID_NIK: 1 },
    });
    expect(Object.fromEntries(sep?.byReason ?? [])).toEqual({ NOT_IN_DTKS: 1, DECEASED: 1, NAME_MISMATCH: 1, REGION_MISMATCH: 1, PROGRAM_CONFLICT: 1, INVALID_NIK: 1 });
    expect(tally.period('2021-10')?.flagged).toBe(1);
    expect(renderTally(tally)).toContain('period 2021-09: 4 flagged records');

    // Refusals name where the message is and why, never its content.
    expect(refused).toHaveLength(3);
    expect(refused.join('\n')).toMatch(/not JSON/);
    expect(refused.join('\n')).toMatch(/\/outcome enum/);
    expect(refused.join('\n')).toMatch(/expected mismatch-event v1/);
    expect(refused.join('\n')).not.toContain(pkh2.nikHash);
  });
});
