import { readFileSync } from 'node:fs';
import { ConfigResourceTypes, ConfigSource } from './kafkajs.js';
import type { Admin, ITopicConfig } from 'kafkajs';
import { z } from 'zod';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';

/**
 * The topic catalog (`infra/topics.json`): every topic the pipeline uses, with its partitions,
 * replication factor and topic-level configs. `applyTopics` makes a cluster match it.
 *
 * Partitions and replication factor come, in order, from the topic's own entry, the environment
 * (`PADAN_PARTITIONS`, `PADAN_REPLICATION_FACTOR`), the catalog's `defaults`.
 */

const configValue = z.union([z.string(), z.number().int()]).transform(String);

const topicConfigSchema = z
  .object({
    'cleanup.policy': z.enum(['delete', 'compact', 'compact,delete', 'delete,compact']),
    'retention.ms': configValue.optional(),
  })
  .catchall(configValue);

const topicEntrySchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name: letters, digits, ".", "_", "-", at most 249'),
  description: z.string().min(1),
  partitions: z.number().int().positive().optional(),
  replicationFactor: z.number().int().positive().optional(),
  config: topicConfigSchema,
});

const catalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  defaults: z.strictObject({
    partitions: z.number().int().positive(),
    replicationFactor: z.number().int().positive(),
  }),
  topics: z.array(topicEntrySchema).min(1),
});

export type TopicCatalogFile = z.infer<typeof catalogFileSchema>;

export interface TopicSpec {
  readonly name: string;
  readonly description: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs, values as Kafka strings. */
  readonly config: Readonly<Record<string, string>>;
}

export interface TopicCatalog {
  readonly topics: readonly TopicSpec[];
  /** The spec of a topic; throws when the catalog has none. */
  topic(name: string): TopicSpec;
}

const positiveIntEnv = (name: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]*$/, `${name} must be a positive integer`)
    .transform(Number)
    .optional();

const envSchema = z.object({
  PADAN_PARTITIONS: positiveIntEnv('PADAN_PARTITIONS'),
  PADAN_REPLICATION_FACTOR: positiveIntEnv('PADAN_REPLICATION_FACTOR'),
});

export class TopicCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicCatalogError';
  }
}

/** Validates a parsed catalog file and resolves partitions and replication factor. */
export function parseTopicCatalog(json: unknown, env: NodeJS.ProcessEnv = process.env, where = 'topic catalog'): TopicCatalog {
  const parsed = catalogFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TopicCatalogError(`${where} is invalid: ${issues}`);
  }
  const e = envSchema.safeParse({ PADAN_PARTITIONS: env['PADAN_PARTITIONS'] || undefined, PADAN_REPLICATION_FACTOR: env['PADAN_REPLICATION_FACTOR'] || undefined });
  if (!e.success) throw new TopicCatalogError(e.error.issues.map((i) => i.message).join('; '));
  const file = parsed.data;
  const seen = new Set<string>();
  const topics: TopicSpec[] = file.topics.map((t) => {
    if (seen.has(t.name)) throw new TopicCatalogError(`${where} declares ${t.name} twice`);
    seen.add(t.name);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.config)) if (v !== undefined) config[k] = v;
    return {
      name: t.name,
      description: t.description,
      partitions: t.partitions ?? e.data.PADAN_PARTITIONS ?? file.defaults.partitions,
      replicationFactor: t.replicationFactor ?? e.data.PADAN_REPLICATION_FACTOR ?? file.defaults.replicationFactor,
      config,
    };
  });
  const byName = new Map(topics.map((t) => [t.name, t]));
  return {
    topics,
    topic(name) {
      const t = byName.get(name);
      if (!t) throw new TopicCatalogError(`${where} has no topic ${name}`);
      return t;
    },
  };
}

/** Reads and validates `infra/topics.json` (or any catalog file). */
export function loadTopicCatalog(path: string, env: NodeJS.ProcessEnv = process.env): TopicCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TopicCatalogError(`cannot read topic catalog ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTopicCatalog(json, env, path);
}

export interface TopicChange {
  readonly topic: string;
  /** What was done: partitions raised (from → to) and configs set (name → [before, after]). */
  readonly partitions?: { readonly from: number; readonly to: number };
  readonly configs?: Readonly<Record<string, readonly [string | null, string]>>;
}

export interface ApplyTopicsReport {
  readonly created: string[];
  readonly updated: TopicChange[];
  readonly unchanged: string[];
  /** Differences applyTopics will not fix: fewer partitions or another replication factor than the cluster has. */
  readonly warnings: string[];
}

export interface ApplyTopicsOptions {
  logger?: Logger;
  /** Only compute the report; change nothing. */
  dryRun?: boolean;
  /** Forwarded to CreateTopics/CreatePartitions (ms). */
  timeout?: number;
}

/**
 * Makes the cluster match the catalog, idempotently:
 * - creates missing topics with their partitions, replication factor and configs (waits for leaders);
 * - raises the partition count when the catalog asks for more; never lowers it (Kafka can't): warns;
 * - sets configs whose value differs. Kafka's AlterConfigs (the only config API kafkajs has)
 *   replaces a topic's whole set of overrides, so the catalog's configs of that topic are sent in
 *   full and any override not in the catalog is removed (and named in a warning);
 * - a replication factor that differs is only warned about (changing it is a reassignment).
 * A second run with the same catalog reports every topic unchanged.
 */
export async function applyTopics(admin: Admin, catalog: TopicCatalog, options: ApplyTopicsOptions = {}): Promise<ApplyTopicsReport> {
  const logger = options.logger ?? silentLogger;
  const existing = new Set(await admin.listTopics());
  const report = { created: [] as string[], updated: [] as TopicChange[], unchanged: [] as string[], warnings: [] as string[] };

  const missing = catalog.topics.filter((t) => !existing.has(t.name));
  if (missing.length > 0 && !options.dryRun) {
    const topics: ITopicConfig[] = missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor: t.replicationFactor,
      configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
    }));
    await admin.createTopics({ topics, waitForLeaders: true, ...(options.timeout ? { timeout: options.timeout } : {}) });
  }
  for (const t of missing) {
    report.created.push(t.name);
    logger.info({ topic: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, dryRun: !!options.dryRun }, 'topic created');
  }

  const present = catalog.topics.filter((t) => existing.has(t.name));
  if (present.length === 0) return report;

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const partitionsOf = new Map(metadata.topics.map((m) => [m.name, m.partitions]));
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
  });
  const configsOf = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));

  for (const t of present) {
    const change: { topic: string; partitions?: { from: number; to: number }; configs?: Record<string, readonly [string | null, string]> } = { topic: t.name };
    const parts = partitionsOf.get(t.name) ?? [];
    const current = parts.length;
    if (t.partitions > current) {
      if (!options.dryRun) {
        try {
          await admin.createPartitions({ topicPartitions: [{ topic: t.name, count: t.partitions }], ...(options.timeout ? { timeout: options.timeout } : {}) });
        } catch (e) {
          // The broker answered from metadata older than its log: the partitions may already be there.
          if ((e as { type?: string }).type !== 'INVALID_PARTITIONS' || (await partitionCount(admin, t.name)) < t.partitions) throw e;
        }
        // KRaft brokers apply metadata asynchronously: wait until the new count is visible, so that
        // the next applyTopics (or a producer) sees it.
        await waitUntil(async () => (await partitionCount(admin, t.name)) >= t.partitions, `${t.name} to show ${t.partitions} partitions`);
      }
      change.partitions = { from: current, to: t.partitions };
    } else if (t.partitions < current) {
      const w = `${t.name} has ${current} partitions, the catalog asks for ${t.partitions}; Kafka cannot remove partitions, left at ${current}`;
      report.warnings.push(w);
      logger.warn({ topic: t.name, partitions: current, catalogPartitions: t.partitions }, 'topic has more partitions than the catalog; not decreased');
    }
    const rf = parts[0]?.replicas.length;
    if (rf !== undefined && rf !== t.replicationFactor) {
      const w = `${t.name} has replication factor ${rf}, the catalog asks for ${t.replicationFactor}; change it with a partition reassignment`;
      report.warnings.push(w);
      logger.warn({ topic: t.name, replicationFactor: rf, catalogReplicationFactor: t.replicationFactor }, 'replication factor differs from the catalog; not changed');
    }

    const entries = configsOf.get(t.name) ?? [];
    const valueOf = new Map(entries.map((c) => [c.configName, c.configValue]));
    const diffs: Record<string, readonly [string | null, string]> = {};
    for (const [name, want] of Object.entries(t.config)) {
      const have = valueOf.get(name) ?? null;
      if (have !== want) diffs[name] = [have, want];
    }
    if (Object.keys(diffs).length > 0) {
      const dropped = entries.filter((c) => c.configSource === ConfigSource.TOPIC_CONFIG && !(c.configName in t.config)).map((c) => c.configName);
      if (dropped.length > 0) {
        const w = `${t.name}: overrides not in the catalog are reset to the broker default: ${dropped.join(', ')}`;
        report.warnings.push(w);
        logger.warn({ topic: t.name, configs: dropped }, 'topic overrides not in the catalog are reset');
      }
      if (!options.dryRun) {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: t.name, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) }],
        });
        await waitUntil(async () => {
          const now = await topicConfigs(admin, t.name);
          return Object.entries(t.config).every(([k, v]) => now.get(k) === v);
        }, `${t.name} to show its new configs`);
      }
      change.configs = diffs;
    }

    if (change.partitions || change.configs) {
      report.updated.push(change);
      logger.info({ topic: t.name, partitions: change.partitions, configs: change.configs ? Object.keys(change.configs) : undefined, dryRun: !!options.dryRun }, 'topic updated');
    } else report.unchanged.push(t.name);
  }
  return report;
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  return meta.topics[0]?.partitions.length ?? 0;
}

async function topicConfigs(admin: Admin, topic: string): Promise<Map<string, string>> {
  const d = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  return new Map((d.resources[0]?.configEntries ?? []).map((c) => [c.configName, c.configValue]));
}

async function waitUntil(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let delay = 50; !(await cond()); delay = Math.min(delay * 2, 1_000)) {
    if (Date.now() > end) throw new TopicCatalogError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
