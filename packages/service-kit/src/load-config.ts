import { z } from 'zod';

/** Thrown when an environment variable breaks its rule; names the variable, never its value. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration: ${issues.join('; ')}; see README "Configuration"`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a service's configuration once, at the edge, from `env` (default process.env) with a
 * strict zod schema. Unknown variables are ignored (the environment holds much else); every
 * variable the schema names is checked and the result is frozen.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) input[key] = env[key] === '' ? undefined : env[key];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}

const HOST_PORT = /^[^\s:,]+:\d{1,5}$/;

/** Variables every service shares. */
export const commonEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  KAFKA_BROKERS: z
    .string({ error: 'required: comma-separated host:port list' })
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .refine((l) => l.length > 0 && l.every((b) => HOST_PORT.test(b)), 'must be a comma-separated host:port list'),
  KAFKA_CLIENT_ID: z.string().optional(),
  PADAN_INSTANCE_ID: z.string().optional(),
};

export const s3Env = {
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string({ error: 'required: the bucket padan reads and writes' }).min(3),
  S3_ACCESS_KEY_ID: z.string({ error: 'required' }).min(1),
  S3_SECRET_ACCESS_KEY: z.string({ error: 'required' }).min(1),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
};

/** match's Redis: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES, which wins when both are set); see redisTarget. */
export const redisEnv = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean))
    .refine((l) => l.length > 0 && l.every((n) => HOST_PORT.test(n)), 'must be a comma-separated host:port list of cluster nodes')
    .transform((l) => l.map((n) => ({ host: n.slice(0, n.lastIndexOf(':')), port: Number(n.slice(n.lastIndexOf(':') + 1)) })))
    .optional(),
};

/** Where the match state lives: one Redis, or the seed nodes of a Redis Cluster. */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: readonly { readonly host: string; readonly port: number }[] };

/**
 * The Redis a service uses, from its parsed redisEnv variables: the cluster when
 * REDIS_CLUSTER_NODES is set, else REDIS_URL. Throws a ConfigError when neither is set.
 */
export function redisTarget(config: { readonly REDIS_URL?: string | undefined; readonly REDIS_CLUSTER_NODES?: readonly { readonly host: string; readonly port: number }[] | undefined }): RedisTarget {
  if (config.REDIS_CLUSTER_NODES) return { clusterNodes: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  throw new ConfigError(['REDIS_URL: required (redis://host:port), unless REDIS_CLUSTER_NODES names the nodes of a Redis Cluster']);
}

/** match and report: how long rows may stay held or unaccounted for before a period counts as stalled. */
export const stallEnv = {
  PADAN_STALL_AFTER_SECONDS: z.coerce.number().int().min(1).default(900),
};
