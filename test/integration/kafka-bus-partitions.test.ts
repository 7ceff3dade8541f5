/**
 * KafkaBus and partitions added to a topic while its group consumes it: kafkajs never rebalances on
 * that by itself, so the bus checks the counts (`partitionWatchMs`) and rejoins. Two members of one
 * group, in this process, keep running (no restart): after the topic grows from 2 to 4 partitions,
 * every partition is assigned to one of them and messages published to the new ones are consumed.
 * Own topic and group, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCompletedContract } from '@padan/contracts';
import type { FileCompleted } from '@padan/contracts';
import { connectAdmin, KafkaBus, silentLogger } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { waitFor } from '../helpers/faults-stack.js';
import { fileAnnouncement, kafkaBrokers } from '../helpers/kafka.js';

let admin: KafkaAdmin;
const topic = `test-${randomUUID()}`;
const group = `test-${randomUUID()}`;
const produced = `test-${randomUUID()}`;



beforeAll(async () => {
  admin = await connectAdmin({ brokers: kafkaBrokers(), clientId: 'padan-test-admin' });
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }, { topic: produced, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin?.deleteGroups([group]).catch(() => {});
  await admin?.deleteTopics({ topics: [topic, produced] }).catch(() => {});
  await admin?.disconnect();
});

describe('KafkaBus when a consumed topic gains partitions', () => {
  it('rejoins its group without a restart, so the new partitions are assigned and consumed', async () => {
    const got = new Map<number, number>();
    const members = [0, 1].map(
      () =>
        new KafkaBus({
          brokers: kafkaBrokers(),
          clientId: 'padan-test',
          contracts: { [topic]: FileCompletedContract },
          logger: silentLogger,
          consumer: { maxWaitTimeInMs: 200 },
          partitionWatchMs: 300,
        }),
    );
    try {
      for (const bus of members) {
        bus.subscribe<FileCompleted>(topic, group, async (messages) => {
          for (const m of messages) got.set(m.partition, (got.get(m.partition) ?? 0) + 1);
        });
      }
      await Promise.all(members.map((b) => b.run()));
      const producer = members[0]!;
      for (const partition of [0, 1]) await producer.publish(topic, [{ key: `k${partition}`, partition, value: fileAnnouncement(1) }]);
      await waitFor('the messages of partitions 0 and 1', () => got.get(0) === 1 && got.get(1) === 1, 90_000, 100);

      await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] });
      const assignedAll = () => members.flatMap((b) => b.assigned(group, topic)).sort((a, b) => a - b);
      await waitFor('all 4 partitions assigned to the running members', () => assignedAll().join() === '0,1,2,3', 90_000, 100);
      // The producer side: the bus's partition count follows the topic too.
      await waitFor('the bus to see 4 partitions', async () => (await producer.partitions(topic)) === 4, 90_000, 100);
      for (const partition of [2, 3]) await producer.publish(topic, [{ key: `k${partition}`, partition, value: fileAnnouncement(2) }]);
      await waitFor('the messages of the new partitions 2 and 3', () => got.get(2) === 1 && got.get(3) === 1, 90_000, 100);
      // Nothing consumed twice by the rejoin (it commits before it leaves).
      expect([...got.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, 1], [1, 1], [2, 1], [3, 1]]);
      // Each member kept a share: the rejoin spread the partitions, it did not hand them all to one.
      for (const b of members) expect(b.assigned(group, topic).length).toBe(2);
    } finally {
      await Promise.all(members.map((b) => b.close()));
    }
  });

  it('follows a topic it only produces to within one check, not when its 30 s cache of the count expires', async () => {
    // normalize routes by NIK hash over `partitions(normalized)`: the records of a file that arrives
    // after the growth must use the new partitions (test/integration/scale-out.test.ts).
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'padan-test', contracts: { [topic]: FileCompletedContract }, logger: silentLogger, consumer: { maxWaitTimeInMs: 200 }, partitionWatchMs: 300 });
    try {
      bus.subscribe<FileCompleted>(topic, `${group}-producer`, async () => {});
      await bus.run();
      expect(await bus.partitions(produced)).toBe(2);
      await admin.createPartitions({ topicPartitions: [{ topic: produced, count: 3 }] });
      await waitFor('the bus to see 3 partitions of the topic it produces to', async () => (await bus.partitions(produced)) === 3, 15_000, 100);
    } finally {
      await bus.close();
      await admin.deleteGroups([`${group}-producer`]).catch(() => {});
    }
  });
});
