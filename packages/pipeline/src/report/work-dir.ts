import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const PREFIX = 'padan-report-';
const OWNED = /^padan-report-(\d+)-/;

/**
 * Creates this process's folder for report's spill files under `parent`, after removing the
 * folders that processes no longer running left behind (a crash or a kill): spill files hold
 * personal data, so none outlives its process for long. Folders of live processes (another report
 * instance sharing `parent`) are left alone.
 */
export async function createWorkDir(parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  for (const name of await readdir(parent)) {
    const m = OWNED.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    await rm(join(parent, name), { recursive: true, force: true });
  }
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
