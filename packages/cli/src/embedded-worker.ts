/**
 * The embedded run's worker thread (see embedded-worker-run.ts): runs the pipeline with the options
 * it is given and posts progress, then the result or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

try {
  const result = await runEmbedded({ ...(workerData as WorkerRunOptions), onProgress: (file, rows) => post({ kind: 'progress', file, rows }) });
  post({ kind: 'done', result });
} catch (e) {
  post({ kind: 'failed', error: serialized(e) });
}
