import type { Cluster, Redis } from 'ioredis';

/**
 * The periods whose input is coming back from the raw archive (a reopened period, or a rebuild
 * past the topics' retention), one Redis set in the generation's key space: match reports such a
 * period as held on padan.match-status.v1 until every announced row is in its state again, so
 * report writes no snapshot from a partial period. A set, not a per-instance memory: the instance
 * that asked may not be the one that sees the last row come back.
 */
export class RedisArchiveAwaited {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
  ) {}

  private key(): string {
    return `${this.keyPrefix}archive-awaited`;
  }

  async add(periods: readonly string[]): Promise<void> {
    if (periods.length > 0) await this.redis.sadd(this.key(), ...periods);
  }

  async remove(period: string): Promise<void> {
    await this.redis.srem(this.key(), period);
  }

  async has(period: string): Promise<boolean> {
    return (await this.redis.sismember(this.key(), period)) === 1;
  }

  /** Every awaited period, sorted. */
  async list(): Promise<string[]> {
    return (await this.redis.smembers(this.key())).sort();
  }
}
