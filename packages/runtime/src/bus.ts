/**
 * The message bus port. Stages publish keyed messages to topics and consume them in batches.
 * Two adapters: the in-process bus (embedded runs, tests) and Kafka (production).
 */
export interface BusMessage<T = unknown> {
  /** Partitioning key: one person's records share a key, so they meet in one partition. */
  readonly key: string;
  readonly value: T;
  /** Explicit partition, for batches whose records share a partition (Kafka only). */
  readonly partition?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export type BatchHandler<T = unknown> = (messages: readonly BusMessage<T>[]) => Promise<void>;

export interface Bus {
  publish<T>(topic: string, messages: readonly BusMessage<T>[]): Promise<void>;
  subscribe<T>(topic: string, group: string, handler: BatchHandler<T>): void;
}
