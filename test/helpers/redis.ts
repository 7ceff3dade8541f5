import { randomUUID } from 'node:crypto';

/**
 * The Redis of the integration tests, from `REDIS_URL` (redis://host:port).
 * Never skips: without it the tests fail with this message.
 */
export function redisUrl(): string {
  const url = process.env['REDIS_URL']?.trim();
  if (!url) {
    throw new Error(
      'REDIS_URL is not set: the Redis integration tests need a Redis server. ' +
        'Start the services with pnpm stack:up and source .stack/env, or run the suite through .ci/run',
    );
  }
  if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  return url;
}

/**
 * The seed nodes of the integration tests' Redis Cluster (three masters): PADAN_TEST_REDIS_CLUSTER_NODES,
 * set by the global setup from REDIS_CLUSTER_NODES. Never skips: without it the tests fail with this message.
 */
export function redisClusterNodes(): { host: string; port: number }[] {
  const nodes = (process.env['PADAN_TEST_REDIS_CLUSTER_NODES'] ?? process.env['REDIS_CLUSTER_NODES'])?.trim();
  if (!nodes) {
    throw new Error(
      'REDIS_CLUSTER_NODES is not set: the Redis Cluster tests need a cluster of three masters. ' +
        'Start one with pnpm stack:up --redis-cluster and source .stack/env, or run the suite through .ci/run',
    );
  }
  return nodes.split(',').map((n) => {
    const m = /^\s*([^\s:,]+):(\d{1,5})\s*$/.exec(n);
    if (!m) throw new Error(`REDIS_CLUSTER_NODES must be a comma-separated host:port list, got ${JSON.stringify(nodes)}`);
    return { host: m[1] as string, port: Number(m[2]) };
  });
}

/** A key prefix no other test run uses: `padan-test-<uuid>:`. */
export function testKeyPrefix(): string {
  return `padan-test-${randomUUID()}:`;
}

/** The two commands key cleanup needs (an ioredis client has them). */
export interface ScanUnlink {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
  unlink(...keys: string[]): Promise<number>;
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK); returns how many. */
export async function deleteKeysWithPrefix(redis: ScanUnlink, prefix: string): Promise<number> {
  if (!prefix.startsWith('padan-test-')) throw new Error(`refusing to delete keys outside a test prefix: ${prefix}`);
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
