import { basename } from 'node:path';
import type { Field, FileCompleted, RawBatch, RejectedRow, Source } from '@padan/contracts';
import type { ColumnMapping } from '@padan/core';
import { detectFormat, inputChecksum, readSourceBatches } from '@padan/io';
import type { ReaderLimits } from '@padan/io';

export interface IngestTarget {
  readonly path: string;
  readonly period: string;
  readonly source: Source;
  readonly runId: string;
  readonly mapping?: ColumnMapping;
  /** Name recorded as the file's lineage; defaults to the path's base name. */
  readonly fileName?: string;
  /** The file's checksum when the caller has it already (it hashed the file for the run id): a file is hashed once. */
  readonly checksum?: { readonly sha256: string; readonly bytes: number };
}

/**
 * Where ingest sends what it reads. Each call resolves once the output is accepted downstream.
 * `batch` gets the rows and the dead letters of one flush together (one transaction in the
 * service); `lastRow` is the highest source row they cover.
 */
export interface IngestSink {
  batch(raw: RawBatch | null, rejected: readonly RejectedRow[], lastRow: number): Promise<void>;
  completed(fc: FileCompleted): Promise<void>;
}

export interface IngestOptions {
  readonly batchSize?: number;
  /** Called after every batch with the rows read so far (progress display). */
  readonly onProgress?: (rowsRead: number) => void;
  /** Skip rows up to and including this one: a restarted ingest resumes where it left off. */
  readonly resumeAfterRow?: number;
  /** Bounds on hostile input, read once from the environment by the caller (default: the readers' defaults). */
  readonly limits?: ReaderLimits;
  /** Where the readers may keep temporary files (XLSX shared strings); the CLI keeps them inside --out. */
  readonly tempDir?: string;
}

/**
 * Streams one file into batches of raw rows, dead letters and a completion record with the row
 * counts, so that downstream stages can prove every row is accounted for.
 */
export async function ingestFile(target: IngestTarget, sink: IngestSink, opts: IngestOptions = {}): Promise<FileCompleted> {
  const batchSize = opts.batchSize ?? 2000;
  const file = target.fileName ?? basename(target.path);
  const format = detectFormat(target.path);
  const checksum = target.checksum ?? (await inputChecksum(target.path));
  const lineage = { period: target.period, source: target.source, file, runId: target.runId, format };
  let fields: Field[] = [];
  let headerRow = 0;
  let rows: [number, string[]][] = [];
  let rejects: RejectedRow[] = [];
  let emitted = 0;
  let rejected = 0;
  const resumeAfter = opts.resumeAfterRow ?? 0;

  let lastRow = 0;
  const flush = async (): Promise<void> => {
    if (rows.length > 0 || rejects.length > 0) {
      await sink.batch(rows.length > 0 ? { v: 1, ...lineage, fields, rows } : null, rejects, lastRow);
      rows = [];
      rejects = [];
    }
    opts.onProgress?.(emitted + rejected);
  };

  const readOpts = {
    source: target.source,
    mapping: target.mapping ?? {},
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
  };
  for await (const events of readSourceBatches(target.path, readOpts)) {
    for (const ev of events) {
      if (ev.kind === 'header') {
        fields = ev.fields;
        headerRow = ev.headerRow;
        continue;
      }
      if (ev.kind === 'row') {
        emitted++;
        if (ev.row > resumeAfter) rows.push([ev.row, ev.values]);
      } else {
        rejected++;
        if (ev.row > resumeAfter) rejects.push({ v: 1, ...lineage, row: ev.row, reason: ev.reason, message: ev.message, raw: ev.raw });
      }
      if (ev.row > lastRow) lastRow = ev.row;
      if (rows.length + rejects.length >= batchSize) await flush();
    }
  }
  await flush();
  const fc: FileCompleted = {
    v: 1,
    ...lineage,
    sha256: checksum.sha256,
    bytes: checksum.bytes,
    fields,
    headerRow,
    rowsRead: emitted + rejected,
    rowsEmitted: emitted,
    rowsRejected: rejected,
  };
  await sink.completed(fc);
  return fc;
}
