import type { EmbeddedRunOptions, EmbeddedRunResult } from '@padan/pipeline';

/** What the CLI hands the embedded run's worker: the run's options without their callbacks and injected objects. */
export type WorkerRunOptions = Omit<EmbeddedRunOptions, 'onProgress' | 'onMismatch' | 'store' | 'changes'> & {
  /** Compare with the previous period's snapshot (its findings.csv) and write the changes into the snapshot. */
  readonly changesFrom?: { readonly period: string; readonly findings: string };
};

/** An error of the worker as the CLI rebuilds it: an InputError keeps its file, row and rule (exit 2). */
export type WorkerError =
  | { readonly kind: 'input'; readonly file: string; readonly row: number | null; readonly rule: string; readonly message: string }
  | { readonly kind: 'other'; readonly message: string; readonly stack: string | undefined };

/** Messages from the worker to the CLI, in the order they happen. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly file: string; readonly rows: number }
  | { readonly kind: 'done'; readonly result: EmbeddedRunResult }
  | { readonly kind: 'failed'; readonly error: WorkerError };
