import type { MatchState } from '@padan/match-state';

/**
 * The match state of a generation being rebuilt, as the stage must see it: no period's DTKS
 * release is complete until every input partition has been replayed into the generation.
 *
 * Why: report writes a period's snapshot as soon as every row has a result. After Redis lost the
 * state, rows reconciled before the loss still have their (possibly not yet final) results; if
 * program records were reconciled as their partition's replay reaches them, the last rows could be
 * accounted for while another partition's replay has not yet re-added the evidence (an earlier
 * duplicate, a PKH record of the family) that changes an earlier result, and the snapshot would be
 * written too early. Holding program batches until the whole replay is in makes the rebuild the
 * tested path of a release completed after its program files: the index and the DTKS completeness
 * first, then every held program batch against the whole evidence. DTKS rows are indexed
 * meanwhile (their results depend only on rows of their own partition, replayed in order).
 *
 * A Proxy rather than a class listing every method: the MatchState port is being reshaped (issue 7,
 * match state in its own package), and only `dtksExpected` is gated.
 */
export function gateDtksRelease<S extends MatchState>(state: S, open: () => boolean): S {
  return new Proxy(state, {
    get(target, property, receiver) {
      if (property === 'dtksExpected' && !open()) return async () => new Map<string, number>();
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
