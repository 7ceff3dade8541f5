/**
 * KafkaBus rewind support against a real broker (KAFKA_BROKERS), used by match to replay its input
 * into a rebuilt Redis state: the assignment seen at each join, and `rewind`, which seeks assigned
 * partitions to their earliest offset and commits it. Own topic and group, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCompletedContract } from '@padan/contracts';
import type { FileCompleted } from '@padan/contracts';
import { connectAdmin, KafkaBus, silentLogger } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { fileAnnouncement, kafkaBrokers } from '../helpers/kafka.js';

let admin: KafkaAdmin;
const topic = `test-${randomUUID()}`;
const group = `test-${randomUUID()}`;


async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  admin = await connectAdmin({ brokers: kafkaBrokers(), clientId: 'padan-test-admin' });
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin?.deleteGroups([group]).catch(() => {});
  await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin?.disconnect();
});

describe('KafkaBus rewind', () => {
  it('replays assigned partitions from their earliest offset, commits that offset, and reports the assignment of every join', async () => {
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'padan-test', contracts: { [topic]: FileCompletedContract }, logger: silentLogger, consumer: { maxWaitTimeInMs: 200 } });
    try {
      for (const partition of [0, 1]) {
        await bus.publish(topic, [1, 2, 3].map((row) => ({ key: `k${partition}-${row}`, partition, value: fileAnnouncement(row) })));
      }
      const got: { partition: number; offset: string }[] = [];
      bus.subscribe<FileCompleted>(topic, group, async (messages) => {
        for (const m of messages) got.push({ partition: m.partition, offset: m.offset });
      });
      const joins: Readonly<Record<string, readonly number[]>>[] = [];
      bus.onAssigned(group, (a) => joins.push(a));
      expect(bus.assigned(group, topic)).toEqual([]);
      await bus.run();
      await waitFor('all 6 messages', () => got.length === 6);
      await waitFor('everything committed', async () => (await bus.lag(group, [topic]))[topic] === 0);
      expect(bus.assigned(group, topic)).toEqual([0, 1]);
      expect(joins.at(-1)).toEqual({ [topic]: [0, 1] });

      // Paused, so that the committed offset can be read before the replay moves it on.
      bus.pause(group, topic);
      const ends = await bus.rewind(group, topic, [0]);
      expect(ends).toEqual(new Map([[0, { low: 0, high: 3 }]]));
      const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(committed[0]?.partitions.find((p) => p.partition === 0)?.offset).toBe('0');
      expect(committed[0]?.partitions.find((p) => p.partition === 1)?.offset).toBe('3');
      expect(await bus.reached(group, { [topic]: ends })).toBe(false);

      bus.resume(group, topic);
      await waitFor('partition 0 replayed', () => got.length === 9);
      await waitFor('the replay caught up', () => bus.reached(group, { [topic]: ends }));
      expect(got.slice(6)).toEqual([0, 1, 2].map((o) => ({ partition: 0, offset: String(o) })));
      await expect(bus.rewind(group, topic, [7])).rejects.toThrow(/no partition 7/);
    } finally {
      await bus.close();
    }
  });
});
