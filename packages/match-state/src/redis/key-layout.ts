import { clusterSlot, SLOTS } from './cluster-slot.js';

/**
 * The per-item hashes and how many items each holds per DTKS row of a release, at most (the share
 * of `hashesPerBucket`, which is sized for one item per row): a NIK per row (`dtks`), a NIK held
 * by several rows far fewer (`dtks:n`), a household (~4 persons) per No. KK (`kk`), a program row
 * per base result and `program|nik` (`base`, `occ`: a national program can list as many people as
 * DTKS), a family per two program rows at most (`fam`). Birth dates are bounded whatever the size
 * (`dates`: about 36 500 days of living people's births, DATE_HASHES hashes in all).
 * Changing a share changes the keys: the state must then be rebuilt (a new state generation).
 */
const HASH_SHARE = { dtks: 1, 'dtks:n': 1 / 16, kk: 1 / 4, bd: 'dates', base: 1, occ: 1, fam: 1 / 2 } as const;
/** Hashes of the birth-date index in all: ~36 dates each, far under 512 fields. */
const DATE_HASHES = 1024;

export type HashKind = keyof typeof HASH_SHARE;

/**
 * Where each key of the match state lives, so that a period spreads over every master of a Redis
 * Cluster while each Lua script stays within one slot.
 *
 * Keys are spread over `buckets` buckets by the item they hold (a NIK, a family, a record key, a
 * birth date, a No. KK). Bucket b's keys carry the hash tag `{t}` of the string t = tags[b], which is
 * chosen so that bucket b's slot lies in the b-th of `buckets` equal slot ranges: the buckets are
 * evenly spaced over the 16384 slots, so any split of the slots into contiguous ranges (what
 * `redis-cli --cluster create` and rebalancing do) gives every master its share of every period.
 * The tag does not contain the period: the period and the release are in the key's name, and bucket
 * b of every period shares slot tags[b], which is where it is needed (a script touches one bucket).
 *
 * The DTKS index is keyed by its release (`r:<release>`, today the period's release: the port names
 * the period) and the evidence by a generation of its period (`p:<period>:g<generation>`), so a later
 * reprocessing can build another generation beside the live one and switch.
 */
export class KeyLayout {
  readonly tags: readonly string[];
  /** Small hashes per bucket of each kind (see hashOf). */
  private readonly hashCounts: Readonly<Record<HashKind, number>>;

  constructor(
    readonly prefix: string,
    readonly buckets: number,
    readonly generation: string,
    readonly hashesPerBucket: number,
  ) {
    if (!Number.isInteger(hashesPerBucket) || hashesPerBucket < 1 || hashesPerBucket > 1 << 20) throw new Error(`RedisMatchState: hashesPerBucket must be an integer from 1 to 2^20, got ${hashesPerBucket}`);
    if (/[{}]/.test(prefix)) throw new Error(`RedisMatchState: keyPrefix "${prefix}" must not contain { or }: the bucket is the key's hash tag`);
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1024) throw new Error(`RedisMatchState: buckets must be an integer from 1 to 1024, got ${buckets}`);
    if (!/^[0-9A-Za-z_-]+$/.test(generation)) throw new Error(`RedisMatchState: generation "${generation}" must be letters, digits, - or _`);
    this.tags = bucketTags(buckets);
    const counts = {} as Record<HashKind, number>;
    for (const kind of Object.keys(HASH_SHARE) as HashKind[]) {
      const share = HASH_SHARE[kind];
      counts[kind] = Math.max(1, share === 'dates' ? Math.min(hashesPerBucket, Math.ceil(DATE_HASHES / buckets)) : Math.round(hashesPerBucket * share));
    }
    this.hashCounts = counts;
  }

  /** The bucket of an item: FNV-1a of its text, modulo the bucket count. */
  bucketOf(item: string): number {
    return fnv1a(item) % this.buckets;
  }

  /**
   * The small hash of its bucket that holds an item's field: `<kind>:<n>`, n from the same hash
   * as the bucket. Redis keeps a hash listpack-encoded (a few bytes per field instead of a table
   * entry of ~50) while it has at most hash-max-listpack-entries fields of at most
   * hash-max-listpack-value bytes; `hashesPerBucket` is sized so that a release of a province stays
   * under 512 fields per hash (README, Configuration: hash-max-listpack-entries 512,
   * hash-max-listpack-value 1024). A kind with fewer items than DTKS rows has fewer hashes
   * (HASH_SHARE): every key costs ~90 bytes of its own, so a hash of 5 fields costs twice its fields.
   */
  hashOf(kind: HashKind, item: string): string {
    return `${kind}:${this.hashIndex(kind, item)}`;
  }

  /** The n of hashOf: which of its kind's small hashes holds the item. */
  hashIndex(kind: HashKind, item: string): number {
    return Math.floor(fnv1a(item) / this.buckets) % this.hashCounts[kind];
  }

  /** Prefix of bucket b's keys of the DTKS release of `period`. */
  release(period: string, b: number): string {
    return `${this.prefix}{${this.tags[b] as string}}:r:${checked(period)}:`;
  }

  /** Prefix of bucket b's keys of the period's evidence (current generation). */
  evidence(period: string, b: number): string {
    return `${this.prefix}{${this.tags[b] as string}}:p:${checked(period)}:g${this.generation}:`;
  }

  /** Glob patterns matching every key of a period (its release and its evidence, every generation). */
  periodPatterns(period: string): string[] {
    const p = escapeGlob(this.prefix);
    const q = escapeGlob(checked(period));
    return [`${p}{*}:r:${q}:*`, `${p}{*}:p:${q}:g*`];
  }

  /**
   * Glob patterns matching the keys of the period's evidence (current generation) whose names
   * start with one of `kinds` (e.g. `base:` also matches nothing else: every kind ends with `:`).
   */
  evidencePatterns(period: string, kinds: readonly string[]): string[] {
    const head = `${escapeGlob(this.prefix)}{*}:p:${escapeGlob(checked(period))}:g${this.generation}:`;
    return kinds.map((k) => `${head}${escapeGlob(k)}*`);
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function checked(period: string): string {
  if (/[{}:*?[\]\\]/.test(period)) throw new Error(`RedisMatchState: period "${period}" must not contain { } : * ? [ ] or \\`);
  return period;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** For each bucket b, the first tag `b<b>.<n>` whose slot falls in the b-th of `buckets` equal slot ranges. */
function bucketTags(buckets: number): string[] {
  const tags: string[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * SLOTS) / buckets);
    const to = Math.floor(((b + 1) * SLOTS) / buckets);
    for (let n = 0; ; n++) {
      const tag = `b${b}.${n}`;
      const slot = clusterSlot(tag);
      if (slot >= from && slot < to) {
        tags.push(tag);
        break;
      }
    }
  }
  return tags;
}
