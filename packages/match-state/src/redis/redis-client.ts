import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';

/** Where the state lives: one Redis by URL, or the seed nodes of a Redis Cluster (service-kit's redisTarget). */
export type RedisClientTarget = { readonly url: string } | { readonly clusterNodes: readonly { readonly host: string; readonly port: number }[] };

/**
 * A client for the target: ioredis `Redis` for one server, ioredis `Cluster` for a cluster (it
 * follows MOVED/ASK redirects and routes each command, script and pipeline by slot; the state
 * keeps each script and pipeline within one slot, see KeyLayout).
 */
export function connectRedis(target: RedisClientTarget, options: Pick<RedisOptions, 'maxRetriesPerRequest'> = {}): Redis | Cluster {
  if ('url' in target) return new Redis(target.url, { lazyConnect: false, maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3 });
  const clusterOptions: ClusterOptions = { redisOptions: { maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3 } };
  return new Cluster(
    target.clusterNodes.map((n) => ({ host: n.host, port: n.port })),
    clusterOptions,
  );
}
