import { TOPICS } from '@padan/contracts';
import { connectAdmin, kafkaConnectionFromEnv, silentLogger } from '@padan/kafka';
import type { KafkaAdmin } from '@padan/kafka';
import { usedMemory } from './redis-info.js';

/** One observation of the stack while a distributed run goes on. */
export interface ProbeSample {
  readonly t: number;
  readonly redisUsedMemory: number | null;
  /** Messages in the DTKS index topic (sum of its partitions' end offsets). */
  readonly dtksIndexMessages: number | null;
}

/**
 * Watches a distributed run from outside, through interfaces that outlive the services' internals:
 * Redis INFO, the end offsets of the DTKS index topic (padan.dtks-index.v3: match publishes a batch
 * of index entries with the results of every DTKS chunk it indexed, and nothing else), and the
 * services' /metrics (consumer lag).
 *
 * "After the DTKS release is loaded" is the first sample at which the index topic holds as many
 * messages as at the end of the run: its last batch is published once match has indexed the last
 * DTKS row, and none after (batches count messages, not rows, but the final count is reached at
 * the same moment). used_memory at that
 * sample also holds the program batches match keeps in Redis until the release is complete, so the
 * index figure derived from it is an upper bound.
 */
export class DistributedProbe {
  readonly samples: ProbeSample[] = [];
  /** Highest padan_consumer_lag seen, per service and topic. */
  readonly maxLag: Record<string, number> = {};
  private admin: KafkaAdmin | null = null;
  private busy = false;
  private readonly t0 = Date.now();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly metricsPorts: Readonly<Record<string, number>>,
  ) {}

  async start(): Promise<void> {
    // Silent: before the index topic exists its offsets fail, which a sample only skips.
    this.admin = await connectAdmin({ ...kafkaConnectionFromEnv(this.env, 'padan-bench-probe'), logger: silentLogger });
  }

  private async dtksIndexMessages(): Promise<number | null> {
    if (!this.admin) return null;
    try {
      const offsets = await this.admin.fetchTopicOffsets(TOPICS.dtksIndex);
      return offsets.reduce((a, o) => a + Number(o.high), 0);
    } catch {
      return null; // not created yet
    }
  }

  private async lag(): Promise<void> {
    for (const [service, port] of Object.entries(this.metricsPorts)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
        // Labels in any order (the registry adds `service`): padan_consumer_lag{topic="…",service="…"} N
        for (const m of (await res.text()).matchAll(/^padan_consumer_lag\{([^}]*)\} (\S+)$/gm)) {
          const topic = /topic="([^"]+)"/.exec(m[1] as string)?.[1] ?? '?';
          const k = `${service} ${topic}`;
          this.maxLag[k] = Math.max(this.maxLag[k] ?? 0, Number(m[2]));
        }
      } catch {
        // not up yet, or stopping
      }
    }
  }

  /** One sample; skipped when the previous one is still running (a busy machine). */
  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const url = this.env.REDIS_URL as string;
      const [redisUsedMemory, dtksIndexMessages] = await Promise.all([usedMemory(url).catch(() => null), this.dtksIndexMessages(), this.lag()]);
      this.samples.push({ t: (Date.now() - this.t0) / 1000, redisUsedMemory, dtksIndexMessages });
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    await this.admin?.disconnect();
  }

  /** used_memory at the first sample where the DTKS index topic had reached its final size. */
  afterDtksLoaded(): { t: number; usedMemory: number; indexMessages: number } | null {
    let final = -1;
    for (const s of this.samples) if (s.dtksIndexMessages !== null) final = Math.max(final, s.dtksIndexMessages);
    if (final <= 0) return null;
    const at = this.samples.find((s) => s.dtksIndexMessages === final && s.redisUsedMemory !== null);
    return at ? { t: at.t, usedMemory: at.redisUsedMemory as number, indexMessages: final } : null;
  }
}

/**
 * Messages held by each pipeline topic at the end of a run (sum over partitions of high − low
 * offsets, transaction markers included), on the stack of `env`: what each Kafka hop cost in
 * messages, the lever of the distributed run's throughput. Topics that do not exist are left out.
 */
export async function topicMessageCounts(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const admin = await connectAdmin({ ...kafkaConnectionFromEnv(env, 'padan-bench-topics'), logger: silentLogger });
  const out: Record<string, number> = {};
  try {
    for (const topic of Object.values(TOPICS)) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        out[topic] = offsets.reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
      } catch {
        // not created on this stack
      }
    }
  } finally {
    await admin.disconnect();
  }
  return out;
}
