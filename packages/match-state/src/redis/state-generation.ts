import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_STATE_FORMAT } from './redis-match-state.js';

/** The Redis key of the generation marker; outside every period's hash tag, one per deployment. */
export const GENERATION_KEY = 'padan:match:generation';

export type GenerationStatus = 'intact' | 'lost' | 'unreachable';

/**
 * One generation of match's Redis state. `fresh`: started on an empty Redis by a deployment that
 * never consumed, nothing to replay. `rebuild`: started because Redis lost the state (flushed,
 * restarted empty, replaced) while match had consumed: every input partition is replayed from its
 * earliest offset into it, once (see `needsRewind`).
 */
export interface Generation {
  /** 8 random characters of base64url: no `{`, `}` or `:`, so it can sit in a key prefix. */
  readonly id: string;
  readonly kind: 'fresh' | 'rebuild';
  /**
   * When the generation was created, in µs by the Redis clock. Results carry it: a record's results of a later generation replace those of an
   * earlier one, whose evidence arrived in another order (equal `seq`s of two generations are not
   * the same evidence).
   */
  readonly epoch: number;
  /** The marker's value, `id:kind:epoch:s<state format>` (REDIS_STATE_FORMAT). */
  readonly marker: string;
}

/**
 * The prefix of every key of a generation's state. Because the generation is part of every key, a
 * state access is bound to its generation atomically, whatever the adapter does: a chunk still
 * running on a lost generation reads and writes keys no later generation ever reads (it fails its
 * check before publishing and is replayed), so stale evidence cannot leak into a rebuilt state.
 */
export function stateKeyPrefix(g: Generation): string {
  return `padan:${g.id}:`;
}

function parseMarker(value: string | null): Generation | null {
  // A marker of another state format (or an earlier version's, without one) names keys this
  // version does not read: not ours, so it is replaced and the state rebuilt (see README, upgrading).
  const m = value === null ? null : /^([A-Za-z0-9_-]{8}):(fresh|rebuild):(\d{1,16}):s(\d{1,4})$/.exec(value);
  return m && Number(m[4]) === REDIS_STATE_FORMAT ? { id: m[1] as string, kind: m[2] as Generation['kind'], epoch: Number(m[3]), marker: value as string } : null;
}

function newGeneration(kind: Generation['kind'], epoch: number): Generation {
  const id = randomBytes(6).toString('base64url');
  return { id, kind, epoch, marker: `${id}:${kind}:${epoch}:s${REDIS_STATE_FORMAT}` };
}

/** SET the marker to ARGV[2] only if it still holds ARGV[1] ('' for none); returns the marker after. */
const REPLACE_MARKER = `
local cur = redis.call('GET', KEYS[1])
if (cur == false and ARGV[1] == '') or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return ARGV[2]
end
return cur`;

/**
 * Match's state generation in Redis. Redis is a cache of what Kafka holds: when it loses match's
 * state (FLUSHALL, a restart without persistence, a replaced server) the marker is gone or is
 * another one. Every instance checks the marker against the generation it adopted (before and
 * after each chunk, and on a timer); on a loss it adopts ONE new generation: the first instance to
 * notice replaces the missing (or foreign) marker by compare-and-set, every other one finds that
 * marker and follows it. Each instance then replays its partitions into the new generation; a
 * per-generation set of rewound partitions makes a partition rewound exactly once per generation,
 * by whichever member holds it first (after a rebalance, the new owner checks the set).
 */
export class StateGeneration {
  private adopted: Generation | null = null;

  constructor(private readonly redis: Redis) {}

  /** The generation adopted last. */
  get current(): Generation {
    if (!this.adopted) throw new Error('StateGeneration: no generation adopted yet (call start first)');
    return this.adopted;
  }

  /**
   * The deployment's generation as the marker names it, without adopting or creating one (for
   * operator commands beside a running match): null when Redis holds no marker of this version.
   */
  async read(): Promise<Generation | null> {
    return parseMarker(await this.redis.get(GENERATION_KEY));
  }

  /**
   * Adopts the deployment's generation at start. On a Redis without one: a `fresh` generation when
   * match never consumed; a `rebuild` one when its group has committed offsets (the state it built
   * is gone, so its input is replayed, which a restarted match must not skip).
   */
  async start(hasConsumedBefore: () => Promise<boolean>): Promise<Generation> {
    const found = parseMarker(await this.redis.get(GENERATION_KEY));
    if (found) return (this.adopted = found);
    return this.renew(async () => ((await hasConsumedBefore()) ? 'rebuild' : 'fresh'));
  }

  /**
   * After a loss: adopts the generation another instance created since, or creates a `rebuild`
   * one. A marker that is not one of ours (a version before generations were part of the keys)
   * is replaced too: its keys are not this version's.
   */
  async renew(kind: () => Promise<Generation['kind']> = async () => 'rebuild'): Promise<Generation> {
    for (let attempt = 1; ; attempt++) {
      const value = await this.redis.get(GENERATION_KEY);
      const found = parseMarker(value);
      // Still ours: nothing was lost (a check raced a transient error).
      if (found && this.adopted && found.marker === this.adopted.marker) return this.adopted;
      // Another instance's new generation: follow it.
      if (found) return (this.adopted = found);
      // The Redis clock, one for every instance: a later generation has a larger epoch.
      const [sec, usec] = await this.redis.time();
      const next = newGeneration(await kind(), Number(sec) * 1_000_000 + Number(usec));
      const after = (await this.redis.eval(REPLACE_MARKER, 1, GENERATION_KEY, value ?? '', next.marker)) as string;
      const won = parseMarker(after);
      if (won) return (this.adopted = won);
      if (attempt >= 10) throw new Error(`the generation marker ${GENERATION_KEY} holds a value match cannot read and cannot replace; is another program writing it?`);
    }
  }

  /** Whether the marker is still the adopted generation's. */
  async check(): Promise<GenerationStatus> {
    let value: string | null;
    try {
      value = await this.redis.get(GENERATION_KEY);
    } catch {
      return 'unreachable';
    }
    return this.adopted !== null && value === this.adopted.marker ? 'intact' : 'lost';
  }

  private rewoundKey(g: Generation): string {
    return `${stateKeyPrefix(g)}rewound`;
  }

  /** Of `partitions` of `topic`, those not yet replayed into `g` (none in a `fresh` generation). */
  async needsRewind(g: Generation, topic: string, partitions: readonly number[]): Promise<number[]> {
    if (g.kind === 'fresh' || partitions.length === 0) return [];
    const marks = await this.redis.smismember(this.rewoundKey(g), ...partitions.map((p) => `${topic}/${p}`));
    return partitions.filter((_, i) => marks[i] !== 1);
  }

  /**
   * Records that partitions were rewound (and their earliest offset committed) for `g`. Marked
   * only after the commit: a crash in between makes the next owner rewind again (a replay is
   * idempotent), never skip one.
   */
  async markRewound(g: Generation, topic: string, partitions: readonly number[]): Promise<void> {
    if (partitions.length > 0) await this.redis.sadd(this.rewoundKey(g), ...partitions.map((p) => `${topic}/${p}`));
  }

  private caughtUpKey(g: Generation): string {
    return `${stateKeyPrefix(g)}caught-up`;
  }

  /** Of `partitions` of `topic`, those rewound into `g` whose replay no member has seen catch up yet. */
  async replaying(g: Generation, topic: string, partitions: readonly number[]): Promise<number[]> {
    if (g.kind === 'fresh' || partitions.length === 0) return [];
    const members = partitions.map((p) => `${topic}/${p}`);
    const [rewound, caughtUp] = await Promise.all([this.redis.smismember(this.rewoundKey(g), ...members), this.redis.smismember(this.caughtUpKey(g), ...members)]);
    return partitions.filter((_, i) => rewound[i] === 1 && caughtUp[i] !== 1);
  }

  /** Records that the replay of partitions into `g` has caught up with where they ended when rewound. */
  async markCaughtUp(g: Generation, topic: string, partitions: readonly number[]): Promise<void> {
    if (partitions.length > 0) await this.redis.sadd(this.caughtUpKey(g), ...partitions.map((p) => `${topic}/${p}`));
  }

  /**
   * Whether every partition of every topic (`partitions`: topic → partition count) was replayed
   * into `g` and caught up, by whichever members: only then is the rebuilt state whole. Always
   * true for a `fresh` generation.
   */
  async replayDone(g: Generation, partitions: Readonly<Record<string, number>>): Promise<boolean> {
    if (g.kind === 'fresh') return true;
    const members: string[] = [];
    for (const [topic, n] of Object.entries(partitions)) for (let p = 0; p < n; p++) members.push(`${topic}/${p}`);
    if (members.length === 0) return true;
    const marks = await this.redis.smismember(this.caughtUpKey(g), ...members);
    return marks.every((m) => m === 1);
  }

  /**
   * Deletes every key of a generation that was lost (SCAN + UNLINK): what chunks still running on
   * it wrote after the loss, or the whole old state when only the marker went missing. One Redis
   * node; a cluster's nodes would each be scanned. Returns how many keys were deleted.
   */
  async purge(g: Generation): Promise<number> {
    if (this.adopted?.id === g.id) throw new Error(`StateGeneration.purge: generation ${g.id} is the adopted one`);
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${stateKeyPrefix(g)}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }
}
