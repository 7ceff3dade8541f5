/**
 * The embedded run's worker thread (see embedded-worker-run.ts): runs the pipeline with the options
 * it is given and posts progress, then the result or the error.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { compareMonths, writeChanges } from './month-changes.js';
import { InputError } from '@padan/io';
import { runEmbedded } from '@padan/pipeline';
import type { WorkerError, WorkerMessage, WorkerRunOptions } from './embedded-worker-messages.js';

const port = parentPort;
if (!port) throw new Error('embedded-worker.js runs as a worker thread of padan run; start padan instead');
const post = (m: WorkerMessage) => port.postMessage(m);

function serialized(e: unknown): WorkerError {
  if (e instanceof InputError) return { kind: 'input', file: e.file, row: e.row, rule: e.rule, message: e.message };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'other', message: err.message, stack: err.stack };
}

/** The changes against the previous period, written beside the new snapshot's findings (month-changes.ts). */
function changesHook(opts: WorkerRunOptions): ((dir: string) => Promise<boolean>) | undefined {
  const from = opts.changesFrom;
  if (!from) return undefined;
  return async (dir) => {
    const programs = opts.inputs.filter((i) => i.source !== 'DTKS');
    const diff = await compareMonths(from.findings, join(dir, 'findings.csv'), programs, opts.mapping ?? {}, opts.period, opts.workDir ?? dir);
    await writeChanges(diff, dir, from.period, opts.period, opts.hashKey);
    return true;
  };
}

try {
  const data = workerData as WorkerRunOptions;
  const changes = changesHook(data);
  const result = await runEmbedded({ ...data, ...(changes ? { changes } : {}), onProgress: (file, rows) => post({ kind: 'progress', file, rows }) });
  post({ kind: 'done', result });
} catch (e) {
  post({ kind: 'failed', error: serialized(e) });
}
