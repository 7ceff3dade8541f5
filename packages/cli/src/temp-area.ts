import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage-error.js';

/** Folders `--out/.tmp-<pid>-<stamp>/`: the run's temporary files, which hold full NIKs and names. */
const TEMP_PREFIX = '.tmp-';
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

export interface TempArea {
  /** The folder to write temporary files into; inside `--out`, on the same disk as the snapshot. */
  readonly dir: string;
  /** Removes the folder and stops watching signals; safe to call twice. */
  dispose(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary files of a run live inside `--out` (restricted like the snapshot it becomes), never in
 * the shared /tmp, and are removed however the run ends: normally, on an error, or on SIGINT,
 * SIGTERM or SIGHUP. A run killed with SIGKILL cannot clean up; the next run into the same folder
 * removes what a dead process left behind. Creating the folder also proves `--out` writable before
 * any input is read.
 */
export function openTempArea(outDir: string, stderr: (s: string) => void = (s) => process.stderr.write(s)): TempArea {
  for (const name of safeReaddir(outDir)) {
    const pid = Number(/^\.tmp-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  const dir = join(outDir, `${TEMP_PREFIX}${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'probe'), 'padan');
    rmSync(join(dir, 'probe'));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(`--out ${outDir}: cannot write there (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a folder you can write, with free space`);
  }

  let disposed = false;
  const remove = (): void => {
    if (disposed) return;
    disposed = true;
    // Writes still running on libuv's thread pool can add a file while the folder is removed
    // (ENOTEMPTY): retry. A file landing after this is removed by the next run (its pid is dead).
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch (e) {
      stderr(`padan: could not remove temporary folder ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}); it holds personal data: delete it\n`);
    }
  };
  const handlers = new Map<NodeJS.Signals, () => void>();
  const dispose = (): void => {
    remove();
    for (const [signal, h] of handlers) process.off(signal, h);
    process.off('exit', remove);
  };
  for (const [signal, number] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
    const h = (): void => {
      dispose();
      stderr(`padan: stopped by ${signal}; temporary files removed; no new snapshot was completed (a snapshot folder without manifest.json is incomplete: run again)\n`);
      // The conventional exit status of a process ended by a signal.
      process.exit(128 + number);
    };
    handlers.set(signal, h);
    process.once(signal, h);
  }
  process.once('exit', remove);
  return { dir, dispose };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX));
  } catch {
    return [];
  }
}
