import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { InputError, sha256File } from '@padan/io';
import { fixKey } from '@padan/pipeline';
import type { EmbeddedRunResult, Fix } from '@padan/pipeline';
import { DEAD_LETTER_HEADER, formatDeadLetter, snapshotDeadLetters } from './dead-letters.js';
import type { DeadLetterListing } from './dead-letters.js';
import { readFixesFile } from './fixes-file.js';
import { inputPath, readRunRecord, writeRunRecord } from './run-record.js';
import { runPeriod } from './period-run.js';
import { latestSnapshot } from './snapshot-folder.js';
import { UsageError } from './usage-error.js';

export interface DlqInspectArgs {
  period?: string;
  out?: string;
  topic?: boolean;
}

/**
 * `padan dlq inspect`: lists dead letters (period, program, file, row, reason, masked text), from
 * the latest snapshot of each period under an embedded `--out`, or from padan.rejected.v1.
 * Returns how many were listed.
 */
export async function dlqInspectCommand(args: DlqInspectArgs, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`), warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  if (args.out && args.topic) throw new UsageError('give --out DIR (dead letters of an embedded run) or --topic (padan.rejected.v1), not both');
  if (!args.out && !args.topic) throw new UsageError('give --out DIR (dead letters of an embedded run) or --topic (padan.rejected.v1 on KAFKA_BROKERS)');
  let n = 0;
  // The header comes with the first line, so an error (no snapshot, a broken one) prints alone.
  const show = (d: DeadLetterListing): void => {
    if (n++ === 0) log(DEAD_LETTER_HEADER);
    log(formatDeadLetter(d));
  };
  if (args.topic) {
    const { topicDeadLetters } = await import('./dead-letter-topic.js');
    await topicDeadLetters(args.period, show);
  } else {
    for await (const d of snapshotDeadLetters(resolve(args.out as string), args.period)) show(d);
  }
  warn(`padan: ${n} dead letter${n === 1 ? '' : 's'}${args.period ? ` in period ${args.period}` : ''}`);
  return n;
}

export interface DlqRedriveArgs {
  period: string;
  out: string;
  fixes: string;
}

/**
 * `padan dlq redrive`: replays fixed rows into the period's last embedded run. The run's inputs are
 * read again (they must be unchanged: their checksums are compared), every fix takes the place of
 * its dead letter under the row's original lineage, and the snapshot of the same date is rewritten.
 * The run id stays the inputs' id; the manifest lists the fixes files and their checksums. Fixes
 * accumulate: each redrive applies every fixes file given so far, a later fix of a row winning, so
 * the same fixes file twice gives a byte-identical snapshot.
 */
export async function dlqRedriveCommand(args: DlqRedriveArgs, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`), warn: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<EmbeddedRunResult> {
  const outDir = resolve(args.out);
  const record = readRunRecord(outDir, args.period);
  const snapshot = await latestSnapshot(outDir, args.period);
  const incoming = await readFixesFile(resolve(args.fixes));

  const inputNames = new Set(record.inputs.map((i) => `${i.source}/${i.file}`));
  for (const f of incoming.fixes) {
    if (!inputNames.has(`${f.source}/${f.file}`)) {
      throw new UsageError(`${incoming.file} row ${f.fixesRow}: ${f.source}/${f.file} is not an input of period ${args.period} in ${outDir} (inputs: ${[...inputNames].join(', ')}) [rule FIX_TARGET]`);
    }
  }
  for (const i of record.inputs) {
    const path = inputPath(outDir, i);
    let now: string;
    try {
      now = (await sha256File(path)).sha256;
    } catch (e) {
      throw new UsageError(`input ${path} of the run cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); redrive replays the run's own inputs: put the file back, or run padan run again`);
    }
    if (now !== i.sha256) throw new UsageError(`input ${path} changed since the run of ${args.period}; redrive replays unchanged inputs: run padan run again with the new file`);
  }

  const stored = join('runs', 'fixes', `${incoming.sha256}${extname(args.fixes).toLowerCase()}`);
  const already = record.fixes.some((f) => f.sha256 === incoming.sha256);
  const fixFiles = already ? record.fixes : [...record.fixes, { file: incoming.file, sha256: incoming.sha256, stored }];

  const byKey = new Map<string, Fix>();
  const files: { file: string; sha256: string; rows: number }[] = [];
  // Rows a fix may name: the snapshot's dead letters, and the rows earlier redrives fixed.
  const replaceable = new Set<string>();
  for (const f of fixFiles) {
    const parsed = f.sha256 === incoming.sha256 ? incoming : await readFixesFile(join(outDir, f.stored));
    for (const fix of parsed.fixes) {
      const key = fixKey(fix.source, fix.file, fix.row);
      byKey.set(key, { ...fix, fixesFile: f.file });
      if (already || f.sha256 !== incoming.sha256) replaceable.add(key);
    }
    files.push({ file: f.file, sha256: f.sha256, rows: parsed.fixes.length });
  }

  // Refuse a fix that names no dead letter before replaying the whole period.
  for await (const d of snapshotDeadLetters(outDir, args.period)) replaceable.add(fixKey(d.program, d.file, d.row));
  for (const f of incoming.fixes) {
    if (!replaceable.has(fixKey(f.source, f.file, f.row))) {
      throw new InputError(incoming.file, f.fixesRow, 'FIX_TARGET', `${f.source}/${f.file} row ${f.row} is not a dead letter of this period's inputs; only rows listed by padan dlq inspect can be fixed (correct other rows in the source file)`);
    }
  }

  // Keep a copy of every fixes file applied: the redrive after next replays it even if the user's file moved.
  if (!existsSync(join(outDir, stored))) {
    mkdirSync(join(outDir, 'runs', 'fixes'), { recursive: true });
    copyFileSync(resolve(args.fixes), join(outDir, stored));
  }
  const result = await runPeriod(outDir, record, { date: snapshot.date, fixes: { byKey, files } }, log, warn);
  writeRunRecord(outDir, { ...record, fixes: fixFiles });
  warn(`padan: ${already ? `${incoming.file} was applied before; ` : ''}${byKey.size} fixed row${byKey.size === 1 ? '' : 's'} replayed in place of ${byKey.size === 1 ? 'its dead letter' : 'their dead letters'} (${fixFiles.length} fixes file${fixFiles.length === 1 ? '' : 's'})`);
  return result;
}
