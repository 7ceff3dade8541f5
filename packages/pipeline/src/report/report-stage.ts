import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileCompleted, MatchResult, MismatchEvent, RejectedRow, ResultBatch, SnapshotAnnouncement, Source } from '@padan/contracts';
import type { ObjectStore } from '@padan/runtime';
import { announcedFilter } from './announced-filter.js';
import { publishChangedFindings } from './published-findings.js';
import { ResultStore, fileCounts } from './result-store.js';
import type { FileState } from './result-store.js';
import type { SnapshotContext } from './snapshot.js';
import { writeSnapshot } from './snapshot.js';
import { createWorkDir } from './work-dir.js';

/** Flagged results and dead letters held in memory before they are spilled to a sorted run (REPORT_SPILL_ROWS). */
export const DEFAULT_SPILL_ROWS = 50_000;

export interface ReportStageOptions {
  /** The folder under which this stage's spill folder is created (REPORT_WORK_DIR). Default: the OS temp folder. */
  readonly workDir?: string;
  /** Entries held in memory before a spill; memory is bounded by this, not by the period's size. */
  readonly spillRows?: number;
}

export interface PeriodStatus {
  readonly period: string;
  readonly complete: boolean;
  readonly files: { program: string; file: string; rowsRead: number | null; clean: number; flagged: number; rejected: number; accounted: boolean }[];
}

/**
 * The report stage: materializes the latest result per record and writes snapshots from it.
 * Mismatch events go out once a period's input is completely accounted for, one per flagged
 * record, and again only when a record's finding changes; so dashboards never see the transient
 * results of a period still arriving.
 *
 * Flagged results live in sorted runs on disk, signatures of published findings too; clean ones
 * are only counted (see ResultStore): memory holds three bytes and a bit per row and at most
 * `spillRows` entries. `close()` removes the files.
 */
export class ReportStage {
  readonly store: ResultStore;
  private dir: Promise<string> | null = null;
  /** Per period, the run of signatures published so far. */
  private readonly published = new Map<string, string>();
  private publications = 0;
  /** Periods whose results or files changed since their events were last published. */
  private readonly changed = new Set<string>();
  /** The newest epoch of match's state seen per period (see onResultBatches). */
  private readonly epochs = new Map<string, number>();

  constructor(private readonly opts: ReportStageOptions = {}) {
    this.store = new ResultStore(() => this.workDir(), opts.spillRows ?? DEFAULT_SPILL_ROWS);
  }

  /** This stage's folder for spill files, created (and stale ones cleaned) on first use. */
  workDir(): Promise<string> {
    this.dir ??= createWorkDir(this.opts.workDir ?? tmpdir());
    return this.dir;
  }

  /**
   * Single results (padan.results.v1, written before the batches; tests). They carry no epoch
   * (0): left out of a period whose results already come from an epoch of match's state.
   */
  async onResults(results: readonly MatchResult[]): Promise<void> {
    await this.addResults(results.filter((r) => (this.epochs.get(r.period) ?? 0) === 0));
  }

  private async addResults(results: readonly MatchResult[]): Promise<void> {
    for (const r of results) this.changed.add(r.period);
    await this.store.addResults(results);
  }

  /**
   * Result batches of padan.results.v2: each record keeps its highest-seq result across batches,
   * as across single results, so the batches' order and grouping change nothing. Per period, only
   * the newest epoch of match's state counts
   * (see ResultBatch `epoch`): a batch of a newer epoch first forgets the period's results (the
   * rebuilt state publishes them all again, from a replay of the whole input), and a batch of an
   * older one (a lost generation's chunk still in flight, or read after the newer one on a
   * restart) is left out. Returns the results taken.
   */
  async onResultBatches(batches: readonly ResultBatch[]): Promise<number> {
    let taken = 0;
    for (const b of batches) {
      const epoch = b.epoch ?? 0;
      const newest = this.epochs.get(b.period) ?? 0;
      if (epoch < newest) continue;
      if (epoch > newest) {
        await this.store.resetResults(b.period);
        this.epochs.set(b.period, epoch);
      }
      this.changed.add(b.period);
      await this.store.addResultBatch(b);
      taken += b.results.length;
    }
    return taken;
  }

  async onRejected(rows: readonly RejectedRow[]): Promise<void> {
    await this.store.addRejected(rows);
  }

  onFileCompleted(fc: FileCompleted): void {
    this.changed.add(fc.period);
    this.store.addCompleted(fc);
  }

  /** Ingest started a file (its first progress record): the period waits for it from now on. */
  onAnnounced(period: string, source: Source, file: string): void {
    this.changed.add(period);
    this.store.announce(period, source, file);
  }

  /** The files ingest announced; a snapshot holds these and nothing else. */
  private announcedFiles(period: string): FileState[] {
    return this.store.filesOf(period).filter((f) => f.announced);
  }

  /** Files of the period with results or dead letters that ingest never announced: stray messages. */
  strays(period: string): { program: Source; file: string; rows: number }[] {
    return this.store
      .filesOf(period)
      .filter((f) => !f.announced)
      .map((f) => ({ program: f.source, file: f.file, rows: f.rows.results + f.rows.rejected }));
  }

  status(period: string): PeriodStatus {
    const files = this.announcedFiles(period).map((f) => ({ program: f.source, file: f.file, ...fileCounts(f) }));
    const complete = files.length > 0 && files.some((f) => f.program === 'DTKS') && files.every((f) => f.accounted);
    return { period, complete, files };
  }

  /**
   * Publishes, in chunks, events for flagged records not yet published or whose finding changed
   * since, in key order; returns how many. Does nothing when nothing of the period changed since
   * the last call. When `publish` fails, the published signatures are left as they were, so the
   * next call publishes the same events again (at least once, never lost).
   */
  async publishEvents(period: string, hashKey: string, publish: (events: readonly MismatchEvent[]) => Promise<void>): Promise<number> {
    if (!this.changed.has(period)) return 0;
    // Cleared before reading: a result arriving during the merge marks the period again.
    this.changed.delete(period);
    const runs = await this.store.runsOf(period);
    const previous = this.published.get(period) ?? null;
    const next = join(await this.workDir(), `published-${period}-${this.publications++}.run`);
    try {
      const n = await publishChangedFindings({
        latest: runs.results.merged(),
        isAnnounced: announcedFilter(new Set(this.announcedFiles(period).map((f) => `${f.source}/${f.file}`))),
        previous,
        next,
        hashKey,
        publish,
      });
      this.published.set(period, next);
      if (previous !== null) await rm(previous, { force: true });
      return n;
    } catch (e) {
      this.changed.add(period);
      await rm(next, { force: true });
      throw e;
    }
  }

  async snapshot(ctx: SnapshotContext, store: ObjectStore): Promise<SnapshotAnnouncement> {
    const profiles = this.store.cleanProfiles;
    return writeSnapshot(this.announcedFiles(ctx.period), await this.store.runsOf(ctx.period), (id) => profiles.info(id), { ...ctx, workDir: ctx.workDir ?? (await this.workDir()) }, store);
  }

  /** Removes this stage's spill folder (it holds personal data); the stage is not used after. */
  async close(): Promise<void> {
    if (!this.dir) return;
    const dir = await this.dir;
    await this.store.clear();
    await rm(dir, { recursive: true, force: true });
  }
}
