import { randomUUID } from 'node:crypto';
import { TOPIC_CONTRACTS } from '@padan/contracts';
import { createKafka, KafkaBus, silentLogger } from '@padan/kafka';
import { startServices } from '../../packages/cli/src/distributed.js';
import type { RunningServices } from '../../packages/cli/src/distributed.js';
import { kafkaBrokers } from './kafka.js';

export type ServiceName = 'ingest' | 'normalize' | 'match' | 'report';

/** One service process with its HTTP port, started through the CLI's `startServices`. */
export interface ServiceProcess {
  readonly name: ServiceName;
  readonly port: number;
  readonly running: RunningServices;
}

export function startService(name: ServiceName, port: number, logDir: string, env: NodeJS.ProcessEnv): ServiceProcess {
  const running = startServices({ env, instances: { ingest: 0, normalize: 0, match: 0, report: 0, [name]: 1 }, basePort: port, logDir });
  return { name, port, running };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** GET a service's page, or undefined while it is not up. */
export async function httpGet(port: number, path: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined;
  }
}

export async function waitReady(s: ServiceProcess): Promise<void> {
  await waitFor(`${s.name} /readyz`, async () => (await httpGet(s.port, '/readyz'))?.status === 200);
}

/** The value of a Prometheus counter with the given labels on a /metrics page (0 when absent). */
export function metricValue(page: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Where a raw message sent by `sendForeign` landed. */
export interface SentMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Sends raw bytes to a topic as a foreign writer would (no contract, no validation), each with the
 * given headers, to `partition` or where its random key falls; returns where each landed.
 */
export async function sendForeign(topic: string, values: readonly string[], headers: Record<string, string> = {}, partition?: number): Promise<SentMessage[]> {
  const producer = createKafka({ brokers: kafkaBrokers(), clientId: `privacy-foreign-${randomUUID()}`, logger: silentLogger }).producer();
  await producer.connect();
  try {
    const out: SentMessage[] = [];
    // One at a time so each message's offset is known.
    for (const value of values) {
      const [meta] = await producer.send({ topic, messages: [{ key: `foreign-${randomUUID()}`, value, headers, ...(partition !== undefined ? { partition } : {}) }] });
      out.push({ topic, partition: meta!.partition, offset: meta!.baseOffset ?? String(meta!.offset) });
    }
    return out;
  } finally {
    await producer.disconnect();
  }
}

/** Every committed message of a topic, decoded by its contract, read from the beginning by a throwaway group. */
export async function readWholeTopic<T>(topic: string): Promise<T[]> {
  const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: `privacy-read-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
  try {
    return (await bus.readTopic<T>(topic, { idleMs: 2000 })).map((m) => m.value);
  } finally {
    await bus.close();
  }
}
