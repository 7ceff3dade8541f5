import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { MESSAGE_KEYS, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, MismatchEvent, NormalizedBatch, RawBatch, RejectedRow, ResultBatch, SnapshotAnnouncement, Source } from '@padan/contracts';
import { checkDtksSize, dtksTooSmallDetail } from '@padan/core';
import type { ColumnMapping, ProgramRules } from '@padan/core';
import { ingestFile, runIdOf } from '../ingest/index.js';
import { InputError, inputChecksum, readerLimitsFromEnv } from '@padan/io';
import { MatchStage, publishMatchOutput } from '../match/index.js';
import type { MatchOutput } from '../match/index.js';
import { CountingMatchState, MemoryMatchState } from '@padan/match-state';
import { normalizeBatch } from '../normalize/index.js';
import { ReportService } from '../report/index.js';
import type { PeriodStatus } from '../report/index.js';
import { FolderObjectStore, InProcessBus } from '@padan/runtime';
import type { ObjectStore } from '@padan/runtime';
import { fixedRawBatch, fixKey } from './row-fix.js';
import type { Fix } from './row-fix.js';
import { regencyName, regionCatalog } from './regions.js';

export interface PipelineInput {
  readonly source: Source;
  readonly path: string;
}

export interface EmbeddedRunOptions {
  readonly period: string;
  readonly inputs: readonly PipelineInput[];
  readonly outDir: string;
  readonly date: string;
  readonly rules: { rules: ProgramRules; sha256: string };
  readonly mapping?: Partial<Record<Source, ColumnMapping>>;
  readonly hashKey: string;
  readonly padanVersion: string;
  readonly onProgress?: (file: string, rows: number) => void;
  /** Observes mismatch events as they are published (tests, dashboards in-process). */
  readonly onMismatch?: (events: readonly MismatchEvent[]) => void;
  /** Ingest files in the order given instead of DTKS first (tests prove order does not matter). */
  readonly keepInputOrder?: boolean;
  /** Rows per raw batch; small batches interleave stages more (tests). */
  readonly batchSize?: number;
  /** Where temporary files go (they hold personal data); the CLI gives a folder inside `outDir`. Default: the OS temp folder. */
  readonly workDir?: string;
  /** Accept a DTKS release with no rows or fewer than 1 % of the program rows (`--allow-small-dtks`). */
  readonly allowSmallDtks?: boolean;
  /** Results report holds in memory before spilling them to a sorted run (tests force many spills). Default: report's. */
  readonly reportSpillRows?: number;
  /** The object store the snapshot is published to; default: a folder store on `outDir` (tests inject failing stores). */
  readonly store?: ObjectStore;
  /**
   * Fixed rows (`padan dlq redrive`), by `fixKey`: each replaces its dead letter with the fixed
   * values under the row's original lineage, so the row moves from rejected to clean or flagged.
   * Every fix must meet its dead letter, else the run stops (rule FIX_TARGET).
   */
  readonly fixes?: { readonly byKey: ReadonlyMap<string, Fix>; readonly files: readonly { file: string; sha256: string; rows: number }[] };
  /**
   * Pass every message between stages through its topic's contract and wire encoding, as Kafka
   * would (tests; `PADAN_VALIDATE=1`). Off by default: it costs a JSON round trip per record.
   */
  readonly validate?: boolean;
  /** The run recorded in the snapshot's manifest (a reprocess has its own); default: the inputs' run ids. */
  readonly snapshotRunId?: string;
  /** The DTKS release the period is reconciled against (id, first period), recorded in the manifest. */
  readonly dtksRelease?: { readonly id: string; readonly from: string };
  /** The inputs' checksums, in the order of `inputs`, when the caller has them (the CLI archives by checksum): not read twice. */
  readonly checksums?: readonly { readonly sha256: string; readonly bytes: number }[];
  /** Writes changes.csv and changes.parquet beside the snapshot's findings.csv (see SnapshotContext.changes). */
  readonly changes?: (dir: string) => Promise<boolean>;
}

export interface EmbeddedRunResult {
  readonly snapshot: SnapshotAnnouncement;
  readonly status: PeriodStatus;
  readonly snapshotDir: string;
  readonly runId: string;
  readonly events: number;
  /**
   * Work done, in machine-independent units: results match emitted, and items that crossed the
   * match-state port. Both must grow linearly with the input, whatever repeats it holds.
   */
  readonly work: { readonly results: number; readonly stateItems: number };
  /** Each input with its checksum, in the order given. */
  readonly inputs: readonly { readonly source: Source; readonly path: string; readonly sha256: string }[];
}

/**
 * The whole pipeline in one process: the four stages wired through the in-process bus, an
 * in-memory DTKS index and a local folder as object store. The stages are the same code the
 * services run on Kafka, Redis and S3.
 */
export async function runEmbedded(opts: EmbeddedRunOptions): Promise<EmbeddedRunResult> {
  const bus = new InProcessBus((opts.validate ?? process.env.PADAN_VALIDATE === '1') ? { contracts: TOPIC_CONTRACTS } : {});
  const store = opts.store ?? new FolderObjectStore(opts.outDir, opts.workDir ? { tmpDir: opts.workDir } : {});
  // The report service's own events and snapshot, without its schedule: this run writes one snapshot.
  const report = new ReportService({
    store,
    publish: (topic, messages) => bus.publish(topic, messages),
    hashKey: opts.hashKey,
    rules: { version: opts.rules.rules.version, sha256: opts.rules.sha256 },
    regencyName,
    padanVersion: opts.padanVersion,
    ...(opts.fixes ? { fixes: opts.fixes.files } : {}),
    ...(opts.snapshotRunId ? { runId: opts.snapshotRunId } : {}),
    ...(opts.dtksRelease ? { dtksRelease: opts.dtksRelease } : {}),
    ...(opts.changes ? { changes: opts.changes } : {}),
    ...(opts.workDir ? { snapshotWorkDir: opts.workDir } : {}),
    // Report's spill files hold personal data: inside --out like the readers' temporary files, and
    // removed when the run ends, whether it succeeds or fails.
    spill: { workDir: opts.workDir ?? opts.outDir, ...(opts.reportSpillRows ? { spillRows: opts.reportSpillRows } : {}) },
  });
  try {
    return await runStages(opts, bus, store, report);
  } finally {
    await report.close();
  }
}

async function runStages(opts: EmbeddedRunOptions, bus: InProcessBus, store: ObjectStore, report: ReportService): Promise<EmbeddedRunResult> {
  const names = opts.inputs.map((i) => `${i.source}/${basename(i.path)}`);
  const dupName = names.find((n, i) => names.indexOf(n) !== i);
  if (dupName) throw new InputError(dupName, null, 'UNIQUE_FILE', 'the same file name is given twice for one source; records are identified by file name and row, so rename one');
  if (!opts.inputs.some((i) => i.source === 'DTKS')) throw new InputError('(inputs)', null, 'DTKS_REQUIRED', 'no DTKS release given; pass --dtks FILE');

  // Read once per run, before any input: a bad value stops the run with exit 2.
  const limits = readerLimitsFromEnv(process.env);
  // Temporary files of the readers hold personal data: keep them inside --out, not in /tmp.
  await mkdir(opts.outDir, { recursive: true });
  const regions = regionCatalog();
  const state = new CountingMatchState(new MemoryMatchState());
  const match = new MatchStage(state.state, opts.rules.rules);
  let resultsEmitted = 0;
  let events = 0;

  bus.subscribe<RawBatch>(TOPICS.raw, 'normalize', async (msgs) => {
    await bus.publish(TOPICS.normalized, msgs.map((m) => ({ key: MESSAGE_KEYS.normalizedBatch(m.value, m.value.rows[0]?.[0] ?? 0), value: normalizeBatch(m.value, regions) })));
  });
  // The services' order of publishing and acknowledging, from the one function that knows it.
  const publishMatch = (out: MatchOutput) => publishMatchOutput(match, out, bus, { onResults: (_, emitted) => (resultsEmitted += emitted) });
  bus.subscribe<NormalizedBatch>(TOPICS.normalized, 'match', async (msgs) => {
    for (const m of msgs) await publishMatch(await match.onNormalized(m.value));
  });
  bus.subscribe<FileCompleted>(TOPICS.files, 'match', async (msgs) => {
    for (const m of msgs) await publishMatch(await match.onFileCompleted(m.value));
  });
  bus.subscribe<FileCompleted>(TOPICS.files, 'report', (msgs) => report.onFileCompleted(msgs.map((m) => m.value)));
  const completed: FileCompleted[] = [];
  bus.tap<FileCompleted>(TOPICS.files, (msgs) => {
    for (const m of msgs) completed.push(m.value);
  });
  bus.subscribe<ResultBatch>(TOPICS.results, 'report', async (msgs) => void (await report.onResultBatches(msgs.map((m) => m.value))));
  bus.subscribe<RejectedRow>(TOPICS.rejected, 'report', async (msgs) => report.onRejected(msgs.map((m) => m.value)));
  bus.subscribe<MismatchEvent>(TOPICS.mismatches, 'observer', async (msgs) => {
    events += msgs.length;
    opts.onMismatch?.(msgs.map((m) => m.value));
  });

  const checksums = await Promise.all(opts.inputs.map(async (i, n) => ({ source: i.source, ...(opts.checksums?.[n] ?? (await inputChecksum(i.path))) })));
  const runId = runIdOf(opts.period, checksums);
  // Each file's lineage carries its own run id (period, source, checksum), as in the distributed
  // ingest, which sees files one by one.
  const fileRunId = new Map(opts.inputs.map((i, n) => [i, runIdOf(opts.period, [checksums[n] as { source: string; sha256: string }])]));
  const checksumOf = new Map(opts.inputs.map((i, n) => [i, checksums[n]]));

  // DTKS first: match holds program records until the release is complete, so this order only
  // avoids holding them in memory; any order gives the same snapshot.
  const ordered = opts.keepInputOrder
    ? opts.inputs
    : [...opts.inputs.filter((i) => i.source === 'DTKS'), ...opts.inputs.filter((i) => i.source !== 'DTKS')];
  const applied = new Set<string>();
  for (const input of ordered) {
    const file = basename(input.path);
    let fixedRows = 0;
    await ingestFile(
      { path: input.path, period: opts.period, source: input.source, runId: fileRunId.get(input) as string, mapping: opts.mapping?.[input.source] ?? {}, checksum: checksumOf.get(input) as { sha256: string; bytes: number } },
      {
        batch: async (batch, rejected) => {
          if (batch) await bus.publish(TOPICS.raw, [{ key: MESSAGE_KEYS.rawBatch(batch, batch.rows[0]?.[0] ?? 0), value: batch }]);
          const stillRejected: RejectedRow[] = [];
          for (const r of rejected) {
            const key = fixKey(r.source, r.file, r.row);
            const fix = opts.fixes?.byKey.get(key);
            if (!fix) {
              stillRejected.push(r);
              continue;
            }
            applied.add(key);
            fixedRows++;
            await bus.publish(TOPICS.raw, [{ key: MESSAGE_KEYS.rawBatch(r, r.row), value: fixedRawBatch(fix, r) }]);
          }
          await bus.publish(TOPICS.rejected, stillRejected.map((r) => ({ key: MESSAGE_KEYS.rejectedRow(r), value: r })));
        },
        // A fixed row is read like any other: it counts as emitted, no longer as rejected.
        completed: (fc) =>
          bus.publish(TOPICS.files, [{ key: MESSAGE_KEYS.file(fc), value: fixedRows === 0 ? fc : { ...fc, rowsEmitted: fc.rowsEmitted + fixedRows, rowsRejected: fc.rowsRejected - fixedRows } }]),
      },
      { onProgress: (rows) => opts.onProgress?.(file, rows), limits, tempDir: opts.workDir ?? opts.outDir, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
    );
  }

  for (const [key, fix] of opts.fixes?.byKey ?? []) {
    if (!applied.has(key)) {
      throw new InputError(fix.fixesFile, fix.fixesRow, 'FIX_TARGET', `${fix.source}/${fix.file} row ${fix.row} is not a dead letter of this period's inputs; only rows listed by padan dlq inspect can be fixed (correct other rows in the source file)`);
    }
  }
  if (!opts.allowSmallDtks) checkDtksRelease(completed);

  const status = report.stage.status(opts.period);
  if (!status.complete) {
    const missing = status.files.filter((f) => !f.accounted).map((f) => `${f.program}/${f.file}: read ${f.rowsRead}, accounted ${f.clean + f.flagged + f.rejected}`);
    throw new Error(`internal error: not every input row is accounted for (${missing.join('; ')}); please report this with the manifest`);
  }
  await report.publishEvents(opts.period);
  const snapshot = await report.snapshot(opts.period, opts.date);
  const inputs = opts.inputs.map((i, n) => ({ source: i.source, path: i.path, sha256: (checksums[n] as { sha256: string }).sha256 }));
  return { snapshot, status, snapshotDir: store.describe(snapshot.prefix), runId, events, work: { results: resultsEmitted, stateItems: state.items }, inputs };
}

/** Stops the run when the DTKS release is empty or too small for the period's program rows (issue 6). */
function checkDtksRelease(completed: readonly FileCompleted[]): void {
  let dtksRows = 0;
  let programRows = 0;
  let dtksFile = '(DTKS)';
  for (const fc of completed) {
    if (fc.source === 'DTKS') {
      dtksRows += fc.rowsEmitted;
      dtksFile = fc.file;
    } else programRows += fc.rowsRead;
  }
  if (checkDtksSize(dtksRows, programRows).tooSmall) throw new InputError(dtksFile, null, 'DTKS_TOO_SMALL', dtksTooSmallDetail(dtksRows, programRows, '--allow-small-dtks'));
}
