import { z } from 'zod';
import type { S3ObjectStoreOptions } from './s3-object-store.js';

const NOT_SET = 'not set';

/**
 * The S3 settings of the environment, as zod fields: a service spreads them into its one
 * configuration schema (`loadConfig`), and `S3ObjectStore.fromEnv` parses the same fields, so a
 * variable has one rule and one default wherever it is read. Messages name variables, never values.
 */
export const s3Env = {
  S3_ENDPOINT: z.url('must be a URL, e.g. http://127.0.0.1:9000').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string({ error: NOT_SET }).min(3, 'shorter than a bucket name (3 characters)'),
  S3_ACCESS_KEY_ID: z.string({ error: NOT_SET }).min(1),
  S3_SECRET_ACCESS_KEY: z.string({ error: NOT_SET }).min(1),
  /** Path-style addressing; default: true with an endpoint (s3proxy, MinIO), false without (AWS). */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], 'true or false').optional(),
};

/** Parsed S3 settings (see `s3Env`). */
export type S3Env = z.infer<z.ZodObject<typeof s3Env>>;

/** The store options of parsed S3 settings. */
export function s3OptionsOf(e: S3Env): S3ObjectStoreOptions {
  return {
    ...(e.S3_ENDPOINT !== undefined ? { endpoint: e.S3_ENDPOINT } : {}),
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    credentials: { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY },
    forcePathStyle: e.S3_FORCE_PATH_STYLE === undefined ? e.S3_ENDPOINT !== undefined : e.S3_FORCE_PATH_STYLE === 'true',
  };
}

/**
 * Parses the S3 settings of `env` (empty values count as unset). Thrown with every broken rule,
 * by variable name, never a value: unset required variables first, with how to set them.
 */
export function parseS3Env(env: NodeJS.ProcessEnv): S3Env {
  const input: Record<string, string | undefined> = {};
  for (const k of Object.keys(s3Env)) input[k] = env[k] === '' ? undefined : env[k];
  const parsed = z.object(s3Env).safeParse(input);
  if (parsed.success) return parsed.data;
  const missing = parsed.error.issues.filter((i) => i.message === NOT_SET).map((i) => i.path.join('.'));
  const broken = parsed.error.issues.filter((i) => i.message !== NOT_SET).map((i) => `${i.path.join('.')}: ${i.message}`);
  const parts = [
    ...(missing.length > 0 ? [`${missing.join(', ')} not set; start the local services with pnpm stack:up and source .stack/env, or set them`] : []),
    ...broken,
  ];
  throw new Error(`S3ObjectStore: ${parts.join('; ')}`);
}
