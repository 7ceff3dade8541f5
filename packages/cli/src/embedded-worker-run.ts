import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { InputError } from '@padan/io';
import type { EmbeddedRunResult } from '@padan/pipeline';
import type { WorkerError, WorkerMessage, WorkerRunOptions } from './embedded-worker-messages.js';

/**
 * The young generation of the embedded run's heap, MB (V8 divides it into three semi-spaces).
 * Node's default (48 MB on 64-bit) fills every few milliseconds on the hot path: batches of 1 000
 * records live across a chain of stages, so they survive scavenges, are copied twice and promoted,
 * and the old generation then collects them. With 64 MB semi-spaces they die young: the jambi
 * month used 17 % fewer CPU seconds (user 47 → 40 s) at the same peak RSS (918 MB). A worker's
 * `resourceLimits` is the one place a program sets it for itself; the user passes no node flag.
 */
export const EMBEDDED_YOUNG_GENERATION_MB = 192;

/**
 * How far V8 lets the old generation grow past its live size before the next full collection, in
 * percent. Left to itself, with a limit sized from the machine's memory, V8 lets garbage pile up to
 * several times the live heap (the match state lives in typed arrays outside it). Measured on the
 * jambi month, quiet machine, two runs each: V8's own 0.97–0.99 GB peak RSS, user 38–40 s; 100 %:
 * 0.86 GB, 40 s; 50 %: 0.78–0.80 GB but 43–46 s. 100 % is also the services' factor
 * (service-heap.ts). This is no cap: the heap still grows as far as the state needs.
 */
export const EMBEDDED_HEAP_GROWING_PERCENT = 100;

/**
 * Runs the embedded pipeline in a worker thread of this process, with its own heap sized for the
 * hot path (EMBEDDED_YOUNG_GENERATION_MB; the old generation is V8's default: the state bounds it,
 * not a cap). Progress comes back as messages; an InputError is rebuilt with its file, row and rule.
 */
export function runEmbeddedInWorker(opts: WorkerRunOptions, onProgress: (file: string, rows: number) => void): Promise<EmbeddedRunResult> {
  // V8 reads this flag at each full collection, so setting it now (process-wide) takes effect; it
  // is the growing factor the services get on their command line (service-heap.ts), without asking
  // the user for a node flag.
  setFlagsFromString(`--heap-growing-percent=${EMBEDDED_HEAP_GROWING_PERCENT}`);
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(new URL('./embedded-worker.js', import.meta.url), {
      workerData: opts,
      resourceLimits: { maxYoungGenerationSizeMb: EMBEDDED_YOUNG_GENERATION_MB },
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress(m.file, m.rows);
      else if (m.kind === 'done') settle(() => resolvePromise(m.result));
      else settle(() => reject(rebuilt(m.error)));
    });
    // An error the worker did not catch (out of memory, a crash in a stream): the run failed.
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the embedded run's worker exited with code ${code} before finishing; run again, and report it if it repeats`))));
  });
}

function rebuilt(e: WorkerError): Error {
  if (e.kind === 'input') {
    const err = new InputError(e.file, e.row, e.rule, '');
    err.message = e.message;
    return err;
  }
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}
