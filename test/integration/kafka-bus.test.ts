/**
 * The Kafka transport against a real broker (KAFKA_BROKERS; see test/helpers/kafka.ts).
 * Every test uses its own topics and groups, named test-<uuid>, and deletes its topics afterwards.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractViolation, FileCompletedContract, RawBatchContract } from '@padan/contracts';
import type { FileCompleted, RawBatch } from '@padan/contracts';
import { applyTopics, connectAdmin, createKafka, KafkaBus, loadTopicCatalog, parseTopicCatalog, partitionFor } from '@padan/kafka';
import type { AnyContract, InvalidEvent, KafkaAdmin, KafkaBusOptions, KafkaMessage, Logger } from '@padan/kafka';
import { kafkaBrokers } from '../helpers/kafka.js';

const CATALOG = fileURLToPath(new URL('../../infra/topics.json', import.meta.url));

/** Collects every log line, to check that no key or value ever reaches the logs. */
class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  info(obj: object, msg: string): void {
    this.lines.push(JSON.stringify({ level: 'info', ...obj, msg }));
  }
  warn(obj: object, msg: string): void {
    this.lines.push(JSON.stringify({ level: 'warn', ...obj, msg }));
  }
  error(obj: object, msg: string): void {
    this.lines.push(JSON.stringify({ level: 'error', ...obj, msg }));
  }
  text(): string {
    return this.lines.join('\n');
  }
}

let brokers: string[];
let admin: KafkaAdmin;
const topicsToDelete = new Set<string>();
const buses: KafkaBus[] = [];

beforeAll(async () => {
  brokers = kafkaBrokers();
  admin = await connectAdmin({ brokers, clientId: 'padan-test-admin' });
});

afterEach(async () => {
  await Promise.allSettled(buses.splice(0).map((b) => b.close()));
});

afterAll(async () => {
  if (admin) {
    if (groupsToDelete.size > 0) await admin.deleteGroups([...groupsToDelete]).catch(() => {});
    if (topicsToDelete.size > 0) await admin.deleteTopics({ topics: [...topicsToDelete] }).catch(() => {});
    await admin.disconnect();
  }
});

const groupsToDelete = new Set<string>();
const uid = () => `test-${randomUUID()}`;
const newGroup = () => {
  const g = uid();
  groupsToDelete.add(g);
  return g;
};

async function createTopic(partitions = 3): Promise<string> {
  const topic = uid();
  topicsToDelete.add(topic);
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  return topic;
}

function newBus(contracts: Record<string, AnyContract>, extra: Partial<KafkaBusOptions> = {}): KafkaBus {
  const bus = new KafkaBus({ brokers, clientId: 'padan-test', contracts, consumer: { maxWaitTimeInMs: 200 }, ...extra });
  buses.push(bus);
  return bus;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Committed offset per partition of `group` on `topic` (-1 where none). */
async function committed(group: string, topic: string): Promise<Map<number, number>> {
  const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return new Map((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

async function endOffsets(topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

const NIK = (i: number) => `1571${String(100000000000 + i).slice(-12)}`;

function rawBatch(i: number, rows = 3): RawBatch {
  return {
    v: 1,
    period: '2021-09',
    source: 'PKH',
    file: 'pkh-jambi.csv',
    runId: 'run-0001',
    format: 'csv',
    fields: ['nik', 'nama'],
    rows: Array.from({ length: rows }, (_, r) => [i * rows + r + 1, [NIK(i * rows + r), `SITI AMINAH ${i}`]] as [number, string[]]),
  };
}

function fileCompleted(file: string): FileCompleted {
  return {
    v: 1,
    period: '2021-09',
    source: 'DTKS',
    file,
    runId: 'run-0001',
    format: 'csv',
    sha256: 'a'.repeat(64),
    bytes: 10,
    fields: ['nik', 'nama'],
    headerRow: 1,
    rowsRead: 3,
    rowsEmitted: 3,
    rowsRejected: 0,
  };
}

describe('KafkaBus on a real broker', () => {
  it('round trip: values validated both ways, padan headers, key routing, several topics in one group, invalid messages skipped and committed past', async () => {
    const raw = await createTopic(3);
    const files = await createTopic(1);
    const group = newGroup();
    const logger = new CapturingLogger();
    const invalid: InvalidEvent[] = [];
    const batches: { topic: string; messages: number }[] = [];
    const bus = newBus({ [raw]: RawBatchContract, [files]: FileCompletedContract }, { logger, onInvalid: (e) => invalid.push(e), onBatch: (e) => batches.push(e) });

    // Producing an invalid value throws the contract's error and sends nothing, not even the valid ones.
    const bad = { ...rawBatch(0), period: '2021-13' } as RawBatch;
    await expect(bus.publish(raw, [{ key: 'k', value: rawBatch(0) }, { key: 'k', value: bad }])).rejects.toThrow(ContractViolation);
    await expect(bus.publish('no-such-contract', [{ key: 'k', value: 1 }])).rejects.toThrow(/no contract for topic/);
    // A topic that does not exist fails at once with the fix, instead of after the producer's retries.
    const missing = uid();
    const bus0 = newBus({ [missing]: RawBatchContract });
    await expect(bus0.publish(missing, [{ key: 'k', value: rawBatch(0) }])).rejects.toThrow(/does not exist: apply the topic catalog/);
    expect([...(await endOffsets(raw)).values()].reduce((a, b) => a + b, 0)).toBe(0);

    // A foreign writer puts garbage on the topic (its own partition 0): bad JSON, a contract violation, a
    // message claiming another contract, a tombstone.
    const foreign = createKafka({ brokers, clientId: 'padan-test-foreign', logger }).producer();
    await foreign.connect();
    await foreign.send({
      topic: raw,
      messages: [
        { partition: 0, key: NIK(999), value: `{"nik":"${NIK(999)}"` },
        { partition: 0, key: NIK(998), value: JSON.stringify({ ...rawBatch(998), v: 2 }) },
        { partition: 0, key: NIK(997), value: JSON.stringify(rawBatch(997)), headers: { 'padan-contract': 'raw-batch', 'padan-version': '2' } },
        { partition: 0, key: NIK(996), value: null },
      ],
    });
    await foreign.disconnect();

    const sent = Array.from({ length: 30 }, (_, i) => ({ key: NIK(i * 3), value: rawBatch(i) }));
    await bus.publish(raw, sent);
    await bus.publish(files, [{ key: '2021-09/DTKS/dtks.csv', value: fileCompleted('dtks.csv') }]);

    const got: KafkaMessage<RawBatch>[] = [];
    const gotFiles: KafkaMessage<FileCompleted>[] = [];
    bus.subscribe<RawBatch>(raw, group, async (m) => void got.push(...m));
    bus.subscribe<FileCompleted>(files, group, async (m) => void gotFiles.push(...m));
    await bus.run();
    await waitFor('30 raw batches and 1 file announcement', () => got.length >= 30 && gotFiles.length >= 1);
    await waitFor('4 invalid messages', () => invalid.length >= 4);

    expect(got.map((m) => m.value).sort((a, b) => a.rows[0]![0] - b.rows[0]![0])).toEqual(sent.map((s) => s.value));
    for (const m of got) {
      expect(m.topic).toBe(raw);
      expect(m.partition).toBe(partitionFor(m.key, 3));
      expect(m.headers).toEqual({
        'padan-contract': 'raw-batch',
        'padan-version': '1',
        'padan-period': '2021-09',
        'padan-source': 'PKH',
        'padan-file': 'pkh-jambi.csv',
        'padan-run-id': 'run-0001',
      });
      // No NIK in headers.
      expect(Object.values(m.headers).join(' ')).not.toMatch(/\d{16}/);
    }
    expect(gotFiles[0]!.value).toEqual(fileCompleted('dtks.csv'));
    expect(gotFiles[0]!.headers['padan-contract']).toBe('file-completed');
    expect(gotFiles[0]!.headers['padan-source']).toBe('DTKS');

    expect(invalid.map((e) => [e.partition, e.offset, e.reason])).toEqual([
      [0, '0', 'json'],
      [0, '1', 'contract'],
      [0, '2', 'header-mismatch'],
      [0, '3', 'tombstone'],
    ]);

    // Everything, the skipped messages included, is committed: the group's lag is 0.
    await waitFor('lag 0', async () => {
      const lag = await bus.lag(group);
      return lag[raw] === 0 && lag[files] === 0;
    });
    expect(await committed(group, raw)).toEqual(await endOffsets(raw));

    // Logs name topics, partitions and offsets, never a key or a value.
    const log = logger.text();
    expect(log).toContain('"offset":"1"');
    expect(log).not.toMatch(/1571\d{12}/);
    expect(log).not.toContain('SITI');
  });

  it('commits a batch only after its handler resolved: a failing handler gets the same messages again', async () => {
    const topic = await createTopic(1);
    const group = newGroup();
    const bus = newBus({ [topic]: RawBatchContract }, { logger: new CapturingLogger() });
    await bus.publish(
      topic,
      Array.from({ length: 12 }, (_, i) => ({ key: NIK(i), value: rawBatch(i) })),
    );
    const calls: string[][] = [];
    const committedDuringHandler: number[] = [];
    let failures = 0;
    bus.subscribe<RawBatch>(topic, group, async (messages) => {
      calls.push(messages.map((m) => m.offset));
      committedDuringHandler.push((await committed(group, topic)).get(0) ?? -1);
      if (failures++ === 0) throw new Error('transient failure');
    });
    await bus.run();
    await waitFor('all 12 messages handled after the failure', () => committedDuringHandler.length >= 2 && new Set(calls.slice(1).flat()).size === 12);

    // The first call failed: nothing was committed, and its messages came again from the same offset.
    expect(calls[0]![0]).toBe('0');
    expect(calls[1]![0]).toBe('0');
    expect(calls[1]).toEqual(expect.arrayContaining(calls[0]!));
    expect(committedDuringHandler[0]).toBe(-1);
    expect(committedDuringHandler[1]).toBe(-1); // the retry is being handled: still not committed
    await waitFor('commit at the end', async () => (await committed(group, topic)).get(0) === 12);
    expect(await bus.lag(group)).toEqual({ [topic]: 0 });
  });

  it('a handler that throws a TypeError does not stop the consumer (kafkajs gives up on those): the batch comes again', async () => {
    const topic = await createTopic(1);
    const group = newGroup();
    const crashes: boolean[] = [];
    const bus = newBus({ [topic]: RawBatchContract }, { logger: new CapturingLogger(), onCrash: (e) => crashes.push(e.restart) });
    await bus.publish(topic, [{ key: 'a', value: rawBatch(1) }]);
    const seen: string[] = [];
    bus.subscribe<RawBatch>(topic, group, async (messages) => {
      seen.push(...messages.map((m) => m.offset));
      if (seen.length === 1) (undefined as unknown as { f(): void }).f();
    });
    await bus.run();
    await waitFor('the message twice', () => seen.length >= 2);
    expect(seen).toEqual(['0', '0']);
    await waitFor('commit', async () => (await committed(group, topic)).get(0) === 1);
    expect(crashes.every((restart) => restart)).toBe(true);
  });

  it('splits a large publish into produce requests under the broker\'s 1 MiB max.message.bytes (kafkajs would send one record batch and get MESSAGE_TOO_LARGE)', async () => {
    const topic = await createTopic(1); // broker default max.message.bytes (1 MiB)
    const group = newGroup();
    const bus = newBus({ [topic]: RawBatchContract });
    const big = Array.from({ length: 12 }, (_, i) => ({ key: 'same-key', value: rawBatch(i, 4000) }));
    expect(RawBatchContract.encode(big[0]!.value).length).toBeGreaterThan(170_000);
    await bus.publish(topic, big); // over 2 MB to one partition
    const got: number[] = [];
    bus.subscribe<RawBatch>(topic, group, async (m) => void got.push(...m.map((x) => x.value.rows[0]![0])));
    await bus.run();
    await waitFor('12 big messages', () => got.length >= 12);
    expect(got).toEqual(big.map((b) => b.value.rows[0]![0])); // in publish order
  });

  it('routes to an explicit partition, whatever the key', async () => {
    const topic = await createTopic(3);
    const group = newGroup();
    const bus = newBus({ [topic]: RawBatchContract });
    expect(await bus.partitions(topic)).toBe(3);
    // Keys whose own hash partition is not 2.
    const keys = Array.from({ length: 200 }, (_, i) => NIK(i)).filter((k) => partitionFor(k, 3) !== 2).slice(0, 10);
    await bus.publish(topic, keys.map((key, i) => ({ key, value: rawBatch(i), partition: 2 })));
    // A batch routed by partitionFor lands where the key alone would send a message.
    const k = NIK(4242);
    await bus.publish(topic, [{ key: `batch-of-${k}`, value: rawBatch(50), partition: partitionFor(k, 3) }, { key: k, value: rawBatch(51) }]);

    const got: KafkaMessage<RawBatch>[] = [];
    bus.subscribe<RawBatch>(topic, group, async (m) => void got.push(...m));
    await bus.run();
    await waitFor('12 messages', () => got.length >= 12);
    const byKey = new Map(got.map((m) => [m.key, m.partition]));
    for (const key of keys) expect(byKey.get(key), key).toBe(2);
    expect(byKey.get(`batch-of-${k}`)).toBe(byKey.get(k));
    expect((await endOffsets(topic)).get(2)).toBeGreaterThanOrEqual(10);
    await expect(bus.publish(topic, [{ key: 'x', value: rawBatch(1), partition: -1 }])).rejects.toThrow(RangeError);
  });

  it('close() mid-stream lets the chunk in hand finish and commit; a new member goes on with no loss and no repeat', async () => {
    const topic = await createTopic(2);
    const group = newGroup();
    const total = 80;
    const producer = newBus({ [topic]: RawBatchContract });
    await producer.publish(
      topic,
      Array.from({ length: total }, (_, i) => ({ key: NIK(i), value: rawBatch(i) })),
    );

    const first: string[] = [];
    let inHandler = false;
    let finishedWhileClosing = false;
    let closing = false;
    const bus1 = newBus({ [topic]: RawBatchContract }, { maxChunkMessages: 4 });
    bus1.subscribe<RawBatch>(topic, group, async (messages) => {
      inHandler = true;
      await new Promise((r) => setTimeout(r, 150));
      first.push(...messages.map((m) => `${m.partition}:${m.offset}`));
      if (closing) finishedWhileClosing = true;
      inHandler = false;
    });
    await bus1.run();
    await waitFor('a few chunks handled and one in hand', () => first.length >= 12 && inHandler);
    closing = true;
    const handledAtClose = first.length;
    await bus1.close();
    await bus1.close(); // safe twice
    expect(finishedWhileClosing).toBe(true); // close waited for the chunk in hand
    expect(first.length).toBe(handledAtClose + 4); // and started no other chunk
    expect(first.length).toBeLessThan(total);

    // What was handled is committed, and nothing more.
    const c = await committed(group, topic);
    for (const p of [0, 1]) {
      const handled = first.filter((s) => s.startsWith(`${p}:`)).map((s) => Number(s.split(':')[1]));
      const expected = handled.length ? Math.max(...handled) + 1 : -1;
      expect(c.get(p), `partition ${p}`).toBe(expected);
    }

    const second: string[] = [];
    const bus2 = newBus({ [topic]: RawBatchContract });
    bus2.subscribe<RawBatch>(topic, group, async (messages) => void second.push(...messages.map((m) => `${m.partition}:${m.offset}`)));
    await bus2.run();
    await waitFor('the rest', () => first.length + second.length >= total);
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(total);
    expect(all.length).toBe(total);
    await bus2.close();
    await expect(bus2.publish(topic, [{ key: 'x', value: rawBatch(1) }])).rejects.toThrow(/closed/);
  });

  it('two members of one group share the partitions: every message is handled, by one member each', async () => {
    const topic = await createTopic(3);
    const group = newGroup();
    const a: string[] = [];
    const b: string[] = [];
    const busA = newBus({ [topic]: RawBatchContract });
    const busB = newBus({ [topic]: RawBatchContract });
    busA.subscribe<RawBatch>(topic, group, async (m) => void a.push(...m.map((x) => `${x.partition}:${x.offset}`)));
    busB.subscribe<RawBatch>(topic, group, async (m) => void b.push(...m.map((x) => `${x.partition}:${x.offset}`)));
    await busA.run();
    await busB.run();
    // Wait until the rebalance has settled: each member owns partitions.
    await waitFor('both members assigned', async () => {
      const d = await admin.describeGroups([group]);
      return d.groups[0]?.state === 'Stable' && d.groups[0].members.length === 2;
    });
    await busA.publish(topic, Array.from({ length: 60 }, (_, i) => ({ key: NIK(i), value: rawBatch(i) })));
    await waitFor('60 messages', () => new Set([...a, ...b]).size >= 60);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    const partitionsOf = (xs: string[]) => new Set(xs.map((x) => x.split(':')[0]));
    expect([...partitionsOf(a)].filter((p) => partitionsOf(b).has(p))).toEqual([]);
    expect(a.length + b.length).toBe(60);
  });

  it('pause stops a topic for a group until resume', async () => {
    const topic = await createTopic(1);
    const other = await createTopic(1);
    const group = newGroup();
    const bus = newBus({ [topic]: RawBatchContract, [other]: RawBatchContract });
    const got: string[] = [];
    bus.subscribe<RawBatch>(topic, group, async (m) => void got.push(...m.map(() => topic)));
    bus.subscribe<RawBatch>(other, group, async (m) => void got.push(...m.map(() => other)));
    bus.pause(group, topic);
    expect(bus.isPaused(group, topic)).toBe(true);
    await bus.run();
    await bus.publish(topic, [{ key: 'a', value: rawBatch(1) }]);
    await bus.publish(other, [{ key: 'b', value: rawBatch(2) }]);
    await waitFor('the other topic', () => got.includes(other));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got).toEqual([other]);
    bus.resume(group, topic);
    await waitFor('the resumed topic', () => got.includes(topic));
    expect(() => bus.pause(group, 'not-subscribed')).toThrow(/does not consume/);
  });

  it('lag counts what a group has not committed yet', async () => {
    const topic = await createTopic(3);
    const group = newGroup();
    const bus = newBus({ [topic]: RawBatchContract });
    await bus.publish(topic, Array.from({ length: 7 }, (_, i) => ({ key: NIK(i), value: rawBatch(i) })));
    expect(await bus.lag(group, [topic])).toEqual({ [topic]: 7 });
    let n = 0;
    bus.subscribe<RawBatch>(topic, group, async (m) => void (n += m.length));
    expect(await bus.lag(group)).toEqual({ [topic]: 7 });
    await bus.run();
    await waitFor('7 handled', () => n >= 7);
    await waitFor('lag 0', async () => (await bus.lag(group))[topic] === 0);
    await bus.publish(topic, [{ key: 'x', value: rawBatch(9) }]);
    await waitFor('8 handled', () => n >= 8);
    await waitFor('lag 0 again', async () => (await bus.lag(group))[topic] === 0);
  });

  it('applyTopics creates, then reports unchanged; raises partitions and configs; never lowers partitions', async () => {
    // The real catalog, under test names: Kafka accepts every config it declares.
    const prefix = `${uid()}-`;
    const real = loadTopicCatalog(CATALOG, {});
    const json = {
      defaults: { partitions: 3, replicationFactor: 1 },
      topics: real.topics.map((t) => ({ name: prefix + t.name, description: t.description, config: t.config })),
    };
    for (const t of json.topics) topicsToDelete.add(t.name);
    const catalog = parseTopicCatalog(json, {});
    const logger = new CapturingLogger();

    const first = await applyTopics(admin, catalog, { logger });
    expect(first.created.sort()).toEqual(json.topics.map((t) => t.name).sort());
    expect(first.updated).toEqual([]);

    const second = await applyTopics(admin, catalog, { logger });
    expect(second).toEqual({ created: [], updated: [], unchanged: catalog.topics.map((t) => t.name), warnings: [] });

    const results = `${prefix}padan.results.v1`;
    const raw = `${prefix}padan.raw.v1`;
    const meta = await admin.fetchTopicMetadata({ topics: [results] });
    expect(meta.topics[0]!.partitions).toHaveLength(3);

    // More partitions and another retention: updated once, then unchanged again.
    const changed = parseTopicCatalog(
      {
        ...json,
        topics: json.topics.map((t) =>
          t.name === raw ? { ...t, partitions: 4, config: { ...t.config, 'retention.ms': '86400000' } } : t,
        ),
      },
      {},
    );
    const third = await applyTopics(admin, changed, { logger });
    expect(third.created).toEqual([]);
    expect(third.updated).toEqual([{ topic: raw, partitions: { from: 3, to: 4 }, configs: { 'retention.ms': ['604800000', '86400000'] } }]);
    const fourth = await applyTopics(admin, changed, { logger });
    expect(fourth.updated).toEqual([]);
    expect(fourth.unchanged).toHaveLength(catalog.topics.length);
    // The full set of the topic's configs is still there after AlterConfigs.
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: raw }] });
    const values = Object.fromEntries(cfg.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(values['retention.ms']).toBe('86400000');
    expect(values['max.message.bytes']).toBe('8388608');
    expect(values['cleanup.policy']).toBe('delete');
    expect((await admin.fetchTopicMetadata({ topics: [raw] })).topics[0]!.partitions).toHaveLength(4);

    // Fewer partitions than the cluster has: a warning, never a decrease.
    const fewer = parseTopicCatalog({ ...json, topics: json.topics.map((t) => (t.name === raw ? { ...t, partitions: 2, config: { ...t.config, 'retention.ms': '86400000' } } : t)) }, {});
    const fifth = await applyTopics(admin, fewer, { logger });
    expect(fifth.updated).toEqual([]);
    expect(fifth.warnings).toEqual([expect.stringContaining('cannot remove partitions')]);
    expect((await admin.fetchTopicMetadata({ topics: [raw] })).topics[0]!.partitions).toHaveLength(4);

    // A compacted topic of the catalog is compacted on the broker.
    const rc = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: results }] });
    expect(rc.resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe('compact');
  });
});
