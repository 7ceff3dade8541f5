import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { maskDeadLetterText } from './dead-letter-text.js';
import { latestSnapshot, snapshotFile, SnapshotError } from './snapshot-folder.js';

/** One dead letter as `padan dlq inspect` lists it. `text` is the row's text, masked. */
export interface DeadLetterListing {
  readonly period: string;
  readonly program: string;
  readonly file: string;
  readonly row: number;
  readonly reason: string;
  readonly message: string;
  readonly text: string;
  /** Where it was read from: a rejected.jsonl path, or `topic/partition@offset`. */
  readonly origin: string;
}

/** A line of a snapshot's rejected.jsonl (see services/report snapshot.ts). */
interface RejectedLine {
  program: string;
  source_file: string;
  source_row: number;
  reason: string;
  message: string;
  raw: string;
}

/** The periods that have snapshots under an embedded `--out`. */
function periodsUnder(outDir: string): string[] {
  const dir = join(outDir, 'snapshots');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.startsWith('period='))
    .map((n) => n.slice('period='.length))
    .sort();
}

/**
 * Dead letters of the latest snapshot of `period` (or of every period) under an embedded `--out`,
 * streamed from rejected.jsonl after the snapshot's manifest checksums are verified.
 */
export async function* snapshotDeadLetters(outDir: string, period?: string): AsyncGenerator<DeadLetterListing> {
  const periods = period ? [period] : periodsUnder(outDir);
  if (periods.length === 0) throw new SnapshotError(`no snapshot under ${outDir}; run padan run --out ${outDir} first, or give the --out of an earlier run`);
  for (const p of periods) {
    const snap = await latestSnapshot(outDir, p);
    const path = snapshotFile(snap.dir, snap.manifest, 'rejected.jsonl');
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const r = JSON.parse(line) as RejectedLine;
      yield { period: p, program: r.program, file: r.source_file, row: r.source_row, reason: r.reason, message: maskDeadLetterText(r.message), text: maskDeadLetterText(r.raw), origin: path };
    }
  }
}

export const DEAD_LETTER_HEADER = ['period', 'program', 'file', 'row', 'reason', 'text'].join('\t');

/** One tab-separated line; tabs and line breaks inside the text are shown as spaces. */
export function formatDeadLetter(d: DeadLetterListing): string {
  const flat = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  return [d.period, d.program, flat(d.file), String(d.row), d.reason, flat(d.text)].join('\t');
}
