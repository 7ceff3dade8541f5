import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_SCHEMA_VERSION, snapshotManifestSchema, snapshotSummarySchema } from '@padan/contracts';
import type { SnapshotAnnouncement } from '@padan/contracts';
import { FindingsWriter, LineWriter, findingsRow, sha256File } from '@padan/io';
import type { ObjectStore } from '@padan/runtime';
import { announcedFilter } from './announced-filter.js';
import type { CleanInfo } from './clean-profiles.js';
import type { FileState, PeriodRuns } from './result-store.js';
import { SummaryBuilder } from './summary.js';
import { SNAPSHOT_CHANGES_FILES, SNAPSHOT_FILES, latestPointerKey, snapshotFilePath, snapshotPrefix } from './snapshot-layout.js';
import type { LatestPointer, SnapshotFileName } from './snapshot-layout.js';
import { readLatestPointer, supersedeCurrent } from './snapshot-publication.js';

export interface SnapshotContext {
  readonly period: string;
  /** The snapshot's date (Asia/Jakarta), used only in the object keys. */
  readonly date: string;
  readonly rules: { readonly version: string; readonly sha256: string };
  readonly regencyName: (code: string) => string | undefined;
  readonly padanVersion: string;
  /** Where the files are written before they are published; holds personal data. Default: the OS temp folder. */
  readonly workDir?: string;
  /** Recorded in the manifest: fixed rows replayed into the period (`padan dlq redrive`), with their files' checksums. */
  readonly fixes?: readonly { readonly file: string; readonly sha256: string; readonly rows: number }[];
  /** The run that writes the snapshot (a reprocess has its own); default: the inputs' run ids. */
  readonly runId?: string;
  /** The DTKS release the period was reconciled against (embedded releases); default: the period's own (id and first period = the period). */
  readonly dtksRelease?: { readonly id: string; readonly from: string };
  /**
   * Writes the month-over-month changes (changes.csv, changes.parquet) into `dir`, beside the
   * findings.csv just written there; returns false when there is no previous period to compare.
   */
  readonly changes?: (dir: string) => Promise<boolean>;
  /** The creation time recorded in the manifest and the pointer; default: now. */
  readonly now?: () => Date;
}


/**
 * Writes a snapshot as a pure function of the latest results: sorted by key, no timestamps, no run
 * order, so the same inputs give byte-identical files. The results are streamed from the period's
 * sorted runs (`runs`), never gathered in memory; clean rows are counted per clean profile
 * (`cleanInfo` reads a profile id). Written to a temporary folder, then copied
 * to the object store (each object atomically), manifest last: a folder's manifest.json, when its
 * checksums hold, means the snapshot is complete.
 */
export async function writeSnapshot(
  files: readonly FileState[],
  runs: PeriodRuns,
  cleanInfo: (profile: number) => CleanInfo,
  ctx: SnapshotContext,
  store: ObjectStore,
): Promise<SnapshotAnnouncement> {
  // Both merges start here, in one synchronous step with the summary's counts: each takes what its
  // runs hold in memory at this instant and the files' accounting (counts, clean rows per profile)
  // is read at the same instant, so the summary describes exactly the rows the merges read, even
  // while results keep arriving.
  const results = runs.results.merged();
  const dead = runs.rejected.merged();
  const firstResult = results.next();
  const firstDead = dead.next();
  // Both are awaited below; this only keeps an early failure from going unhandled meanwhile.
  firstResult.catch(() => {});
  firstDead.catch(() => {});
  const summary = new SummaryBuilder(ctx.period, files, ctx.regencyName, cleanInfo);
  let dir: string | null = null;
  try {
    dir = await mkdtemp(join(ctx.workDir ?? tmpdir(), 'padan-snapshot-'));
    await mkdir(dir, { recursive: true });
    const isAnnounced = announcedFilter(new Set(files.map((f) => `${f.source}/${f.file}`)));
    // One pass over the merged runs: every flagged row's latest result, in findings order, counted
    // into the summary and written to the findings files (clean rows were counted above).
    const writer = new FindingsWriter(dir);
    await writer.start();
    for (let n = await firstResult; !n.done; n = await results.next()) {
      for (const e of n.value) {
        if (!isAnnounced(e.source, e.file) || !('flagged' in e.value)) continue;
        summary.addFlagged(e.source, e.value.flagged);
        await writer.add(findingsRow(e.value.flagged));
      }
    }
    await writer.finish();

    const rejected = new LineWriter(join(dir, 'rejected.jsonl'));
    for (let n = await firstDead; !n.done; n = await dead.next()) {
      let text = '';
      for (const { value: row } of n.value) {
        if (!isAnnounced(row.source, row.file)) continue;
        text += `${JSON.stringify({ program: row.source, source_file: row.file, source_row: row.row, reason: row.reason, message: row.message, raw: row.raw })}\n`;
      }
      if (text !== '') await rejected.write(text);
    }
    await rejected.close();

    // Checked against the published schema (contracts/json-schema) before it is written: dashboards rely on it.
    const summaryJson = { schema_version: SNAPSHOT_SCHEMA_VERSION, snapshot_date: ctx.date, ...summary.build(), rules_version: ctx.rules.version };
    snapshotSummarySchema.parse(summaryJson);
    await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summaryJson, null, 2)}\n`);

    const names: SnapshotFileName[] = [...SNAPSHOT_FILES.slice(0, -1)];
    if (ctx.changes && (await ctx.changes(dir))) for (const name of SNAPSHOT_CHANGES_FILES) names.push(name);
    const outputs = [];
    for (const name of names) outputs.push({ name: snapshotFilePath(name), ...(await sha256File(join(dir, name))) });
    const runIds = [...new Set(files.map((f) => f.completed?.runId).filter((r): r is string => Boolean(r)))].sort();
    const runId = ctx.runId ?? runIds.join('+');
    const createdAt = (ctx.now?.() ?? new Date()).toISOString();
    const prefix = snapshotPrefix(ctx.period, ctx.date);
    // The current snapshot moves under history/ before the new one is written, so snapshots/ never
    // holds two snapshots of one period (a reader globbing snapshots/** would count them twice).
    const superseded = await supersedeCurrent(store, ctx.period, await readLatestPointer(store, ctx.period));
    const dtks = files.filter((f) => f.source === 'DTKS' && f.completed);
    const manifest = {
      schema_version: SNAPSHOT_SCHEMA_VERSION,
      period: ctx.period,
      snapshot_date: ctx.date,
      run_id: runId,
      created_at: createdAt,
      supersedes: superseded,
      padan_version: ctx.padanVersion,
      run_ids: runIds,
      dtks_release: {
        // Without releases as of a period (the services today), a period's DTKS files are its own
        // release: the same manifest whichever shape ran it.
        id: ctx.dtksRelease?.id ?? ctx.period,
        from: ctx.dtksRelease?.from ?? ctx.period,
        files: dtks.map((f) => ({ file: f.file, sha256: f.completed?.sha256, rows_read: f.completed?.rowsRead })),
      },
      rules: ctx.rules,
      ...(ctx.fixes && ctx.fixes.length > 0 ? { fixes: ctx.fixes } : {}),
      inputs: files.map((f) => ({
        program: f.source,
        source_file: f.file,
        format: f.completed?.format,
        sha256: f.completed?.sha256,
        bytes: f.completed?.bytes,
        header_row: f.completed?.headerRow,
        columns: f.completed?.fields,
        rows_read: f.completed?.rowsRead,
        rows_rejected: f.completed?.rowsRejected,
      })),
      outputs,
    };
    snapshotManifestSchema.parse(manifest);
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFile(join(dir, 'manifest.json'), manifestText);

    // A manifest vouches for the files beside it. Remove an earlier one before replacing them, so a
    // write that fails halfway leaves a folder without a manifest (incomplete, and seen as such),
    // never an old manifest over new files.
    await store.delete([`${prefix}manifest.json`]);
    const objects = [];
    for (const name of [...names, 'manifest.json' as const]) {
      const key = `${prefix}${snapshotFilePath(name)}`;
      try {
        await store.putFile(key, join(dir, name));
      } catch (e) {
        throw new Error(`cannot write ${name} of snapshot ${store.describe(prefix)} (${(e as Error).message}); the snapshot is incomplete (no manifest.json): fix the cause and write it again`, { cause: e });
      }
      const sum = name === 'manifest.json' ? hashOf(Buffer.from(manifestText)) : outputs.find((o) => o.name === snapshotFilePath(name));
      objects.push({ key, sha256: sum?.sha256 ?? '', bytes: sum?.bytes ?? 0 });
    }
    const pointer: LatestPointer = { v: 1, period: ctx.period, date: ctx.date, prefix, manifest_sha256: hashOf(Buffer.from(manifestText)).sha256, run_id: runId, created_at: createdAt };
    // The pointer is one object, replaced atomically: the switch to the new snapshot.
    await store.put(latestPointerKey(ctx.period), `${JSON.stringify(pointer, null, 2)}\n`);
    return { v: 1, period: ctx.period, date: ctx.date, prefix, objects };
  } finally {
    // Closes the runs' files and lets their levels be merged again, whether or not they were read to the end.
    await results.return(undefined);
    await dead.return(undefined);
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  }
}

function hashOf(buf: Buffer): { sha256: string; bytes: number } {
  return { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
}
