import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage-error.js';
import type { ArchivedInput } from './run-record.js';

/**
 * DTKS releases under an embedded `--out` (`releases/release=<id>.json`). A release has an id and
 * the period from which it applies; a program period is reconciled against the release in force
 * for it (the latest `from` not after the period). Its files are archived like any input. A
 * period records the release it used (runs/period=P.json), so loading a newer release changes no
 * earlier period, and reprocessing a period uses its own release, whatever was loaded since.
 */
export interface DtksRelease {
  readonly v: 1;
  readonly id: string;
  /** First period it applies to (YYYY-MM). */
  readonly from: string;
  readonly files: readonly ArchivedInput[];
  /** Rows read from its files at the last run that used it (null until then). */
  readonly rows: number | null;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkReleaseId(id: string): string {
  if (!ID.test(id)) throw new UsageError(`--release ${JSON.stringify(id)}: use letters, digits, '.', '_' or '-' (at most 64), e.g. 2021-07 or dtsen-2025q1`);
  return id;
}

function folder(outDir: string): string {
  return join(outDir, 'releases');
}

function releasePath(outDir: string, id: string): string {
  return join(folder(outDir), `release=${id}.json`);
}

/** Every loaded release, by `from` then id. */
export function listReleases(outDir: string): DtksRelease[] {
  let names: string[];
  try {
    names = readdirSync(folder(outDir)).filter((n) => /^release=.+\.json$/.test(n));
  } catch {
    return [];
  }
  return names
    .map((n) => {
      try {
        return JSON.parse(readFileSync(join(folder(outDir), n), 'utf8')) as DtksRelease;
      } catch {
        throw new UsageError(`${join(folder(outDir), n)} is unreadable; remove it and load the release again with padan run --dtks FILE --release ID`);
      }
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id));
}

/** The release in force for `period`: the latest one whose `from` is not after it; null when none is. */
export function releaseInForce(outDir: string, period: string): DtksRelease | null {
  let found: DtksRelease | null = null;
  for (const r of listReleases(outDir)) if (r.from <= period) found = r;
  return found;
}

function sameFiles(a: readonly ArchivedInput[], b: readonly ArchivedInput[]): boolean {
  const key = (f: ArchivedInput) => `${f.file}@${f.sha256}`;
  return a.map(key).sort().join('\n') === b.map(key).sort().join('\n');
}

/**
 * Loads (or reloads) a release. An id named explicitly (`--release`) must not already hold other
 * files: a release, once used, is what its periods were reconciled against. The default id (the
 * period) may be reloaded with a corrected file; the caller says so.
 */
export function saveRelease(outDir: string, release: Omit<DtksRelease, 'v' | 'rows'>, explicitId: boolean): { release: DtksRelease; replaced: DtksRelease | null } {
  const existing = listReleases(outDir).find((r) => r.id === release.id) ?? null;
  if (existing && explicitId && (!sameFiles(existing.files, release.files) || existing.from !== release.from)) {
    throw new UsageError(`release ${release.id} is already loaded with other files or another first period (${existing.from}); give the new release another --release id`);
  }
  const clash = listReleases(outDir).find((r) => r.from === release.from && r.id !== release.id);
  if (clash) throw new UsageError(`release ${clash.id} already applies from ${release.from}; a period has one release in force: load ${release.id} from another period or reuse --release ${clash.id}`);
  const same = existing !== null && sameFiles(existing.files, release.files) && existing.from === release.from;
  const saved: DtksRelease = { v: 1, ...release, rows: same ? existing.rows : null };
  write(outDir, saved);
  return { release: saved, replaced: existing && !same ? existing : null };
}

export function recordReleaseRows(outDir: string, id: string, rows: number): void {
  const r = listReleases(outDir).find((x) => x.id === id);
  if (r && r.rows !== rows) write(outDir, { ...r, rows });
}

function write(outDir: string, r: DtksRelease): void {
  mkdirSync(folder(outDir), { recursive: true });
  const path = releasePath(outDir, r.id);
  writeFileSync(`${path}.tmp-${process.pid}`, `${JSON.stringify(r, null, 2)}\n`);
  renameSync(`${path}.tmp-${process.pid}`, path);
}
