import { MESSAGE_KEYS, packDtksIndex, packResults, TOPICS } from '@padan/contracts';
import type { ResultBatch } from '@padan/contracts';
import type { Bus } from '@padan/runtime';
import type { MatchOutput } from './match-output.js';
import type { MatchStage } from './match-stage.js';
import { reevaluationMessages } from './reevaluation-messages.js';

export interface PublishMatchOptions {
  /** The epoch of the state generation the output was computed in, stamped on its result batches (distributed). */
  readonly epoch?: number;
  /**
   * Runs before each output is published; throwing publishes nothing of it (the service checks
   * that Redis still holds the state generation the output was computed from).
   */
  readonly beforePublish?: () => Promise<void>;
  /**
   * Sees the result batches of each publish once they are published (metrics), and how many
   * results the stage emitted for them (`padan run --stats` counts work before packing merges a
   * record's repeats).
   */
  readonly onResults?: (batches: readonly ResultBatch[], emitted: number) => void;
}

/**
 * Publishes what match produced, the one place that knows the order (the service and the
 * embedded run both call it):
 * 1. the DTKS index changes, before any result computed from them: the changelog a lost index is
 *    rebuilt from never lags the results;
 * 2. the results, many per message, keyed by file and row set (see result-batch.ts): compaction
 *    keeps the last result of every record; a record that comes out twice in one output (batches
 *    of a chunk run concurrently) keeps its most informed result only;
 * 3. the reevaluation requests to the owning partitions;
 * 4. only then the held batches it reconciled are forgotten (and the release claim given back): a
 *    crash before leaves them held, released again.
 * Then what is left of a held backlog is released page by page (`heldPending`), each page
 * published and acknowledged before the next is read, so memory holds one page.
 * Returns the periods whose held batches were acknowledged.
 */
export async function publishMatchOutput(stage: MatchStage, output: MatchOutput, bus: Pick<Bus, 'publish'>, opts: PublishMatchOptions = {}): Promise<Set<string>> {
  const acknowledged = new Set<string>();
  let pending = await publishOne(stage, output, bus, opts, acknowledged);
  while (pending.size > 0) {
    const next = new Set<string>();
    for (const period of pending) {
      for (const p of await publishOne(stage, await stage.poll(period), bus, opts, acknowledged)) next.add(p);
    }
    pending = next;
  }
  return acknowledged;
}

async function publishOne(stage: MatchStage, output: MatchOutput, bus: Pick<Bus, 'publish'>, opts: PublishMatchOptions, acknowledged: Set<string>): Promise<ReadonlySet<string>> {
  await opts.beforePublish?.();
  if (output.indexChanges.length > 0) {
    // Many rows per message, keyed by file and row set (see dtks-index-batch.ts).
    await bus.publish(TOPICS.dtksIndex, packDtksIndex(output.indexChanges).map((b) => ({ key: MESSAGE_KEYS.dtksIndexBatch(b), value: b })));
  }
  if (output.results.length > 0) {
    const epoch = opts.epoch;
    const batches = epoch === undefined ? packResults(output.results) : packResults(output.results).map((b) => ({ ...b, epoch }));
    await bus.publish(TOPICS.results, batches.map((value) => ({ key: MESSAGE_KEYS.resultBatch(value), value })));
    opts.onResults?.(batches, output.results.length);
  }
  if (output.reevaluations.size > 0) await bus.publish(TOPICS.normalized, reevaluationMessages(output.reevaluations));
  for (const period of await stage.acknowledge(output.acks)) acknowledged.add(period);
  return output.heldPending;
}
