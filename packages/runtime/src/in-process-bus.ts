import type { BatchHandler, Bus, BusMessage } from './bus.js';

/**
 * Delivers each published batch to every subscribed group before `publish` resolves, depth first.
 * That gives the embedded run natural backpressure (a reader never runs ahead of the stages) and
 * needs no broker. Order within a topic is the publish order, like one Kafka partition.
 */
export class InProcessBus implements Bus {
  private readonly handlers = new Map<string, Map<string, BatchHandler<unknown>[]>>();
  private readonly taps = new Map<string, ((m: readonly BusMessage<unknown>[]) => void)[]>();

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

  async publish<T>(topic: string, messages: readonly BusMessage<T>[]): Promise<void> {
    if (messages.length === 0) return;
    for (const fn of this.taps.get(topic) ?? []) fn(messages);
    const groups = this.handlers.get(topic);
    if (!groups) return;
    for (const list of groups.values()) {
      for (const h of list) await h(messages);
    }
  }
}
