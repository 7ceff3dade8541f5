import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, runEmbedded, snapshotContents } from '@padan/cli';
import type { PipelineInput } from '@padan/cli';
import type { SnapshotAnnouncement, Source } from '@padan/contracts';
import { downloadSnapshot, requestSnapshot } from '../../packages/cli/src/distributed.js';

/**
 * Services as OS processes for the fault tests: each started alone, with its own log file, HTTP
 * port and environment, so a test can kill (SIGKILL or SIGTERM) and restart any one of them and
 * read its /readyz, /metrics and log. The stack's processes (Kafka, s3proxy, Redis) are stopped by
 * their pid in `.stack/` and restarted with infra/local/stack-up.sh, which starts what is missing.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
export const HASH_KEY = 'faults-test-hash-key-0001';

export type ServiceName = 'ingest' | 'normalize' | 'match' | 'report';

export class Service {
  private child: ChildProcess;
  private exit: Promise<number | null>;
  private starts = 0;

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    readonly logDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    [this.child, this.exit] = this.spawn();
  }

  get logFile(): string {
    return join(this.logDir, `${this.name}-${this.port}.log`);
  }

  private spawn(): [ChildProcess, Promise<number | null>] {
    this.starts++;
    mkdirSync(this.logDir, { recursive: true });
    const child = spawn(process.execPath, [join(root, 'services', this.name, 'dist', 'main.js')], {
      env: { ...this.env, HTTP_PORT: String(this.port), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(this.logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return [child, exit];
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no graceful stop, no group leave, nothing flushed. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    const force = setTimeout(() => this.child.kill('SIGKILL'), 40_000);
    this.child.kill('SIGTERM');
    const code = await this.exit;
    clearTimeout(force);
    return code;
  }

  restart(): void {
    if (this.running) throw new Error(`${this.name} still runs: stop it first`);
    [this.child, this.exit] = this.spawn();
  }

  async readyz(): Promise<{ status: number; body: string }> {
    try {
      const r = await fetch(`http://127.0.0.1:${this.port}/readyz`);
      return { status: r.status, body: await r.text() };
    } catch {
      return { status: 0, body: '' };
    }
  }

  async metrics(): Promise<string> {
    return fetch(`http://127.0.0.1:${this.port}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Parsed JSON log lines (non-JSON lines, e.g. a Node warning, are skipped). */
  logLines(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.log().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by SIGKILL
      }
    }
    return out;
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every file of a snapshot folder, by name. */
export function snapshotFiles(dir: string): Record<string, Buffer> {
  return snapshotContents(dir);
}

/** The embedded run's snapshot of `inputs` for `period`: what every fault must end with, byte for byte. */
export async function embeddedSnapshot(period: string, inputs: readonly PipelineInput[], outDir: string, date: string): Promise<Record<string, Buffer>> {
  const r = await runEmbedded({
    period,
    inputs,
    outDir,
    date,
    rules: loadRules(),
    hashKey: HASH_KEY,
    padanVersion: JSON.parse(readFileSync(join(root, 'services', 'report', 'package.json'), 'utf8')).version,
  });
  return snapshotFiles(r.snapshotDir);
}

/** Asks report for the period's snapshot (naming every input), waits for it and downloads it. */
export async function distributedSnapshot(period: string, inputs: readonly PipelineInput[], outDir: string, date: string, timeoutMs = 240_000): Promise<{ files: Record<string, Buffer>; announcement: SnapshotAnnouncement }> {
  const expect = inputs.map((i) => ({ source: i.source as Source, file: i.path.split('/').pop() as string }));
  const a = (await requestSnapshot({ period, date, expect, wait: true, timeoutMs })) as SnapshotAnnouncement;
  const dir = await downloadSnapshot(a, outDir);
  return { files: snapshotFiles(dir), announcement: a };
}

/** The pid of a stack process (`kafka`, `s3proxy`, `redis`) from `.stack/<name>.pid`. */
function stackPid(name: 'kafka' | 's3proxy' | 'redis'): number {
  const file = join(root, '.stack', `${name}.pid`);
  if (!existsSync(file)) throw new Error(`${file} missing: the fault tests stop and restart the stack of infra/local/stack-up.sh (pnpm stack:up)`);
  return Number(readFileSync(file, 'utf8').trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one stack process by its pid and waits until it is gone. */
export async function stopStackProcess(name: 'kafka' | 's3proxy' | 'redis', signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const pid = stackPid(name);
  if (!alive(pid)) return;
  process.kill(pid, signal);
  await waitFor(`${name} (pid ${pid}) to exit`, () => !alive(pid), 60_000, 100);
}

/** Starts whatever stack process is not running (stack-up.sh is idempotent) and waits until it answers. */
export function restartStack(): void {
  execFileSync('bash', [join(root, 'infra', 'local', 'stack-up.sh')], { cwd: root, env: process.env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
}

/** A service environment for the stack in process.env; `extra` on top. */
export function serviceEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PADAN_HASH_KEY: HASH_KEY,
    LOG_LEVEL: 'info',
    INGEST_POLL_MS: '300',
    INGEST_BATCH_ROWS: '500',
    REPORT_TICK_MS: '200',
    PADAN_INSTANCE_ID: `faults-${randomUUID().slice(0, 8)}`,
    ...extra,
  };
}

/** A port range of its own per test file run, away from the other integration tests'. */
export function basePort(): number {
  // Below 19 000 (fixed ports of other tests from 19 400 on) and never in the kernel's ephemeral
  // range (Linux: 32 768 and up), where an outgoing connection of any process can hold the port a
  // service is about to listen on (a report failed with EADDRINUSE on 38 404 in CI).
  return 11000 + Math.floor(Math.random() * 790) * 10;
}
