import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** Kernel pseudo-filesystems: not storage. A recursive mkdir under /proc loops forever in Node. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Makes sure `--out` is a folder this process can write, creating it if needed, before any input
 * is read: a run must not spend an hour and then fail to write its snapshot. Missing levels are
 * created one at a time (never `recursive: true`, which hangs on /proc), so each failure names
 * the folder and its cause.
 */
export function ensureOutputFolder(out: string): string {
  const dir = resolve(out);
  const pseudo = PSEUDO_ROOTS.find((r) => dir === r || dir.startsWith(`${r}/`));
  if (pseudo) throw new UsageError(`--out ${out} is under ${pseudo}, a kernel pseudo-filesystem, not storage; give a folder on a disk`);
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(existing).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UsageError(`--out ${out}: cannot inspect ${existing} (${code ?? 'error'}); give a folder you can write`);
      const parent = dirname(existing);
      if (parent === existing) throw new UsageError(`--out ${out}: no existing parent folder`);
      missing.push(existing);
      existing = parent;
      continue;
    }
    if (!isDir) throw new UsageError(`--out ${out}: ${existing} is a file, not a folder; give a folder for the snapshots`);
    break;
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UsageError(`--out ${out}: ${existing} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a folder you can write`);
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    const level = missing[i] as string;
    try {
      mkdirSync(level);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new UsageError(`--out ${out}: cannot create ${level} (${code ?? 'error'}); give a folder you can write`);
    }
  }
  return dir;
}
