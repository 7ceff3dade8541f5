import type { MatchResult, MismatchEvent } from '@padan/contracts';
import { mismatchEvent } from './mismatch-events.js';
import type { ResultEntry } from './result-store.js';
import { MERGE_CHUNK } from './merge-runs.js';
import type { RunEntry } from './run-file.js';
import { compareRows, readRun, RunCursor, RunWriter } from './run-file.js';

/** Events handed to `publish` at a time: memory holds one chunk, however many records are flagged. */
export const EVENT_CHUNK = 1000;

/** What a dashboard sees of a finding: an event goes out again only when this changes. */
export function findingSignature(r: MatchResult): string {
  return `${r.reasons.join(';')}|${r.details.join(';')}|${r.suggestedNik !== null}`;
}

export interface PublishFindingsInput {
  /** Every row's latest result, in row order, in chunks (the merged runs). */
  readonly latest: AsyncIterable<RunEntry<ResultEntry>[]>;
  readonly isAnnounced: (source: string, file: string) => boolean;
  /** The run of signatures published so far (row order), or null before the first publication. */
  readonly previous: string | null;
  /** Where the run of signatures published after this call is written. */
  readonly next: string;
  readonly hashKey: string;
  readonly publish: (events: readonly MismatchEvent[]) => Promise<void>;
}

/**
 * Publishes an event for each flagged record of an announced file whose finding was never
 * published or changed since, and writes the signatures now published as a run: a merge join of
 * two streams in row order, so neither the findings nor the signatures are held in memory. A
 * signature stays in the run when its record turns clean, so a record flagged again the same way
 * is not published twice. Returns the number of events published.
 */
export async function publishChangedFindings(input: PublishFindingsInput): Promise<number> {
  const old = input.previous === null ? null : await RunCursor.open(readRun<string>(input.previous));
  const out = new RunWriter<string>(input.next);
  let events: MismatchEvent[] = [];
  let published = 0;
  try {
    for await (const chunk of input.latest) {
      // Signatures of this chunk's rows (and the older ones they pass), written in one go.
      const kept: RunEntry<string>[] = [];
      for (const e of chunk) {
        if (!('flagged' in e.value) || !input.isAnnounced(e.source, e.file)) continue;
        let before: string | null = null;
        while (old !== null && old.head !== null) {
          const c = compareRows(old.head, e);
          if (c > 0) break;
          if (c === 0) before = old.head.value;
          else kept.push(old.head);
          const reading = old.advance();
          if (reading !== null) await reading;
        }
        const r = e.value.flagged;
        const sig = findingSignature(r);
        kept.push({ source: e.source, file: e.file, row: e.row, rank: 0, arrival: 0, value: sig });
        if (before === sig) continue;
        events.push(mismatchEvent(r, input.hashKey));
        if (events.length >= EVENT_CHUNK) {
          await input.publish(events);
          published += events.length;
          events = [];
        }
      }
      await out.writeAll(kept);
    }
    const rest: RunEntry<string>[] = [];
    while (old !== null && old.head !== null) {
      rest.push(old.head);
      const reading = old.advance();
      if (reading !== null) await reading;
      if (rest.length >= MERGE_CHUNK) await out.writeAll(rest.splice(0));
    }
    await out.writeAll(rest);
    if (events.length > 0) await input.publish(events);
    published += events.length;
  } finally {
    await old?.close();
    await out.close();
  }
  return published;
}
