import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The Redis key of the generation marker; outside every period's hash tag, one per deployment. */
export const GENERATION_KEY = 'padan:match:generation';

export type GenerationStatus = 'intact' | 'lost' | 'unreachable';

/**
 * Detects that Redis lost match's state (flushed, or restarted without its data). The first match
 * instance of a deployment writes a random generation marker; every instance remembers the one
 * it found and checks it (before each chunk and on a timer). A missing or different marker means
 * the state match built is gone: reconciling on would hold program batches for ever (no DTKS
 * release "complete") or publish false NOT_IN_DTKS findings. A marker missing at start is a loss
 * too when match has consumed before (its group has committed offsets) and no key of its state is
 * left: otherwise a restarted match would silently start a new generation on an empty state.
 */
export class StateGeneration {
  private generation: string | null = null;

  constructor(private readonly redis: Redis) {}

  /** Adopts the deployment's generation, or starts one when Redis has none and match never consumed. */
  async start(hasConsumedBefore: () => Promise<boolean>): Promise<GenerationStatus> {
    const current = await this.redis.get(GENERATION_KEY);
    if (current !== null) {
      this.generation = current;
      return 'intact';
    }
    // Consumed before, yet no marker: a loss if the state is gone too; if match's keys are there,
    // this Redis was filled by a version that wrote no marker (an upgrade): adopt it.
    if ((await hasConsumedBefore()) && !(await this.holdsState())) return 'lost';
    // NX: of two instances starting together on a fresh deployment, both adopt the first marker.
    await this.redis.set(GENERATION_KEY, randomUUID(), 'NX');
    this.generation = await this.redis.get(GENERATION_KEY);
    return this.generation === null ? 'lost' : 'intact';
  }

  /** Whether Redis holds any key of match's state (`padan:{period}:…`), found by SCAN at start only. */
  private async holdsState(): Promise<boolean> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', 'padan:{*', 'COUNT', 10_000);
      if (keys.length > 0) return true;
      cursor = next;
    } while (cursor !== '0');
    return false;
  }

  /** Whether the marker is still the one adopted; a restored Redis (marker back) counts as intact again. */
  async check(): Promise<GenerationStatus> {
    let current: string | null;
    try {
      current = await this.redis.get(GENERATION_KEY);
    } catch {
      return 'unreachable';
    }
    if (current === null) return 'lost';
    // Lost at start, then restored from a backup: adopt the restored generation.
    this.generation ??= current;
    return current === this.generation ? 'intact' : 'lost';
  }
}
