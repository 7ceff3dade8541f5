import { TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, MismatchEvent, RejectedRow, SnapshotAnnouncement, SnapshotRequest } from '@padan/contracts';
import type { BusMessage, ObjectStore } from '@padan/runtime';
import { jakartaDateOf, nextDailyRun } from './daily-schedule.js';
import { ReportStage } from './report-stage.js';

export interface ReportServiceOptions {
  readonly store: ObjectStore;
  readonly publish: <T>(topic: string, messages: readonly BusMessage<T>[]) => Promise<void>;
  readonly hashKey: string;
  /** `HH:MM` Asia/Jakarta. */
  readonly dailyAt: string;
  readonly clock: () => Date;
  readonly rules: { readonly version: string; readonly sha256: string };
  readonly regencyName: (code: string) => string | undefined;
  readonly padanVersion: string;
  readonly onSnapshot?: (a: SnapshotAnnouncement) => void;
}

/**
 * The report service's logic around ReportStage, with an injectable clock: answers snapshot
 * requests once the files they name are accounted for, writes every complete period's snapshot
 * once a day at the configured Jakarta time, and publishes mismatch events for complete periods.
 */
export class ReportService {
  readonly stage = new ReportStage();
  private readonly requests = new Map<string, SnapshotRequest>();
  private nextDaily: Date;

  constructor(private readonly opts: ReportServiceOptions) {
    this.nextDaily = nextDailyRun(opts.clock(), opts.dailyAt);
  }

  get nextDailyAt(): Date {
    return this.nextDaily;
  }

  async onResults(results: readonly MatchResult[]): Promise<void> {
    this.stage.onResults(results);
  }

  async onRejected(rows: readonly RejectedRow[]): Promise<void> {
    this.stage.onRejected(rows);
  }

  async onFileCompleted(fcs: readonly FileCompleted[]): Promise<void> {
    for (const fc of fcs) this.stage.onFileCompleted(fc);
  }

  onRequest(req: SnapshotRequest): void {
    this.requests.set(req.requestId, req);
  }

  private ready(req: SnapshotRequest): boolean {
    const status = this.stage.status(req.period);
    if (!status.complete) return false;
    return req.expect.every((e) => status.files.some((f) => f.program === e.source && f.file === e.file && f.accounted));
  }

  /** Does whatever is due: answer requests, publish events for complete periods, the daily snapshot. */
  async tick(): Promise<SnapshotAnnouncement[]> {
    const written: SnapshotAnnouncement[] = [];
    for (const period of this.stage.store.periods()) {
      if (!this.stage.status(period).complete) continue;
      const events = this.stage.pendingEvents(period, this.opts.hashKey);
      if (events.length > 0) {
        await this.opts.publish<MismatchEvent>(TOPICS.mismatches, events.map((e) => ({ key: `${e.period}/${e.program}/${e.file}#${e.row}`, value: e })));
      }
    }
    for (const [id, req] of this.requests) {
      if (!this.ready(req)) continue;
      this.requests.delete(id);
      written.push(await this.snapshot(req.period, req.date ?? jakartaDateOf(this.opts.clock()), id));
    }
    const now = this.opts.clock();
    if (now >= this.nextDaily) {
      const date = jakartaDateOf(this.nextDaily);
      this.nextDaily = nextDailyRun(now, this.opts.dailyAt);
      for (const period of this.stage.store.periods()) {
        if (this.stage.status(period).complete) written.push(await this.snapshot(period, date));
      }
    }
    return written;
  }

  private async snapshot(period: string, date: string, requestId?: string): Promise<SnapshotAnnouncement> {
    const a = await this.stage.snapshot(
      { period, date, rules: this.opts.rules, regencyName: this.opts.regencyName, padanVersion: this.opts.padanVersion },
      this.opts.store,
    );
    const announcement = requestId ? { ...a, requestId } : a;
    await this.opts.publish<SnapshotAnnouncement>(TOPICS.snapshots, [{ key: period, value: announcement }]);
    this.opts.onSnapshot?.(announcement);
    return announcement;
  }
}
