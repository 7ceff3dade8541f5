import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ProcessSampler } from './process-sampler.js';
import type { ProcessUsage } from './process-sampler.js';

export interface TimedRun {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** From spawn to the command's exit: for padan, until every snapshot file is written and downloaded. */
  readonly wallSeconds: number;
  /** CPU of the command's process tree (every service instance it started); the stack's apart. */
  readonly cpuSeconds: number;
  readonly stackCpuSeconds: number;
  readonly processes: ProcessUsage[];
  readonly stdout: string;
  readonly logFile: string;
}

/**
 * Runs one benchmark target as the user would (a child process), sampling its process tree and
 * the stack's processes from /proc. Its stdout and stderr go to `logFile`; stdout is also returned.
 */
export async function timedRun(opts: {
  label: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  stackPids?: Readonly<Record<string, number>>;
  whileRunning?: () => void;
}): Promise<TimedRun> {
  const sampler = new ProcessSampler(opts.stackPids ?? {});
  const log = createWriteStream(opts.logFile);
  const t0 = performance.now();
  const child = spawn(opts.argv[0] as string, opts.argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) sampler.addRoot(child.pid);
  sampler.start();
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
    log.write(d);
  });
  child.stderr.on('data', (d: Buffer) => log.write(d));
  const poll = opts.whileRunning ? setInterval(opts.whileRunning, 1000) : undefined;
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  const wallSeconds = (performance.now() - t0) / 1000;
  if (poll) clearInterval(poll);
  const processes = sampler.stop();
  await new Promise<void>((resolve) => log.end(resolve));
  const stackNames = new Set(Object.keys(opts.stackPids ?? {}));
  const sum = (xs: ProcessUsage[]) => +xs.reduce((a, p) => a + p.cpuSeconds, 0).toFixed(2);
  return {
    command: opts.label,
    exitCode,
    signal,
    wallSeconds: +wallSeconds.toFixed(2),
    cpuSeconds: sum(processes.filter((p) => !stackNames.has(p.label))),
    stackCpuSeconds: sum(processes.filter((p) => stackNames.has(p.label))),
    processes,
    stdout,
    logFile: opts.logFile,
  };
}
