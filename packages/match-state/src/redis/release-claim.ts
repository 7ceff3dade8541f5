import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** SET the claim to ARGV[1] for ARGV[2] ms if it is free or already ours; 1 when held. */
const TAKE = `
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** DEL the claim only if it is ours (it may have expired and been taken by another instance). */
const GIVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The claim on releasing a period's held batches, one Redis key per period in the generation's
 * key space: one instance at a time reads, reconciles, publishes and acknowledges a page. It
 * expires after `ttlMs` so that an instance killed while releasing does not block the period; a
 * page taking longer than that may be released twice (as without the claim).
 */
/** A claim on releasing a period's held batches, shared by every match instance: the pipeline's `ReleaseClaim` port. */
export class RedisReleaseClaim {
  private readonly holder = randomUUID();

  /** `name`: what the claim is for, in its key (`<keyPrefix><name>:<period>`); other claims per period reuse this one. */
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
    private readonly ttlMs = 60_000,
    private readonly name = 'release-claim',
  ) {}

  private key(period: string): string {
    return `${this.keyPrefix}${this.name}:${period}`;
  }

  async take(period: string): Promise<boolean> {
    return Number(await this.redis.eval(TAKE, 1, this.key(period), this.holder, String(this.ttlMs))) === 1;
  }

  async give(period: string): Promise<void> {
    await this.redis.eval(GIVE, 1, this.key(period), this.holder);
  }
}
