import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { sha256File } from '@padan/io';

/** Thrown when a snapshot folder cannot be trusted (no manifest, or files that differ from it), or none exists. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export interface SnapshotManifest {
  readonly period: string;
  readonly run_ids: readonly string[];
  /** Since schema 2 (issue 9): the run that wrote it, when, and the rules. */
  readonly run_id?: string;
  readonly created_at?: string;
  readonly rules?: { readonly version: string; readonly sha256: string };
  readonly outputs: readonly { name: string; sha256: string; bytes: number }[];
  readonly fixes?: readonly { file: string; sha256: string; rows: number }[];
  readonly inputs: readonly { program: string; source_file: string; rows_read?: number; rows_rejected?: number }[];
}

/**
 * Reads a snapshot folder's manifest and checks every file it lists against its checksum. A folder
 * is complete only then: its files are written first and the manifest last, and an earlier manifest
 * is removed before files are replaced, so a missing manifest or a wrong checksum means a write
 * failed or was stopped halfway.
 */
export async function verifySnapshot(dir: string): Promise<SnapshotManifest> {
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'has no manifest.json' : 'has an unreadable manifest.json';
    throw new SnapshotError(`snapshot ${dir} ${why}: it is incomplete (a write failed or was stopped); run padan again for this period to rewrite it`);
  }
  for (const o of manifest.outputs ?? []) {
    let actual;
    try {
      actual = await sha256File(join(dir, o.name));
    } catch (e) {
      throw new SnapshotError(`snapshot ${dir}: ${o.name} listed in manifest.json cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); run padan again for this period to rewrite it`);
    }
    if (actual.sha256 !== o.sha256 || actual.bytes !== o.bytes) {
      throw new SnapshotError(`snapshot ${dir}: ${o.name} does not match the checksum in manifest.json (changed or half-written); run padan again for this period to rewrite it`);
    }
  }
  return manifest;
}

/** The folder of a period's snapshots under an embedded `--out`. */
export function periodFolder(outDir: string, period: string): string {
  return join(outDir, 'snapshots', `period=${period}`);
}

/** A file of a snapshot folder, as its manifest lists it (`restricted/findings.csv`; flat in snapshots written before the layout of issue 9). */
export function snapshotFile(dir: string, manifest: SnapshotManifest, name: string): string {
  const entry = manifest.outputs.find((o) => o.name === name || o.name.endsWith(`/${name}`));
  return join(dir, entry?.name ?? name);
}

/**
 * The current snapshot of a period under `--out`, checked against its manifest: the one
 * `latest.json` names, else (snapshots written before the pointer existed) the latest date. A
 * snapshot without a manifest (a write that failed) is reported, not silently skipped.
 */
export async function latestSnapshot(outDir: string, period: string): Promise<{ dir: string; date: string; manifest: SnapshotManifest }> {
  const folder = periodFolder(outDir, period);
  let pointer: { date?: unknown } | null = null;
  try {
    pointer = JSON.parse(readFileSync(join(folder, 'latest.json'), 'utf8')) as { date?: unknown };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SnapshotError(`${join(folder, 'latest.json')} is unreadable; run padan for period ${period} again to rewrite it`);
  }
  if (pointer !== null && typeof pointer.date === 'string') {
    const dir = join(folder, `date=${pointer.date}`);
    return { dir, date: pointer.date, manifest: await verifySnapshot(dir) };
  }
  let dates: string[];
  try {
    dates = readdirSync(folder)
      .filter((n) => /^date=\d{4}-\d{2}-\d{2}$/.test(n))
      .sort();
  } catch {
    dates = [];
  }
  const latest = dates[dates.length - 1];
  if (latest === undefined) throw new SnapshotError(`no snapshot of period ${period} under ${outDir} (looked in ${folder}); run padan run --period ${period} --out ${outDir} first`);
  const dir = join(folder, latest);
  return { dir, date: latest.slice('date='.length), manifest: await verifySnapshot(dir) };
}

/** Manifest fields that may differ between runs of the same inputs, rules and date (issue 9): which run wrote it, when, and what it replaced. */
export const RUN_SPECIFIC_MANIFEST_FIELDS = ['run_id', 'created_at', 'supersedes'] as const;

/** A manifest's text without its run-specific fields, to compare two snapshots of the same inputs. */
export function comparableManifest(text: string): string {
  const m = JSON.parse(text) as Record<string, unknown>;
  for (const k of RUN_SPECIFIC_MANIFEST_FIELDS) delete m[k];
  return `${JSON.stringify(m, null, 2)}\n`;
}

/**
 * Every file of a snapshot folder by its name (`findings.csv`, ..., whatever subfolder it is in),
 * the manifest without its run-specific fields: equal for two snapshots of the same inputs.
 */
export function snapshotContents(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const paths = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
  for (const path of paths.sort((a, b) => basename(a).localeCompare(basename(b)))) {
    const name = basename(path);
    out[name] = name === 'manifest.json' ? Buffer.from(comparableManifest(readFileSync(path, 'utf8'))) : readFileSync(path);
  }
  return out;
}
