import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Partitioners } from './kafkajs.js';
import type { Admin, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage as RawKafkaMessage, Message, Producer, RecordMetadata, RetryOptions } from 'kafkajs';
import pLimit from 'p-limit';
import { maskedExcerpt, PERIOD_PATTERN, REJECTED_MESSAGE_EXCERPT_CHARS, rejectedMessageKey } from '@padan/contracts';
import type { Contract, MessageRejectReason, RejectedMessage } from '@padan/contracts';
import type { Bus, BusMessage } from '@padan/runtime';
import type { z } from 'zod';
import { createKafka, DEFAULT_RETRY } from './connection.js';
import type { KafkaConnection } from './connection.js';
import { errorText, stderrLogger } from './logger.js';
import { unsentOf } from './unsent-messages.js';
import type { Logger } from './logger.js';

// Header names. Values are ASCII strings; none ever carries a NIK or a name.
export const HEADER_CONTRACT = 'padan-contract';
export const HEADER_VERSION = 'padan-version';
export const HEADER_PERIOD = 'padan-period';
export const HEADER_SOURCE = 'padan-source';
export const HEADER_FILE = 'padan-file';
export const HEADER_RUN_ID = 'padan-run-id';

/** A message to publish: the Bus message, plus an optional explicit partition and extra headers. */
export interface KafkaPublishMessage<T = unknown> extends BusMessage<T> {
  /** Explicit partition; without it the key's murmur2 hash decides (see `partitionFor`). */
  readonly partition?: number;
  /** Extra headers; the `padan-*` headers are set by the bus and cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A consumed message: decoded, validated, with where it came from. */
export interface KafkaMessage<T = unknown> extends BusMessage<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Broker or producer timestamp, ms since the epoch, as a string (kafkajs's form). */
  readonly timestamp: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type KafkaBatchHandler<T = unknown> = (messages: readonly KafkaMessage<T>[]) => Promise<void>;

// A topic's contract whatever its schema: the bus only encodes and decodes through it.
export type AnyContract = Contract<any>;

export type InvalidReason = 'tombstone' | 'json' | 'contract' | 'header-mismatch';

/** The dead-letter reason of each invalid message that is dead-lettered; a tombstone carries nothing to repair. */
const DEAD_LETTER_REASON: Readonly<Record<Exclude<InvalidReason, 'tombstone'>, MessageRejectReason>> = {
  json: 'MESSAGE_NOT_JSON',
  contract: 'MESSAGE_CONTRACT_VIOLATION',
  'header-mismatch': 'MESSAGE_WRONG_CONTRACT',
};

/** Why a consumed message was skipped: the reason, and a text safe to log and dead-letter (no payload). */
interface Invalid {
  readonly reason: InvalidReason;
  readonly detail: string;
}

export interface BatchEvent {
  readonly topic: string;
  readonly group: string;
  readonly partition: number;
  /** Messages given to the handler (valid ones). */
  readonly messages: number;
  /** Messages skipped as invalid in this chunk. */
  readonly invalid: number;
  /** Decode + validate + handler + commit, in milliseconds. */
  readonly ms: number;
}

export interface InvalidEvent {
  readonly topic: string;
  readonly group: string;
  readonly partition: number;
  readonly offset: string;
  readonly reason: InvalidReason;
}

export interface PublishEvent {
  readonly topic: string;
  readonly messages: number;
  /** Encoded value bytes (before compression). */
  readonly bytes: number;
  /** Encode + validate + send until acknowledged, in milliseconds. */
  readonly ms: number;
}

export interface CrashEvent {
  readonly group: string;
  readonly error: string;
  /** Whether kafkajs restarts the consumer by itself. When false the group has stopped consuming. */
  readonly restart: boolean;
}

export interface ConsumerTuning {
  /**
   * Default 10 000 ms. A member killed without leaving its group (kill -9, a lost host) holds its
   * partitions this long before the group rebalances, so a restarted instance waits about as long
   * to get work (kafkajs 2.2 has no static membership). A graceful stop leaves the group at once.
   * A handler call may take longer: a keep-alive heartbeat runs meanwhile.
   */
  sessionTimeout?: number;
  /** Default 60 000 ms. */
  rebalanceTimeout?: number;
  /** Default 3 000 ms. */
  heartbeatInterval?: number;
  /** How long a fetch waits for data when there is none; also bounds how long `close()` waits for a fetch. Default 1 000 ms. */
  maxWaitTimeInMs?: number;
  /**
   * Default 1 MiB: about 5 batch messages of 2 000 raw rows. A larger first message is still
   * fetched whole. What a fetch returns is held, decoded, with what the handler makes of it (JSON
   * objects take several times their bytes): this bounds a consumer's memory whatever the input
   * size. 4 MiB per partition (16 MiB a fetch) gave normalize a 358 MB peak on 1.6 M rows.
   */
  maxBytesPerPartition?: number;
  /** Default 4 MiB. */
  maxBytes?: number;
  /** Partitions one consumer (group) handles at the same time. Default 1. */
  partitionsConsumedConcurrently?: number;
}

export interface KafkaBusOptions extends KafkaConnection {
  /** The contract of every topic this bus publishes to or consumes; a topic without one is refused. */
  contracts: Readonly<Record<string, AnyContract>>;
  /** Default 'none' (measured faster here for JSON batches; see the package README). */
  compression?: 'gzip' | 'none';
  /** At most this many messages per handler call. Default 5 000. */
  maxChunkMessages?: number;
  /** A publish is split into produce requests of at most this many bytes (key + value + headers), at least one message each. Default 900 000, under Kafka's default 1 MiB `max.message.bytes`. */
  maxRequestBytes?: number;
  /** A group with no committed offset starts at the earliest message (default true) or the latest. */
  fromBeginning?: boolean;
  /** Broker acknowledgement timeout of a produce request. Default 30 000 ms. */
  produceTimeout?: number;
  /** Retries of a produce request. Default: 10 retries, 300 ms doubling to 30 s (about two minutes in all). */
  producerRetry?: RetryOptions;
  consumer?: ConsumerTuning;
  /**
   * Least time between a transaction's commit and the next transaction of the same transactional
   * id. Default 15 ms. The broker's coordinator finishes a commit after answering it (it writes the
   * commit markers); a next transaction that adds partitions before that gets
   * CONCURRENT_TRANSACTIONS, which kafkajs logs at ERROR and retries about 300 ms later. Measured
   * on the local stack: 4 in 150 back-to-back transactions without a gap, none with 2 ms or more.
   * Only the part not already spent (reading the next batch) is waited.
   */
  transactionGapMs?: number;
  onBatch?: (e: BatchEvent) => void;
  onInvalid?: (e: InvalidEvent) => void;
  /**
   * Where a consumed message that fails its contract (not JSON, schema-invalid, another contract
   * in its headers) is dead-lettered as a RejectedMessage (topic, partition, offset, reason, a
   * masked excerpt), before its offset is committed: nothing is skipped unseen. The topic needs
   * the dead-letter contract in `contracts`. Without it such messages are only logged and counted.
   */
  deadLetterTopic?: string;
  onPublish?: (e: PublishEvent) => void;
  onCrash?: (e: CrashEvent) => void;
  /**
   * How often the partition counts of the consumed topics are checked, in ms (0: never). kafkajs
   * 2.2 rebalances a group only when a member joins or leaves, never when a topic gains
   * partitions: the new ones would go unconsumed until a restart. When a count grew, this member
   * leaves and rejoins its group (same process), and the group leader, which refreshes the
   * metadata before it assigns, spreads every partition again. The same check refreshes the
   * counts `partitions()` gives for the topics produced to. Default 10 000.
   */
  partitionWatchMs?: number;
}

/** An error thrown by a handler, marked retriable so that kafkajs redelivers the batch instead of stopping the consumer for good. */
export class HandlerError extends Error {
  readonly retriable = true;
  constructor(
    readonly topic: string,
    readonly partition: number,
    cause: unknown,
  ) {
    super(`handler of ${topic}[${partition}] failed: ${errorText(cause)}`, { cause });
    this.name = 'HandlerError';
  }
}

interface GroupState {
  readonly handlers: Map<string, KafkaBatchHandler<unknown>>;
  readonly paused: Set<string>;
  consumer?: Consumer;
}

function headerString(v: IHeaders[string]): string | undefined {
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return undefined;
  return typeof one === 'string' ? one : one.toString('utf8');
}

function readHeaders(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) {
    const s = headerString(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** The padan headers of a message: contract, version and whatever lineage the value has. */
export function padanHeaders(contract: AnyContract, value: unknown): Record<string, string> {
  const h: Record<string, string> = { [HEADER_CONTRACT]: contract.name, [HEADER_VERSION]: String(contract.version) };
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v['period'] === 'string') h[HEADER_PERIOD] = v['period'];
    const source = typeof v['source'] === 'string' ? v['source'] : typeof v['program'] === 'string' ? v['program'] : undefined;
    if (source !== undefined) h[HEADER_SOURCE] = source;
    if (typeof v['file'] === 'string') h[HEADER_FILE] = v['file'];
    if (typeof v['runId'] === 'string') h[HEADER_RUN_ID] = v['runId'];
  }
  return h;
}

/**
 * The Bus on Kafka (kafkajs 2.2.4).
 *
 * Producing: every value is validated by its topic's contract (`encode`), carries `padan-*`
 * headers, and `publish` resolves once the broker acknowledged every message (idempotent producer,
 * acks=all). Consuming: `subscribe` registers a handler per topic and group (one kafkajs consumer
 * per group), `run` starts them. Each kafkajs batch (one topic-partition) is decoded and validated
 * and given to the handler in chunks; the offset after a chunk is committed only once its handler
 * resolved, so a crash or a handler error redelivers the chunk (at least once: outputs must be
 * idempotent). A message that fails validation is logged (topic, partition, offset, reason), counted
 * through `onInvalid`, skipped, and committed past: it would fail the same way on every redelivery.
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly groups = new Map<string, GroupState>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly partitionCache = new Map<string, { n: number; at: number }>();
  private readonly knownTopics = new Set<string>();
  private producerReady?: Promise<Producer>;
  private readonly txProducers = new Map<string, Promise<Producer>>();
  private readonly lastCommit = new Map<string, number>();
  private readonly assignments = new Map<string, Readonly<Record<string, readonly number[]>>>();
  private readonly assignListeners = new Map<string, ((assignment: Readonly<Record<string, readonly number[]>>) => void)[]>();
  private adminReady?: Promise<Admin>;
  private running = false;
  private closed = false;
  private closing?: Promise<void>;

  constructor(private readonly options: KafkaBusOptions) {
    this.logger = options.logger ?? stderrLogger;
    this.kafka = createKafka({ ...options, logger: this.logger });
    if (options.deadLetterTopic !== undefined) this.contractOf(options.deadLetterTopic);
  }

  // ---------------------------------------------------------------------------------- producing

  private contractOf(topic: string): AnyContract {
    const c = this.options.contracts[topic];
    if (!c) throw new Error(`no contract for topic ${topic}: give one in KafkaBusOptions.contracts`);
    return c;
  }

  /** An idempotent, acks=all producer; transactional when given an id. */
  private async newProducer(transactionalId?: string): Promise<Producer> {
    const p = this.kafka.producer({
      // Bounded, so that a long outage fails the publish (and the handler: the batch is redelivered)
      // instead of blocking forever; after a failed send the producer is replaced (new producer id).
      retry: { ...DEFAULT_RETRY, retries: 10, ...this.options.producerRetry },
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...(transactionalId ? { transactionalId } : {}),
    });
    await p.connect();
    return p;
  }

  private producer(): Promise<Producer> {
    if (!this.producerReady) {
      const ready = this.newProducer();
      this.producerReady = ready;
      ready.catch(() => {
        if (this.producerReady === ready) this.producerReady = undefined;
      });
    }
    return this.producerReady;
  }

  /**
   * After a failed send the idempotent producer's sequence numbers may no longer match the
   * broker's: drop it, the next publish gets a new producer (and producer id).
   */
  private resetProducer(failed: Producer, ready: Promise<Producer>): void {
    if (this.producerReady === ready) this.producerReady = undefined;
    failed.disconnect().catch(() => {});
  }

  /** Fails fast, with the fix, when a topic does not exist (auto-creation is off). Checked once per topic. */
  private async checkTopic(topic: string): Promise<void> {
    if (this.knownTopics.has(topic)) return;
    const admin = await this.admin();
    if (!(await admin.listTopics()).includes(topic)) {
      throw new Error(`topic ${topic} does not exist: apply the topic catalog (infra/topics.json) first`);
    }
    this.knownTopics.add(topic);
  }

  /** Validates and encodes messages with the topic's contract; throws before anything is sent. */
  private encodeAll<T>(topic: string, messages: readonly KafkaPublishMessage<T>[]): { encoded: Message[]; sizes: number[]; total: number } {
    const contract = this.contractOf(topic);
    const encoded: Message[] = new Array(messages.length);
    const sizes: number[] = new Array(messages.length);
    let total = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const value = contract.encode(m.value);
      const headers = { ...m.headers, ...padanHeaders(contract, m.value) };
      if (m.partition !== undefined && !(Number.isInteger(m.partition) && m.partition >= 0)) {
        throw new RangeError(`publish to ${topic}: message ${i} has partition ${m.partition}, not a non-negative integer`);
      }
      let size = value.length + Buffer.byteLength(m.key) + 70;
      for (const [k, v] of Object.entries(headers)) size += k.length + Buffer.byteLength(v) + 2;
      encoded[i] = { key: m.key, value, headers, ...(m.partition !== undefined ? { partition: m.partition } : {}) };
      sizes[i] = size;
      total += value.length;
    }
    return { encoded, sizes, total };
  }

  /** Splits encoded messages into produce requests of at most `maxRequestBytes`. */
  private requests(encoded: Message[], sizes: number[]): Message[][] {
    const max = this.options.maxRequestBytes ?? 900_000;
    const out: Message[][] = [];
    let start = 0;
    while (start < encoded.length) {
      let end = start + 1;
      let bytes = sizes[start]!;
      while (end < encoded.length && bytes + sizes[end]! <= max) bytes += sizes[end++]!;
      out.push(encoded.slice(start, end));
      start = end;
    }
    return out;
  }

  private transactional(id: string): Promise<Producer> {
    let ready = this.txProducers.get(id);
    if (!ready) {
      // Connecting with a transactional id fences an earlier producer with the same id (a killed
      // instance): its open transaction is aborted, so none of its half-published work is read.
      ready = this.newProducer(id);
      this.txProducers.set(id, ready);
      ready.catch(() => this.txProducers.delete(id));
    }
    return ready;
  }

  /** Connects the transactional producer `id` now, fencing an earlier instance that used it. */
  async initTransactions(id: string): Promise<void> {
    await this.transactional(id);
  }

  /**
   * Publishes to several topics in one Kafka transaction: read-committed consumers (the default
   * here) see all of it or none of it. Used by ingest to publish a batch together with its progress.
   */
  async publishTransaction(id: string, parts: readonly { topic: string; messages: readonly KafkaPublishMessage<unknown>[] }[]): Promise<void> {
    if (this.closed) throw new Error('cannot publish: the bus is closed');
    const encoded = parts.filter((p) => p.messages.length > 0).map((p) => ({ topic: p.topic, ...this.encodeAll(p.topic, p.messages) }));
    for (const p of encoded) await this.checkTopic(p.topic);
    const producer = await this.transactional(id);
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    const gap = (this.lastCommit.get(id) ?? 0) + (this.options.transactionGapMs ?? 15) - Date.now();
    if (gap > 0) await new Promise((r) => setTimeout(r, gap));
    const tx = await producer.transaction();
    try {
      for (const p of encoded) {
        for (const messages of this.requests(p.encoded, p.sizes)) {
          const unsent = unsentOf(messages, await tx.send({ topic: p.topic, messages, acks: -1, compression, timeout: this.options.produceTimeout ?? 30_000 }));
          // Aborted and retried by the caller with a new producer, which reads the metadata afresh.
          if (unsent.length > 0) throw new Error(`${unsent.length} messages for partitions of ${p.topic} unknown to the producer's metadata yet (partitions added)`);
        }
      }
      await tx.commit();
      this.lastCommit.set(id, Date.now());
    } catch (e) {
      await tx.abort().catch(() => {});
      this.txProducers.delete(id);
      producer.disconnect().catch(() => {});
      throw new Error(`transaction ${id} failed and was aborted: ${errorText(e)}`, { cause: e });
    }
  }

  /**
   * Reads a (small, compacted) topic from the beginning, committed messages only, until nothing new
   * has arrived for `idleMs` (transaction markers make "offset = end" unreliable as a stop rule).
   */
  async readTopic<T>(topic: string, options: { idleMs?: number; timeoutMs?: number } = {}): Promise<KafkaMessage<T>[]> {
    const contract = this.contractOf(topic);
    const admin = await this.admin();
    const offsets = await admin.fetchTopicOffsets(topic);
    if (offsets.every((o) => o.high === o.low)) return [];
    const groupId = `padan-read-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
    const out: KafkaMessage<T>[] = [];
    const deadLetters: RejectedMessage[] = [];
    let last = Date.now();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          last = Date.now();
          // A tombstone on a compacted topic is a deletion, not an invalid message.
          if (!message.value) return;
          // An invalid message is skipped like in a consumer group (logged once, counted,
          // dead-lettered) instead of throwing, which would make kafkajs retry it until the timeout.
          const d = this.decode(topic, groupId, contract, message, partition);
          if ('reason' in d) {
            this.options.onInvalid?.({ topic, group: groupId, partition, offset: message.offset, reason: d.reason });
            const dl = this.options.deadLetterTopic !== undefined ? this.deadLetter(topic, partition, message, d) : undefined;
            if (dl) deadLetters.push(dl);
            return;
          }
          out.push(d as KafkaMessage<T>);
        },
      });
      const started = Date.now();
      const idleMs = options.idleMs ?? 1500;
      const timeoutMs = options.timeoutMs ?? 120_000;
      while (Date.now() - last < idleMs || Date.now() - started < idleMs) {
        if (Date.now() - started > timeoutMs) throw new Error(`reading ${topic} did not settle within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await consumer.disconnect().catch(() => {});
      await admin.deleteGroups([groupId]).catch(() => {});
    }
    // Every read meets the same invalid messages again: their dead letters keep the same keys.
    if (deadLetters.length > 0 && this.options.deadLetterTopic !== undefined) {
      await this.publish(this.options.deadLetterTopic, deadLetters.map((value) => ({ key: rejectedMessageKey(value), value })));
    }
    return out;
  }

  /** Connects the producer now instead of on the first publish. */
  async connect(): Promise<void> {
    await this.producer();
  }

  /**
   * Validates and encodes every message first (nothing is sent when one is invalid), then sends
   * them in produce requests of at most `maxRequestBytes`, one after the other, each awaited until
   * acknowledged by all in-sync replicas. Order within a partition is the order of `messages`.
   */
  async publish<T>(topic: string, messages: readonly KafkaPublishMessage<T>[]): Promise<void> {
    if (this.closed) throw new Error(`cannot publish to ${topic}: the bus is closed`);
    if (messages.length === 0) return;
    const t0 = performance.now();
    const { encoded, sizes, total } = this.encodeAll(topic, messages);
    await this.checkTopic(topic);
    const ready = this.producer();
    const producer = await ready;
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    for (const request of this.requests(encoded, sizes)) {
      let unsent: Message[];
      try {
        unsent = unsentOf(request, await producer.send({ topic, messages: request, acks: -1, compression, timeout: this.options.produceTimeout ?? 30_000 }));
      } catch (e) {
        this.logger.error({ topic, messages: request.length, error: errorText(e) }, 'publish failed');
        this.resetProducer(producer, ready);
        throw new Error(`publish of ${request.length} messages to ${topic} failed: ${errorText(e)}`, { cause: e });
      }
      if (unsent.length > 0) await this.resendToNewPartitions(topic, unsent, producer, ready);
    }
    this.options.onPublish?.({ topic, messages: messages.length, bytes: total, ms: performance.now() - t0 });
  }

  /**
   * Messages for partitions the producer's metadata did not have yet (the topic gained partitions
   * after it last refreshed): kafkajs leaves them out of the request without an error. A new
   * producer reads the metadata afresh; they are sent once more with it, and a second miss fails
   * the publish (so the caller's chunk is redelivered) instead of losing them.
   */
  private async resendToNewPartitions(topic: string, unsent: Message[], stale: Producer, ready: Promise<Producer>): Promise<void> {
    this.logger.warn({ topic, messages: unsent.length, partitions: [...new Set(unsent.map((m) => m.partition))] }, 'producer metadata did not know these partitions yet (topic partitions added): sending again with a new producer');
    this.resetProducer(stale, ready);
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    const again = this.producer();
    const producer = await again;
    let left: Message[];
    try {
      left = unsentOf(unsent, await producer.send({ topic, messages: unsent, acks: -1, compression, timeout: this.options.produceTimeout ?? 30_000 }));
    } catch (e) {
      this.resetProducer(producer, again);
      throw new Error(`publish of ${unsent.length} messages to new partitions of ${topic} failed: ${errorText(e)}`, { cause: e });
    }
    if (left.length > 0) {
      throw new Error(`publish to ${topic}: partitions ${[...new Set(left.map((m) => m.partition))].join(', ')} are unknown to the brokers' metadata; does the topic have them?`);
    }
  }

  // ---------------------------------------------------------------------------------- consuming

  /**
   * Registers `handler` for `topic` in consumer group `group`. Call before `run()`. One kafkajs
   * consumer runs per group; a group may consume several topics, each with its handler.
   */
  subscribe<T>(topic: string, group: string, handler: KafkaBatchHandler<T>): void {
    if (this.running || this.closing) throw new Error(`subscribe(${topic}, ${group}) after run(): subscribe every topic first`);
    this.contractOf(topic);
    const g = this.groups.get(group) ?? { handlers: new Map(), paused: new Set<string>() };
    if (g.handlers.has(topic)) throw new Error(`group ${group} already consumes ${topic}`);
    g.handlers.set(topic, handler as KafkaBatchHandler<unknown>);
    this.groups.set(group, g);
  }

  /** Connects and starts every group's consumer; resolves once each has joined its group. */
  async run(): Promise<void> {
    if (this.running) return;
    if (this.closing) throw new Error('run() after close()');
    this.running = true;
    // The counts the groups join with: a topic that grows from here on is rejoined (watchPartitions).
    // Not fatal: subscribing reports a missing topic better, and the watch records the counts later.
    if ((this.options.partitionWatchMs ?? 10_000) > 0 && this.groups.size > 0) await this.checkPartitions().catch(() => []);
    for (const [group, g] of this.groups) await this.startGroup(group, g);
    this.watchPartitions();
  }

  /** Creates, connects, subscribes and runs the consumer of one group; resolves once it runs. */
  private async startGroup(group: string, g: GroupState): Promise<void> {
    const t = this.options.consumer ?? {};
    const consumer = this.kafka.consumer({
      groupId: group,
      allowAutoTopicCreation: false,
      sessionTimeout: t.sessionTimeout ?? 10_000,
      rebalanceTimeout: t.rebalanceTimeout ?? 60_000,
      heartbeatInterval: t.heartbeatInterval ?? 3_000,
      maxWaitTimeInMs: t.maxWaitTimeInMs ?? 1_000,
      maxBytesPerPartition: t.maxBytesPerPartition ?? 1024 * 1024,
      maxBytes: t.maxBytes ?? 4 * 1024 * 1024,
    });
    g.consumer = consumer;
    this.trackAssignments(group, consumer);
    consumer.on(consumer.events.CRASH, (e) => {
      const ev = { group, error: errorText(e.payload.error), restart: e.payload.restart };
      this.logger.error(ev, ev.restart ? 'consumer crashed; kafkajs restarts it' : 'consumer crashed and stopped by kafkajs; the bus starts a new one');
      this.options.onCrash?.(ev);
      // kafkajs gives up on an error it deems non-retriable (e.g. "Failed to find group
      // coordinator" while the broker restarts) and leaves the consumer disconnected: without this
      // the service would stay up and consume nothing until restarted by hand.
      if (!ev.restart && g.consumer === consumer) this.restartGroup(group, g);
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.logger.info({ group, assignment: e.payload.memberAssignment, ms: e.payload.duration }, 'joined consumer group');
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...g.handlers.keys()], fromBeginning: this.options.fromBeginning ?? true });
    await this.startConsumer(group, g, consumer);
    this.logger.info({ group, topics: [...g.handlers.keys()] }, 'consumer running');
  }

  /** Starts a new consumer for a group whose consumer kafkajs stopped, retrying with backoff until it runs or the bus closes. */
  private restartGroup(group: string, g: GroupState): void {
    void (async () => {
      for (let wait = 1_000; !this.closing; wait = Math.min(wait * 2, 30_000)) {
        await new Promise((r) => setTimeout(r, wait));
        if (this.closing) return;
        try {
          await g.consumer?.disconnect().catch(() => {});
          await this.startGroup(group, g);
          this.logger.info({ group }, 'consumer started again after kafkajs stopped it');
          return;
        } catch (e) {
          this.logger.warn({ group, error: errorText(e), retryInMs: Math.min(wait * 2, 30_000) }, 'could not start the consumer again yet; retrying');
        }
      }
    })();
  }

  /** Runs a connected, subscribed consumer (again, after a stop: kafkajs keeps its subscriptions). */
  private async startConsumer(group: string, g: GroupState, consumer: Consumer): Promise<void> {
    const t = this.options.consumer ?? {};
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: t.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.track(this.eachBatch(group, g, payload)),
    });
    if (g.paused.size > 0) consumer.pause([...g.paused].map((topic) => ({ topic })));
  }

  // ------------------------------------------------------------------------- partitions added

  /** Partition counts of the consumed topics when last checked. */
  private readonly watchedCounts = new Map<string, number>();
  /** Groups to rejoin because a topic they read gained partitions. */
  private readonly toRejoin = new Set<string>();
  private watchTimer?: NodeJS.Timeout;
  private watching = false;

  private watchPartitions(): void {
    const every = this.options.partitionWatchMs ?? 10_000;
    if (every <= 0 || this.groups.size === 0) return;
    this.watchTimer = setInterval(() => {
      if (this.watching || this.closing) return;
      this.watching = true;
      this.checkPartitions()
        .catch((e: unknown) => this.logger.warn({ error: errorText(e) }, 'could not check the partition counts of the consumed topics; retrying on the next check'))
        .finally(() => (this.watching = false));
    }, every);
    this.watchTimer.unref();
  }

  /**
   * Rejoins every group that consumes a topic whose partition count changed since the last check
   * (the first check only records the counts), and refreshes the counts `partitions()` hands out
   * for the topics this bus produces to, so records are spread over new partitions within one
   * check rather than when the 30 s cache expires. Returns the groups rejoined.
   */
  async checkPartitions(): Promise<string[]> {
    const consumed = new Set<string>();
    for (const g of this.groups.values()) for (const t of g.handlers.keys()) consumed.add(t);
    const topics = new Set([...consumed, ...this.partitionCache.keys()]);
    if (topics.size === 0) return [];
    const admin = await this.admin();
    const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
    for (const t of meta.topics) {
      const n = t.partitions.length;
      const isConsumed = consumed.has(t.name);
      const before = isConsumed ? this.watchedCounts.get(t.name) : this.partitionCache.get(t.name)?.n;
      if (isConsumed) this.watchedCounts.set(t.name, n);
      if (n > 0 && (this.partitionCache.has(t.name) || (before !== undefined && before !== n))) this.partitionCache.set(t.name, { n, at: Date.now() });
      if (before === undefined || before === n) continue;
      if (!isConsumed) {
        this.logger.info({ topic: t.name, partitionsBefore: before, partitions: n }, 'topic partition count changed: records are spread over the new partitions from now on');
        continue;
      }
      this.logger.info({ topic: t.name, partitionsBefore: before, partitions: n }, 'topic partition count changed: rejoining the consumer groups that read it so that every partition is assigned');
      for (const [group, g] of this.groups) if (g.handlers.has(t.name)) this.toRejoin.add(group);
    }
    const rejoined: string[] = [];
    // A rejoin that failed (Kafka unreachable meanwhile) stays listed and is tried again next check.
    for (const group of [...this.toRejoin]) {
      const consumer = this.groups.get(group)?.consumer;
      if (!consumer || this.closing) break;
      // stop() lets the batch being handled finish and commit, and leaves the group; run() joins
      // it again, which makes the group rebalance over the partitions the leader sees now.
      await consumer.stop();
      if (this.closing) break;
      await this.startConsumer(group, this.groups.get(group)!, consumer);
      this.toRejoin.delete(group);
      rejoined.push(group);
    }
    return rejoined;
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * Decodes and validates one message; an invalid one is logged here, once (topic, partition,
   * offset, reason; never its key or value), and returned as its reason.
   */
  private decode(topic: string, group: string, contract: AnyContract, m: RawKafkaMessage, partition: number): KafkaMessage | Invalid {
    if (m.value === null) {
      this.logger.info({ topic, group, partition, offset: m.offset }, 'tombstone skipped');
      return { reason: 'tombstone', detail: 'tombstone (no value)' };
    }
    const headers = readHeaders(m.headers);
    const name = headers[HEADER_CONTRACT];
    const version = headers[HEADER_VERSION];
    const dlq = this.options.deadLetterTopic !== undefined ? `dead-lettered on ${this.options.deadLetterTopic}` : 'skipped';
    if ((name !== undefined && name !== contract.name) || (version !== undefined && version !== String(contract.version))) {
      const detail = `headers name contract ${name}@v${version}, the topic's is ${contract.name}@v${contract.version}`;
      this.logger.error({ topic, group, partition, offset: m.offset, reason: 'header-mismatch', contract: `${contract.name}@v${contract.version}`, header: `${name}@v${version}` }, `message headers name another contract; ${dlq} and committed past`);
      return { reason: 'header-mismatch', detail };
    }
    let value: unknown;
    try {
      value = contract.decode(m.value);
    } catch (e) {
      const reason: InvalidReason = e instanceof SyntaxError ? 'json' : 'contract';
      // ContractViolation messages hold paths and zod messages only; a JSON SyntaxError quotes the input, so only its name.
      const detail = errorText(e);
      this.logger.error({ topic, group, partition, offset: m.offset, reason, error: detail }, `message fails its contract; ${dlq} and committed past`);
      return { reason, detail };
    }
    return { topic, partition, offset: m.offset, timestamp: m.timestamp, key: m.key ? m.key.toString('utf8') : '', value, headers };
  }

  /** The dead letter of an invalid message: where it is, why, and a bounded masked excerpt, never the payload. */
  private deadLetter(topic: string, partition: number, m: RawKafkaMessage, invalid: Invalid): RejectedMessage | undefined {
    if (invalid.reason === 'tombstone' || m.value === null) return undefined;
    const period = headerString(m.headers?.[HEADER_PERIOD]);
    return {
      v: 1,
      kind: 'message',
      topic,
      partition,
      offset: m.offset,
      reason: DEAD_LETTER_REASON[invalid.reason],
      message: invalid.detail,
      excerpt: maskedExcerpt(m.value, REJECTED_MESSAGE_EXCERPT_CHARS),
      ...(period !== undefined && PERIOD_PATTERN.test(period) ? { period } : {}),
    };
  }

  private async eachBatch(group: string, g: GroupState, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const handler = g.handlers.get(topic);
    if (!handler) throw new Error(`group ${group} received ${topic}, which it has no handler for`);
    const contract = this.contractOf(topic);
    const chunkSize = this.options.maxChunkMessages ?? 5_000;
    const keepAliveMs = this.options.consumer?.heartbeatInterval ?? 3_000;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      // Stop between chunks when closing, after a rebalance/seek, or when the topic was paused:
      // what is not resolved is fetched again later (or by another member).
      if (!payload.isRunning() || payload.isStale() || g.paused.has(topic)) return;
      const t0 = performance.now();
      const raw = batch.messages.slice(start, start + chunkSize);
      const valid: KafkaMessage[] = [];
      const deadLetters: RejectedMessage[] = [];
      let invalid = 0;
      for (const m of raw) {
        const d = this.decode(topic, group, contract, m, partition);
        if ('reason' in d) {
          invalid++;
          this.options.onInvalid?.({ topic, group, partition, offset: m.offset, reason: d.reason });
          const dl = this.options.deadLetterTopic !== undefined ? this.deadLetter(topic, partition, m, d) : undefined;
          if (dl) deadLetters.push(dl);
        } else valid.push(d);
      }
      // Dead letters are acknowledged before the chunk's offset is committed: a crash in between
      // sends them again (same key), never loses them.
      if (deadLetters.length > 0 && this.options.deadLetterTopic !== undefined) {
        try {
          await this.publish(this.options.deadLetterTopic, deadLetters.map((value) => ({ key: rejectedMessageKey(value), value })));
        } catch (e) {
          // publish has logged the failure; retriable, so kafkajs redelivers the chunk.
          throw new HandlerError(topic, partition, e);
        }
      }
      if (valid.length > 0) {
        // kafkajs heartbeats only when asked: keep the member alive during a long handler call.
        const keepAlive = setInterval(() => payload.heartbeat().catch(() => {}), keepAliveMs);
        try {
          await handler(valid);
        } catch (e) {
          this.logger.error({ topic, group, partition, firstOffset: raw[0]!.offset, lastOffset: raw[raw.length - 1]!.offset, error: errorText(e) }, 'handler failed; the chunk will be redelivered');
          throw new HandlerError(topic, partition, e);
        } finally {
          clearInterval(keepAlive);
        }
      }
      payload.resolveOffset(raw[raw.length - 1]!.offset);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      this.options.onBatch?.({ topic, group, partition, messages: valid.length, invalid, ms: performance.now() - t0 });
      await payload.heartbeat();
    }
  }

  /**
   * Stops fetching `topic` for `group` (all its partitions assigned here) until `resume`. A chunk
   * being handled finishes; the rest of its batch is not handled and is fetched again on resume.
   * May be called before `run()`.
   */
  pause(group: string, topic: string): void {
    const g = this.groupOf(group, topic);
    g.paused.add(topic);
    g.consumer?.pause([{ topic }]);
  }

  resume(group: string, topic: string): void {
    const g = this.groupOf(group, topic);
    g.paused.delete(topic);
    g.consumer?.resume([{ topic }]);
  }

  isPaused(group: string, topic: string): boolean {
    return this.groupOf(group, topic).paused.has(topic);
  }

  private groupOf(group: string, topic: string): GroupState {
    const g = this.groups.get(group);
    if (!g || !g.handlers.has(topic)) throw new Error(`group ${group} does not consume ${topic}`);
    return g;
  }

  // ---------------------------------------------------------------------------------- rewind

  /** Remembers the partitions each join (rebalance) gives this member of `group`, and tells the listeners. */
  private trackAssignments(group: string, consumer: Consumer): void {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assignment: Record<string, number[]> = {};
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) assignment[topic] = [...partitions].sort((a, b) => a - b);
      this.assignments.set(group, assignment);
      for (const fn of this.assignListeners.get(group) ?? []) fn(assignment);
    });
  }

  /** The partitions of `topic` assigned to this member of `group` at its last join; empty before it joined. */
  assigned(group: string, topic: string): readonly number[] {
    this.groupOf(group, topic);
    return this.assignments.get(group)?.[topic] ?? [];
  }

  /**
   * Calls `fn` with this member's whole assignment (topic → partitions) after every join of
   * `group`, i.e. after every rebalance; a partition that moves here from another member shows up
   * there first. May be called before `run()`.
   */
  onAssigned(group: string, fn: (assignment: Readonly<Record<string, readonly number[]>>) => void): void {
    if (!this.groups.has(group)) throw new Error(`group ${group} has no subscription on this bus: subscribe first`);
    const list = this.assignListeners.get(group) ?? [];
    list.push(fn);
    this.assignListeners.set(group, list);
  }

  /**
   * Replays `partitions` of `topic` for `group` from their earliest retained offset: seeks this
   * member's consumer there (a batch being handled is then stale and stops between chunks) and
   * commits that offset, so that a member the partition moves to later, or this one after a crash,
   * also starts from the beginning instead of the offset committed before. The partitions must be
   * assigned to this member (see `assigned`). Returns the end offsets they had when rewound, the
   * point a replay has caught up with (see `reached`).
   */
  async rewind(group: string, topic: string, partitions: readonly number[]): Promise<Map<number, { low: number; high: number }>> {
    const g = this.groupOf(group, topic);
    const consumer = g.consumer;
    if (!consumer) throw new Error(`rewind of ${topic} for group ${group} before run(): nothing is consumed yet`);
    const admin = await this.admin();
    const offsets = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
    const out = new Map<number, { low: number; high: number }>();
    for (const partition of partitions) {
      const at = offsets.get(partition);
      if (!at) throw new Error(`rewind: ${topic} has no partition ${partition}`);
      out.set(partition, at);
      consumer.seek({ topic, partition, offset: String(at.low) });
    }
    if (out.size > 0) await consumer.commitOffsets([...out].map(([partition, at]) => ({ topic, partition, offset: String(at.low) })));
    this.logger.info({ group, topic, partitions: [...out.keys()] }, 'partitions rewound to their earliest offset');
    return out;
  }

  // ---------------------------------------------------------------------------------- admin

  private admin(): Promise<Admin> {
    if (!this.adminReady) {
      const ready = (async () => {
        const a = this.kafka.admin();
        await a.connect();
        return a;
      })();
      this.adminReady = ready;
      ready.catch(() => {
        if (this.adminReady === ready) this.adminReady = undefined;
      });
    }
    return this.adminReady;
  }

  /** The partition count of a topic (cached 30 s), for `partitionFor(key, n)`. */
  async partitions(topic: string): Promise<number> {
    const cached = this.partitionCache.get(topic);
    if (cached && Date.now() - cached.at < 30_000) return cached.n;
    const admin = await this.admin();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const n = meta.topics[0]?.partitions.length ?? 0;
    if (n === 0) throw new Error(`topic ${topic} has no partitions (does it exist?)`);
    this.partitionCache.set(topic, { n, at: Date.now() });
    return n;
  }

  /**
   * Messages not yet committed by `group`, per topic (summed over partitions): the log end offset
   * minus the committed offset, or minus the log start offset where the group has committed none.
   * `topics` defaults to the topics the group consumes on this bus.
   */
  async lag(group: string, topics?: readonly string[]): Promise<Record<string, number>> {
    const list = topics ?? [...(this.groups.get(group)?.handlers.keys() ?? [])];
    if (list.length === 0) return {};
    const admin = await this.admin();
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...list] });
    const committedOf = new Map<string, Map<number, number>>();
    for (const t of committed) committedOf.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
    const limit = pLimit(4);
    const out: Record<string, number> = {};
    await Promise.all(
      list.map((topic) =>
        limit(async () => {
          const ends = await admin.fetchTopicOffsets(topic);
          let lag = 0;
          for (const p of ends) {
            const c = committedOf.get(topic)?.get(p.partition) ?? -1;
            lag += Math.max(0, Number(p.high) - (c >= 0 ? c : Number(p.low)));
          }
          out[topic] = lag;
        }),
      ),
    );
    return out;
  }

  /**
   * Whether `group` has read every partition of `topics` up to the end offsets they had when
   * `endOffsets` was taken (committed offset ≥ that end, or the partition was empty then). Unlike
   * "lag 0", it becomes true under continuous traffic, and stays true.
   */
  async reached(group: string, ends: Readonly<Record<string, ReadonlyMap<number, { low: number; high: number }>>>): Promise<boolean> {
    const topics = Object.keys(ends);
    const admin = await this.admin();
    const committed = await admin.fetchOffsets({ groupId: group, topics });
    const at = new Map<string, number>();
    for (const t of committed) for (const p of t.partitions) at.set(`${t.topic}/${p.partition}`, Number(p.offset));
    for (const topic of topics) {
      for (const [partition, { low, high }] of ends[topic] ?? new Map()) {
        if (high <= low) continue;
        if ((at.get(`${topic}/${partition}`) ?? -1) < high) return false;
      }
    }
    return true;
  }

  /** Per topic and partition, the log start and end offsets now (see `reached`). */
  async endOffsets(topics: readonly string[]): Promise<Record<string, Map<number, { low: number; high: number }>>> {
    const admin = await this.admin();
    const out: Record<string, Map<number, { low: number; high: number }>> = {};
    for (const topic of topics) {
      out[topic] = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }]));
    }
    return out;
  }

  /** Whether `group` has committed an offset on any partition of `topics`: it has consumed before. */
  async hasCommittedOffsets(group: string, topics: readonly string[]): Promise<boolean> {
    const admin = await this.admin();
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
    return committed.some((t) => t.partitions.some((p) => Number(p.offset) >= 0));
  }

  /**
   * Deletes consumer groups (their committed offsets), for groups that exist for one process
   * lifetime only (report's view group). Call after `close()`; best effort: false (and a warning)
   * when a group could not be deleted, e.g. while it still has members.
   */
  async deleteGroups(groups: readonly string[]): Promise<boolean> {
    try {
      const a = this.kafka.admin();
      await a.connect();
      try {
        await a.deleteGroups([...groups]);
      } finally {
        await a.disconnect();
      }
      return true;
    } catch (e) {
      this.logger.warn({ groups: groups.length, error: errorText(e) }, 'could not delete consumer groups; the broker expires them (offsets.retention.minutes)');
      return false;
    }
  }

  // ---------------------------------------------------------------------------------- shutdown

  /**
   * Graceful shutdown, safe to call more than once: stops fetching, lets the chunk being handled
   * finish and commit (no further chunk starts), then disconnects consumers, producer and admin.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.watchTimer) clearInterval(this.watchTimer);
    const consumers = [...this.groups.values()].flatMap((g) => (g.consumer ? [g.consumer] : []));
    const stopped = await Promise.allSettled(consumers.map((c) => c.stop()));
    await Promise.allSettled([...this.inFlight]);
    const disconnected = await Promise.allSettled(consumers.map((c) => c.disconnect()));
    this.closed = true;
    const producer = this.producerReady;
    const admin = this.adminReady;
    const rest = await Promise.allSettled([
      producer?.then((p) => p.disconnect()),
      ...[...this.txProducers.values()].map((t) => t.then((p) => p.disconnect())),
      admin?.then((a) => a.disconnect()),
    ]);
    for (const r of [...stopped, ...disconnected, ...rest]) {
      if (r.status === 'rejected') this.logger.warn({ error: errorText(r.reason) }, 'error while closing the Kafka bus');
    }
    this.running = false;
  }
}
