import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * The ports of the benchmark's own stack: the STACK_* variables, as `pnpm stack:up` reads them, with
 * defaults of its own (29092, 29093, 29000, 26379) so that it starts beside a developer's stack or a
 * machine's Redis on the usual ports instead of refusing them.
 */
export interface StackPorts {
  readonly kafka: number;
  readonly controller: number;
  readonly s3: number;
  readonly redis: number;
}

export function stackPorts(env: NodeJS.ProcessEnv): StackPorts {
  return {
    kafka: Number(env.STACK_KAFKA_PORT ?? 29092),
    controller: Number(env.STACK_KAFKA_CONTROLLER_PORT ?? 29093),
    s3: Number(env.STACK_S3_PORT ?? 29000),
    redis: Number(env.STACK_REDIS_PORT ?? 26379),
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A fresh local stack (Kafka, s3proxy, Redis) in its own state folder, for one run. Started purged
 * and stopped purged, so each measured run starts from empty topics, bucket and Redis. A port already
 * answering is refused, not reused: stack-up would reuse a Redis that answers, and the run would then
 * neither start fresh nor leave that Redis as it found it.
 */
export class LocalStack {
  constructor(
    private readonly root: string,
    private readonly stackDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private scriptEnv(): NodeJS.ProcessEnv {
    const p = stackPorts(this.env);
    return { ...this.env, STACK_DIR: this.stackDir, STACK_KAFKA_PORT: String(p.kafka), STACK_KAFKA_CONTROLLER_PORT: String(p.controller), STACK_S3_PORT: String(p.s3), STACK_REDIS_PORT: String(p.redis) };
  }

  private script(name: string, args: string[]): void {
    execFileSync('bash', [join(this.root, 'infra', 'local', name), ...args], { env: this.scriptEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
  }

  /** Starts it purged; returns the service variables it printed. */
  async up(): Promise<Record<string, string>> {
    this.down();
    const ports = stackPorts(this.env);
    for (const [name, port] of Object.entries(ports)) {
      if (await portOpen(port)) {
        throw new Error(`port ${port} (${name}) already answers on 127.0.0.1: the benchmark needs a fresh stack of its own; stop what listens there or choose other ports with STACK_KAFKA_PORT, STACK_KAFKA_CONTROLLER_PORT, STACK_S3_PORT, STACK_REDIS_PORT`);
      }
    }
    this.script('stack-up.sh', []);
    const vars: Record<string, string> = {};
    for (const line of readFileSync(join(this.stackDir, 'env'), 'utf8').split('\n')) {
      const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) vars[m[1] as string] = (m[2] as string).replace(/^'(.*)'$/, '$1');
    }
    return vars;
  }

  /** The pids of its services, by name (kafka, s3proxy, redis), for the process sampler. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of ['kafka', 's3proxy', 'redis']) {
      const f = join(this.stackDir, `${name}.pid`);
      if (existsSync(f)) out[name] = Number(readFileSync(f, 'utf8').trim());
    }
    return out;
  }

  /** Stops it and deletes its data. Nothing running is fine. */
  down(): void {
    if (existsSync(this.stackDir)) this.script('stack-down.sh', ['--purge']);
  }
}
