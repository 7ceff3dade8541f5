import type { MatchState } from './match-state.js';

/**
 * A MatchState that counts the items crossing the port: the elements of a call's input lists and
 * the entries of its answer with the lists inside them. It measures the work
 * the stage asks of its state in a unit that does not depend on the machine, so a test can prove
 * that a cost grows linearly (`padan run --stats` prints it).
 */
export class CountingMatchState {
  items = 0;
  calls = 0;
  readonly state: MatchState;

  constructor(inner: MatchState) {
    // One wrapper per method, made on first use: not a closure per call on the hot path.
    const wrapped = new Map<string | symbol, unknown>();
    const handler: ProxyHandler<MatchState> = {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const known = wrapped.get(prop);
        if (known !== undefined) return known;
        const wrapper = async (...args: unknown[]) => {
          this.calls++;
          for (const a of args) this.items += weight(a);
          // Every method of the port takes at most three arguments (period, file, rows).
          const out = await (value as (a: unknown, b: unknown, c: unknown) => Promise<unknown>).call(target, args[0], args[1], args[2]);
          this.items += weight(out);
          return out;
        };
        wrapped.set(prop, wrapper);
        return wrapper;
      },
    };
    this.state = new Proxy(inner, handler);
  }
}

/**
 * Items of one argument or answer: an array's length; a map's entries, each counting 1 plus the
 * length of every list directly inside it (the `all` and `persons` lists of the port's answers).
 * Lengths only, never a walk over records: this runs on the embedded hot path.
 */
function weight(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (!(v instanceof Map)) return 1;
  let n = 0;
  for (const x of v.values()) {
    n++;
    if (Array.isArray(x)) n += x.length;
    else if (x instanceof Map) n += x.size;
    else if (x !== null && typeof x === 'object') {
      // for-in over a plain answer object: its own fields, without an array of them per entry.
      const o = x as Record<string, unknown>;
      for (const name in o) {
        const f = o[name];
        if (Array.isArray(f)) n += f.length;
        else if (f instanceof Map) for (const l of f.values()) n += Array.isArray(l) ? l.length : 1;
      }
    }
  }
  return n;
}
