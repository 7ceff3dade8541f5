import type { MatchState } from './match-state.js';

/**
 * A MatchState that counts the items crossing the port: every element of a call's input and of
 * its answer (array elements, map entries, and the members lists inside them). It measures the work
 * the stage asks of its state in a unit that does not depend on the machine, so a test can prove
 * that a cost grows linearly (`padan run --stats` prints it).
 */
export class CountingMatchState {
  items = 0;
  calls = 0;
  readonly state: MatchState;

  constructor(inner: MatchState) {
    const handler: ProxyHandler<MatchState> = {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          this.calls++;
          for (const a of args) this.items += weight(a);
          // Every method of the port takes at most three arguments (period, file, rows).
          const out = await (value as (a: unknown, b: unknown, c: unknown) => Promise<unknown>).call(target, args[0], args[1], args[2]);
          this.items += weight(out);
          return out;
        };
      },
    };
    this.state = new Proxy(inner, handler);
  }
}

/** Elements of collections, two levels deep (the port's answers are maps of records holding lists). */
function weight(v: unknown, depth = 0): number {
  if (Array.isArray(v)) return depth > 1 ? v.length : v.reduce((n: number, x) => n + weight(x, depth + 1), 0);
  if (v instanceof Map) {
    let n = 0;
    for (const x of v.values()) n += weight(x, depth + 1);
    return n;
  }
  if (v !== null && typeof v === 'object' && depth <= 1) {
    let n = 1;
    for (const x of Object.values(v)) if (Array.isArray(x) || x instanceof Map) n += weight(x, depth + 1);
    return n;
  }
  return 1;
}
