import { nameKey } from './name-key.js';

/**
 * Distinct names this many at most are remembered; then the memory starts afresh. Bounded so
 * that memory follows this constant, not the file: a province's lists repeat the same names
 * (a registry of a million rows holds some ten thousand distinct ones), so most lookups hit.
 */
export const NAME_KEY_CACHE_SIZE = 1 << 15;

/**
 * nameKey computed once per distinct name: a Map lookup costs less than the tokenising, and the
 * key returned is the same string for every repeat. The result is nameKey's whatever was cached,
 * so output does not depend on the order rows arrive in.
 */
export class NameKeyCache {
  private readonly keys = new Map<string, string>();

  constructor(private readonly size: number = NAME_KEY_CACHE_SIZE) {}

  keyOf(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) {
      key = nameKey(name);
      // Start afresh rather than evict one by one: no bookkeeping per hit, and the names of the
      // rows that follow fill it again.
      if (this.keys.size >= this.size) this.keys.clear();
      this.keys.set(name, key);
    }
    return key;
  }
}
