import type { MatchResult, MismatchEvent } from '@padan/contracts';
import { mismatchEvent } from './mismatch-events.js';
import type { ResultEntry } from './result-store.js';
import type { RunEntry } from './run-file.js';
import { compareRows, readRun, RunWriter } from './run-file.js';

/** Events handed to `publish` at a time: memory holds one chunk, however many records are flagged. */
export const EVENT_CHUNK = 1000;

/** What a dashboard sees of a finding: an event goes out again only when this changes. */
export function findingSignature(r: MatchResult): string {
  return `${r.reasons.join(';')}|${r.details.join(';')}|${r.suggestedNik !== null}`;
}

export interface PublishFindingsInput {
  /** Every row's latest result, in row order (the merged runs). */
  readonly latest: AsyncIterable<RunEntry<ResultEntry>>;
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
  const old = input.previous === null ? null : readRun<string>(input.previous);
  const out = new RunWriter<string>(input.next);
  let head = old ? await old.next() : null;
  const advance = async (): Promise<void> => {
    head = old ? await old.next() : null;
  };
  let events: MismatchEvent[] = [];
  let published = 0;
  try {
    for await (const e of input.latest) {
      if (!('flagged' in e.value) || !input.isAnnounced(e.source, e.file)) continue;
      while (head && !head.done && compareRows(head.value, e) < 0) {
        await out.write(head.value);
        await advance();
      }
      let before: string | null = null;
      if (head && !head.done && compareRows(head.value, e) === 0) {
        before = head.value.value;
        await advance();
      }
      const r = e.value.flagged;
      const sig = findingSignature(r);
      await out.write({ source: e.source, file: e.file, row: e.row, rank: 0, arrival: 0, value: sig });
      if (before === sig) continue;
      events.push(mismatchEvent(r, input.hashKey));
      if (events.length >= EVENT_CHUNK) {
        await input.publish(events);
        published += events.length;
        events = [];
      }
    }
    while (head && !head.done) {
      await out.write(head.value);
      await advance();
    }
    if (events.length > 0) await input.publish(events);
    published += events.length;
  } finally {
    await old?.return(undefined);
    await out.close();
  }
  return published;
}
