import { MESSAGE_KEYS, TOPICS } from '@padan/contracts';
import type { FileCompleted, IngestProgress, MatchResult, MismatchEvent, RejectedRow, ResultBatch, SnapshotAnnouncement, SnapshotRequest } from '@padan/contracts';
import type { BusMessage, ObjectStore } from '@padan/runtime';
import { parseAnnouncedKey } from './announced-key.js';
import { jakartaDateOf, nextDailyRun } from './daily-schedule.js';
import { ReportStage } from './report-stage.js';
import type { ReportStageOptions } from './report-stage.js';
import { snapshotPrefix } from './snapshot-layout.js';
import type { SnapshotContext } from './snapshot.js';

/** A snapshot write that failed and will be retried. */
export interface SnapshotFailure {
  readonly period: string;
  readonly date: string;
  readonly requestId?: string;
  readonly attempt: number;
  readonly retryInMs: number;
  readonly error: string;
}

export interface ReportServiceOptions {
  readonly store: ObjectStore;
  readonly publish: <T>(topic: string, messages: readonly BusMessage<T>[]) => Promise<void>;
  readonly hashKey: string;
  /** `HH:MM` Asia/Jakarta. Without it, no daily snapshot (the embedded run writes its one snapshot itself). */
  readonly dailyAt?: string;
  /** Default: the system clock. */
  readonly clock?: () => Date;
  readonly rules: { readonly version: string; readonly sha256: string };
  readonly regencyName: (code: string) => string | undefined;
  readonly padanVersion: string;
  /** Fix files a redrive applied (`padan dlq redrive`), listed in the snapshot's manifest. */
  readonly fixes?: SnapshotContext['fixes'];
  /** The run recorded in the manifest (a reprocess has its own); default: the inputs' run ids. */
  readonly runId?: string;
  /** The DTKS release (id, first period) recorded in the manifest (embedded releases). */
  readonly dtksRelease?: SnapshotContext['dtksRelease'];
  /** Writes the month-over-month changes beside a snapshot's findings (embedded runs with a previous period). */
  readonly changes?: SnapshotContext['changes'];
  /** Where a snapshot's files are written before they are stored (the CLI: its temporary area in --out). Default: the stage's work folder. */
  readonly snapshotWorkDir?: string;
  readonly onSnapshot?: (a: SnapshotAnnouncement) => void;
  /** A write failed; it is retried with backoff (`retryInMs`). */
  readonly onSnapshotFailed?: (f: SnapshotFailure) => void;
  /**
   * Deletes objects (best effort). Given, a failed write's manifest is removed, so the objects it
   * left half-replaced are never trusted as a snapshot until the retry writes them all again.
   */
  readonly discard?: (keys: readonly string[]) => Promise<void>;
  /** Snapshots wait until this is true: the view has caught up with the topics it rebuilds from. */
  readonly viewLoaded?: () => boolean;
  /**
   * Asked before a snapshot is written for a period whose rows are all accounted for: whether the
   * pipeline has settled for it, i.e. match has consumed everything published to it (re-emissions
   * of records another record's evidence changed travel one more hop), holds none of the period's
   * batches, and the view has read every result published since. Every row having a result is not
   * enough: a record's final result may still be on its way. False: the job waits for the next
   * tick. Default: settled.
   */
  readonly settled?: (period: string) => Promise<boolean>;
  /** First and longest wait between attempts of a failing snapshot write. Default 1 s, 60 s. */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** Where results spill and how many are held in memory (REPORT_WORK_DIR, REPORT_SPILL_ROWS). */
  readonly spill?: ReportStageOptions;
}

interface Job {
  readonly period: string;
  /** Fixed for a request that names it and for the daily snapshot; else the Jakarta date when written. */
  readonly date?: string;
  readonly request?: SnapshotRequest;
  attempts: number;
  nextAt: number;
}

/**
 * The report service's logic around ReportStage, with an injectable clock: answers snapshot
 * requests once the files they name are accounted for, writes every complete period's snapshot
 * once a day at the configured Jakarta time, and publishes mismatch events for complete periods.
 * The embedded run uses the same object: the same events (`publishEvents`) and the same snapshot
 * and announcement (`snapshot`), without the schedule.
 *
 * A request lives until it is answered: it is forgotten only once its snapshot is written and its
 * announcement (carrying its request id) published. A restarted report rereads the request and
 * announcement topics (`onRequest`, `onAnnouncement`) and answers what is still unanswered. A failed
 * write is retried with backoff, its half-written manifest removed in between.
 */
export class ReportService {
  readonly stage: ReportStage;
  private readonly jobs = new Map<string, Job>();
  private readonly answered = new Set<string>();
  private readonly clock: () => Date;
  private nextDaily: Date | null;

  constructor(private readonly opts: ReportServiceOptions) {
    this.stage = new ReportStage(opts.spill ?? {});
    this.clock = opts.clock ?? (() => new Date());
    this.nextDaily = opts.dailyAt === undefined ? null : nextDailyRun(this.clock(), opts.dailyAt);
  }

  /** When the next daily snapshot is due; null without `dailyAt`. */
  get nextDailyAt(): Date | null {
    return this.nextDaily;
  }

  async onResults(results: readonly MatchResult[]): Promise<void> {
    await this.stage.onResults(results);
  }

  /** Batches of results (padan.results.v2); returns how many results they held. */
  onResultBatches(batches: readonly ResultBatch[]): Promise<number> {
    return this.stage.onResultBatches(batches);
  }

  async onRejected(rows: readonly RejectedRow[]): Promise<void> {
    await this.stage.onRejected(rows);
  }

  async onFileCompleted(fcs: readonly FileCompleted[]): Promise<void> {
    for (const fc of fcs) this.stage.onFileCompleted(fc);
  }

  /** Ingest's progress records announce the files it is publishing (keyed by landing key). */
  onProgress(records: readonly IngestProgress[]): void {
    for (const p of records) {
      const f = parseAnnouncedKey(p.key);
      if (f) this.stage.onAnnounced(f.period, f.source, f.file);
    }
  }

  onRequest(req: SnapshotRequest): void {
    if (this.answered.has(req.requestId) || this.jobs.has(req.requestId)) return;
    this.jobs.set(req.requestId, { period: req.period, ...(req.date ? { date: req.date } : {}), request: req, attempts: 0, nextAt: 0 });
  }

  /** An announcement carrying a request id answers that request, whoever wrote it. */
  onAnnouncement(a: SnapshotAnnouncement): void {
    if (!a.requestId) return;
    this.answered.add(a.requestId);
    this.jobs.delete(a.requestId);
  }

  /** Requests not answered yet (waiting for their files, or retrying a failed write). */
  get pendingRequests(): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.request) n++;
    return n;
  }

  private ready(job: Job): boolean {
    const status = this.stage.status(job.period);
    if (!status.complete) return false;
    const expect = job.request?.expect ?? [];
    return expect.every((e) => status.files.some((f) => f.program === e.source && f.file === e.file && f.accounted));
  }

  /** Does whatever is due: answer requests, publish events for complete periods, the daily snapshot. */
  async tick(): Promise<SnapshotAnnouncement[]> {
    const written: SnapshotAnnouncement[] = [];
    if (this.opts.viewLoaded && !this.opts.viewLoaded()) return written;
    for (const period of this.stage.store.periods()) {
      if (this.stage.status(period).complete) await this.publishEvents(period);
    }
    const now = this.clock();
    if (this.nextDaily !== null && this.opts.dailyAt !== undefined && now >= this.nextDaily) {
      const date = jakartaDateOf(this.nextDaily);
      this.nextDaily = nextDailyRun(now, this.opts.dailyAt);
      for (const period of this.stage.store.periods()) {
        if (this.stage.status(period).complete) this.jobs.set(`daily/${period}/${date}`, { period, date, attempts: 0, nextAt: 0 });
      }
    }
    const settled = new Map<string, boolean>();
    for (const [id, job] of [...this.jobs]) {
      if (job.nextAt > now.getTime() || !this.ready(job)) continue;
      // Asked once per tick and period, and only when a job is due: it costs a few admin requests.
      let ok = settled.get(job.period);
      if (ok === undefined) settled.set(job.period, (ok = this.opts.settled ? await this.opts.settled(job.period) : true));
      if (!ok) continue;
      const a = await this.attempt(job);
      if (!a) continue;
      this.jobs.delete(id);
      written.push(a);
    }
    return written;
  }

  /** One attempt at a job: the announcement, or null after scheduling a retry. */
  private async attempt(job: Job): Promise<SnapshotAnnouncement | null> {
    const date = job.date ?? jakartaDateOf(this.clock());
    const requestId = job.request?.requestId;
    try {
      return await this.snapshot(job.period, date, requestId);
    } catch (e) {
      job.attempts++;
      const first = this.opts.retryMs?.first ?? 1_000;
      const retryInMs = Math.min(first * 2 ** (job.attempts - 1), this.opts.retryMs?.max ?? 60_000);
      job.nextAt = this.clock().getTime() + retryInMs;
      this.opts.onSnapshotFailed?.({ period: job.period, date, ...(requestId ? { requestId } : {}), attempt: job.attempts, retryInMs, error: e instanceof Error ? e.message : String(e) });
      // Whatever this attempt replaced no longer matches the manifest: remove it until the retry.
      await this.opts.discard?.([`${snapshotPrefix(job.period, date)}manifest.json`]).catch(() => {});
      return null;
    }
  }

  /**
   * Publishes the mismatch events of the period's findings not published yet or changed since
   * (see ReportStage.publishEvents); returns how many. Call it for a complete period only.
   */
  publishEvents(period: string): Promise<number> {
    return this.stage.publishEvents(period, this.opts.hashKey, (events) =>
      this.opts.publish<MismatchEvent>(TOPICS.mismatches, events.map((e) => ({ key: MESSAGE_KEYS.mismatch(e), value: e }))),
    );
  }

  /** Writes the period's snapshot for `date` to the object store and announces it; throws when the write fails. */
  async snapshot(period: string, date: string, requestId?: string): Promise<SnapshotAnnouncement> {
    const ctx: SnapshotContext = {
      period,
      date,
      rules: this.opts.rules,
      regencyName: this.opts.regencyName,
      padanVersion: this.opts.padanVersion,
      ...(this.opts.fixes ? { fixes: this.opts.fixes } : {}),
      ...(this.opts.runId ? { runId: this.opts.runId } : {}),
      ...(this.opts.dtksRelease ? { dtksRelease: this.opts.dtksRelease } : {}),
      ...(this.opts.changes ? { changes: this.opts.changes } : {}),
      now: this.clock,
      ...(this.opts.snapshotWorkDir ? { workDir: this.opts.snapshotWorkDir } : {}),
    };
    const a = await this.stage.snapshot(ctx, this.opts.store);
    const announcement = requestId ? { ...a, requestId } : a;
    await this.opts.publish<SnapshotAnnouncement>(TOPICS.snapshots, [{ key: MESSAGE_KEYS.snapshot(period), value: announcement }]);
    if (requestId) this.answered.add(requestId);
    this.opts.onSnapshot?.(announcement);
    return announcement;
  }

  /** Removes the spill files (they hold personal data). */
  close(): Promise<void> {
    return this.stage.close();
  }
}
