import type { BatchHandler, Bus, BusMessage } from './bus.js';

/** What the in-process bus needs of a topic's contract to validate it: the wire encoding. */
export interface WireCodec {
  encode(value: never): Buffer;
  decode(bytes: Buffer): unknown;
}

export interface InProcessBusOptions {
  /**
   * When given, every published message goes through its topic's wire encoding and back, as a
   * Kafka hop would: a message that breaks its contract fails the publish, and consumers get
   * what Kafka consumers would get. Costly per record, so the embedded run enables it in tests and
   * with PADAN_VALIDATE=1, not on its hot path. A topic without a contract is refused.
   */
  readonly contracts?: Readonly<Record<string, WireCodec>>;
}

/**
 * Delivers each published batch to every subscribed group before `publish` resolves, depth first.
 * That gives the embedded run natural backpressure (a reader never runs ahead of the stages) and
 * needs no broker. Order within a topic is the publish order, like one Kafka partition.
 */
export class InProcessBus implements Bus {
  private readonly handlers = new Map<string, Map<string, BatchHandler<unknown>[]>>();
  private readonly taps = new Map<string, ((m: readonly BusMessage<unknown>[]) => void)[]>();

  constructor(private readonly options: InProcessBusOptions = {}) {}

  subscribe<T>(topic: string, group: string, handler: BatchHandler<T>): void {
    const groups = this.handlers.get(topic) ?? new Map<string, BatchHandler<unknown>[]>();
    this.handlers.set(topic, groups);
    const list = groups.get(group) ?? [];
    // Within one group, a topic's message goes to one member, as in a consumer group.
    if (list.length > 0) throw new Error(`group ${group} already consumes ${topic}; the in-process bus runs one member per group`);
    list.push(handler as BatchHandler<unknown>);
    groups.set(group, list);
  }

  /** Observes a topic without being a group (tests, progress counters). */
  tap<T>(topic: string, fn: (messages: readonly BusMessage<T>[]) => void): void {
    const list = this.taps.get(topic) ?? [];
    list.push(fn as (m: readonly BusMessage<unknown>[]) => void);
    this.taps.set(topic, list);
  }

  async publish<T>(topic: string, published: readonly BusMessage<T>[]): Promise<void> {
    if (published.length === 0) return;
    const messages = this.options.contracts ? this.overTheWire(topic, published) : published;
    for (const fn of this.taps.get(topic) ?? []) fn(messages);
    const groups = this.handlers.get(topic);
    if (!groups) return;
    for (const list of groups.values()) {
      for (const h of list) await h(messages);
    }
  }

  private overTheWire<T>(topic: string, messages: readonly BusMessage<T>[]): BusMessage<T>[] {
    const contract = this.options.contracts?.[topic];
    if (!contract) throw new Error(`no contract for topic ${topic}: add it to the contracts given to the in-process bus`);
    return messages.map((m) => ({ ...m, value: contract.decode(contract.encode(m.value as never)) as T }));
  }
}
