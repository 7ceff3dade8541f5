/** A pipeline as ioredis gives one (with the scripts defined on the client). */
export interface Pipeline {
  exec(): Promise<[Error | null, unknown][] | null>;
}

/**
 * The commands of one state call, queued per bucket. On one Redis they go out as one pipeline in
 * the order queued; on a Cluster, as one pipeline per bucket (ioredis sends a pipeline to one node,
 * and a bucket is one slot), all at once, each in the order queued. Replies come back in the order
 * the commands were queued, whatever the mode.
 */
export class BucketPipelines<P extends Pipeline> {
  private readonly pipes = new Map<number, P>();
  private readonly sizes = new Map<number, number>();
  private readonly queued: [number, number][] = [];

  constructor(
    private readonly make: () => P,
    private readonly perBucket: boolean,
  ) {}

  /** The pipeline to queue exactly one command on for bucket b. */
  on(b: number): P {
    const k = this.perBucket ? b : 0;
    let p = this.pipes.get(k);
    if (p === undefined) {
      p = this.make();
      this.pipes.set(k, p);
    }
    const n = this.sizes.get(k) ?? 0;
    this.sizes.set(k, n + 1);
    this.queued.push([k, n]);
    return p;
  }

  get size(): number {
    return this.queued.length;
  }

  /** Sends every pipeline; the replies (or errors) in the order the commands were queued. */
  async exec(): Promise<[Error | null, unknown][]> {
    const keys = [...this.pipes.keys()];
    const results = await Promise.all(keys.map((k) => (this.pipes.get(k) as P).exec()));
    const byKey = new Map<number, [Error | null, unknown][]>();
    keys.forEach((k, i) => {
      const r = results[i];
      if (!r) throw new Error('the pipeline was discarded');
      byKey.set(k, r);
    });
    return this.queued.map(([k, n]) => (byKey.get(k) as [Error | null, unknown][])[n] as [Error | null, unknown]);
  }
}
