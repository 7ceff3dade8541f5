import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Source } from '@padan/contracts';
import { SnapshotError } from './snapshot-folder.js';

/** An input of a period, archived under `--out` (`raw/period=…/source=…/sha256=…/<file>`, the distributed archive's keys). */
export interface ArchivedInput {
  readonly source: Source;
  /** The file's name: with the row, a record's identity. */
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  /** The archived copy, relative to `--out`; null for a run recorded before the archive (it names `path`). */
  readonly key: string | null;
  /** Where the file was given, for messages; the archived copy is what runs. */
  readonly path?: string;
}

/**
 * What a period is made of under an embedded `--out` (`runs/period=P.json`): its inputs (archived),
 * the DTKS release and rules they were reconciled with, and the fixes applied. `padan run` of the
 * period updates it (a program file given replaces that program's files), `padan withdraw` removes
 * a file, `padan reprocess` and `padan dlq redrive` replay it from the archive alone. Not part of
 * the snapshot: snapshots must be byte-identical wherever they are made.
 */
export interface RunRecord {
  readonly v: 2;
  readonly period: string;
  /** The current snapshot's date. */
  readonly date: string;
  readonly inputs: readonly ArchivedInput[];
  /** The DTKS release the period uses (see dtks-releases.ts); its files are the DTKS inputs above. */
  readonly release: { readonly id: string; readonly from: string } | null;
  /** The rules file's archived copy (`runs/config/…`), null for the shipped rules. */
  readonly rules: string | null;
  /** The column mapping's archived copy, or null. */
  readonly mapping: string | null;
  readonly allowSmallDtks: boolean;
  /** Fixes files applied, in order (a later fix of the same row wins); `stored` is the copy under `--out/runs/fixes/`. */
  readonly fixes: readonly { readonly file: string; readonly sha256: string; readonly stored: string }[];
}

/** The record as an earlier version wrote it: user paths, not the archive. */
interface RunRecordV1 {
  readonly v: 1;
  readonly period: string;
  readonly date: string;
  readonly inputs: readonly { readonly source: Source; readonly path: string; readonly sha256: string }[];
  readonly rules: string | null;
  readonly mapping: string | null;
  readonly allowSmallDtks: boolean;
  readonly fixes: RunRecord['fixes'];
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

export function hasRunRecord(outDir: string, period: string): boolean {
  return existsSync(runRecordPath(outDir, period));
}

export function readRunRecord(outDir: string, period: string): RunRecord {
  const path = runRecordPath(outDir, period);
  let raw: RunRecord | RunRecordV1;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as RunRecord | RunRecordV1;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      code === 'ENOENT'
        ? `no embedded run of period ${period} under ${outDir} (${path} is missing); run padan run --period ${period} --out ${outDir} first`
        : `${path} is unreadable (${code ?? 'not JSON'}); run padan run --period ${period} --out ${outDir} again`,
    );
  }
  if (raw.v === 2) return raw;
  // Rules and mapping were user paths then; they are read from there as before.
  return {
    ...raw,
    v: 2,
    release: null,
    inputs: raw.inputs.map((i) => ({ source: i.source, file: basename(i.path), sha256: i.sha256, bytes: 0, key: null, path: i.path })),
  };
}

/** The file that runs for an input: its archived copy, or (records before the archive) the path it was given. */
export function inputPath(outDir: string, input: ArchivedInput): string {
  return input.key !== null ? join(outDir, ...input.key.split('/')) : (input.path as string);
}

/** A config file (rules, mapping) of the record: archived copies live under `--out`, older records hold absolute paths. */
export function configPath(outDir: string, stored: string | null): string | undefined {
  if (stored === null) return undefined;
  return stored.startsWith('/') ? stored : join(outDir, ...stored.split('/'));
}
