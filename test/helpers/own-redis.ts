import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A port free now on 127.0.0.1 (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A redis-server of one test's own, without persistence (`--save '' --appendonly no`): the state
 * tests flush it and kill it, which the shared stack's Redis must not see (the stack reuses any
 * Redis that answers PING). A restart comes back empty on the same port, as a Redis restarted
 * without its data does. Needs apt's redis-server on the PATH; fails loudly without it.
 */
export class OwnRedis {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const r = new OwnRedis(await freePort());
    await r.spawn();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async spawn(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start redis-server (apt install redis-server): ${e.message}`))));
    failed.catch(() => {});
    const end = Date.now() + 20_000;
    for (;;) {
      try {
        if ((await Promise.race([this.cli('PING'), failed])) === 'PONG') return;
      } catch (e) {
        if (Date.now() > end) throw new Error(`redis-server on port ${this.port} did not answer PING within 20 s: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** One command through redis-cli (apt's, beside redis-server): its reply, trimmed. */
  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args], { timeout: 10_000 });
    return stdout.trim();
  }

  /** Sends FLUSHALL: every key gone, the server still up. */
  async flushAll(): Promise<void> {
    const reply = await this.cli('FLUSHALL');
    if (reply !== 'OK') throw new Error(`FLUSHALL on port ${this.port} answered ${reply}`);
  }

  /** Kills the server (SIGKILL) and starts an empty one on the same port. */
  async restartEmpty(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
