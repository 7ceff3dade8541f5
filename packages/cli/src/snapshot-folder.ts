import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * The latest snapshot of a period under `--out` (by date), checked against its manifest. A later
 * folder without a manifest (a write that failed) is reported, not silently skipped.
 */
export async function latestSnapshot(outDir: string, period: string): Promise<{ dir: string; date: string; manifest: SnapshotManifest }> {
  const folder = periodFolder(outDir, period);
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
