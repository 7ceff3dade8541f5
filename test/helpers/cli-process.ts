import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: end-to-end tests go through it as a user would (run `pnpm build` first). */
export const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const quietEnv = { ...process.env, PADAN_HASH_KEY: 'test-hash-key' };

/** Runs `padan ARGS` to the end. A timeout guards against hangs (a hang is a failure, not a wait). */
export function runCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; nodeArgs?: readonly string[] } = {}): CliResult {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { cwd: opts.cwd, env: opts.env ?? quietEnv, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Starts `padan ARGS` without waiting (signal tests). */
export function startCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: opts.env ?? quietEnv, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface SummaryFile {
  totals: { rows_read: number; clean: number; flagged: number; rejected: number };
  files: { program: string; source_file: string; rows_read: number; clean: number; flagged: number; rejected: number; accounted: boolean }[];
}

/** Reads summary.json of a snapshot folder and checks the accounting identity, per file and in total. */
export function accountedSummary(snapshotDir: string): SummaryFile {
  const s = JSON.parse(readFileSync(join(snapshotDir, 'dashboard/summary.json'), 'utf8')) as SummaryFile;
  for (const f of [...s.files, { ...s.totals, source_file: '(totals)', accounted: true }]) {
    if (f.rows_read !== f.clean + f.flagged + f.rejected || !f.accounted) throw new Error(`${f.source_file}: rows read ${f.rows_read} != clean ${f.clean} + flagged ${f.flagged} + rejected ${f.rejected}`);
  }
  return s;
}

/** The snapshot folder `padan run` printed on its last line. */
export function snapshotDirOf(r: CliResult): string {
  const m = /snapshot: (.+)$/m.exec(r.stdout);
  if (!m) throw new Error(`no snapshot line in stdout:\n${r.stdout}\n${r.stderr}`);
  return (m[1] as string).trim();
}
