import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '@padan/contracts';
import { SnapshotError } from './snapshot-folder.js';

/**
 * What an embedded run of a period used, kept beside its snapshots (`--out/runs/period=P.json`),
 * so `padan dlq redrive` can replay the same inputs with fixed rows. Not part of the snapshot: it
 * holds this machine's paths, and snapshots must be byte-identical wherever they are made.
 * A new `padan run` of the period replaces it (and with it the fixes applied so far).
 */
export interface RunRecord {
  readonly v: 1;
  readonly period: string;
  readonly date: string;
  readonly inputs: readonly { readonly source: Source; readonly path: string; readonly sha256: string }[];
  readonly rules: string | null;
  readonly mapping: string | null;
  readonly allowSmallDtks: boolean;
  /** Fixes files applied, in order (a later fix of the same row wins); `stored` is the copy under `--out/runs/fixes/`. */
  readonly fixes: readonly { readonly file: string; readonly sha256: string; readonly stored: string }[];
}

export function runRecordPath(outDir: string, period: string): string {
  return join(outDir, 'runs', `period=${period}.json`);
}

export function writeRunRecord(outDir: string, record: RunRecord): void {
  const path = runRecordPath(outDir, record.period);
  mkdirSync(join(outDir, 'runs'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, path);
}

export function readRunRecord(outDir: string, period: string): RunRecord {
  const path = runRecordPath(outDir, period);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      code === 'ENOENT'
        ? `no embedded run of period ${period} under ${outDir} (${path} is missing); redrive replays fixed rows into a run made with padan run --period ${period} --out ${outDir}`
        : `${path} is unreadable (${code ?? 'not JSON'}); run padan run --period ${period} --out ${outDir} again`,
    );
  }
}
