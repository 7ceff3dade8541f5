import type { DtksIndexEntry, MatchResult } from '@padan/contracts';
import type { BaseResult } from '@padan/match-state';

/**
 * What one call of the match stage produced. The stage keeps none of it: the caller publishes it
 * with `publishMatchOutput`, which applies every part in the order crash safety needs, so no caller
 * has to drain queues of the stage in the right order (issue 7).
 */
export interface MatchOutput {
  /** Results to publish. */
  readonly results: readonly MatchResult[];
  /** DTKS index entries the call changed, one per row (stage option `changelog`): the compacted changelog a lost index is rebuilt from. */
  readonly indexChanges: readonly DtksIndexEntry[];
  /** Records another partition owns whose result the call's evidence changed, by owning partition (stage option `owner`). */
  readonly reevaluations: ReadonlyMap<number, readonly BaseResult[]>;
  /** Held batches the call reconciled, by period: forgotten (`MatchStage.acknowledge`) once the results are published. */
  readonly acks: ReadonlyMap<string, readonly string[]>;
  /** Periods whose release returned a full page of held batches (stage option `heldPage`): more may be waiting. */
  readonly heldPending: ReadonlySet<string>;
}

/** The output a call builds up; handed out as a MatchOutput. */
export interface MatchOutputBuilder extends MatchOutput {
  readonly results: MatchResult[];
  readonly indexChanges: DtksIndexEntry[];
  readonly reevaluations: Map<number, BaseResult[]>;
  readonly acks: Map<string, string[]>;
  readonly heldPending: Set<string>;
}

export function emptyMatchOutput(): MatchOutputBuilder {
  return { results: [], indexChanges: [], reevaluations: new Map(), acks: new Map(), heldPending: new Set() };
}

/**
 * One output of several calls (a chunk's batches run concurrently): published once, so a chunk
 * costs one produce per topic. Loops, not spreads: a released backlog can hold more results than
 * the call stack allows arguments.
 */
export function mergeMatchOutputs(outputs: readonly MatchOutput[]): MatchOutput {
  const out = emptyMatchOutput();
  for (const o of outputs) {
    for (const r of o.results) out.results.push(r);
    for (const e of o.indexChanges) out.indexChanges.push(e);
    for (const [partition, bases] of o.reevaluations) appendAll(out.reevaluations, partition, bases);
    for (const [period, ids] of o.acks) appendAll(out.acks, period, ids);
    for (const period of o.heldPending) out.heldPending.add(period);
  }
  return out;
}

/** Appends `items` to the list of `key`. */
export function appendAll<K, V>(map: Map<K, V[]>, key: K, items: readonly V[]): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  for (const x of items) list.push(x);
}
