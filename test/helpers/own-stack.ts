import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A fresh Kafka, s3proxy and Redis of the project's stack scripts (infra/local), in a state folder
 * and on ports of its own, for a test that changes what it cannot undo on the shared stack (topic
 * partition counts only grow). `up` fails loudly when a port is taken or a service does not start.
 */
export class OwnStack {
  private readonly dir = mkdtempSync(join(tmpdir(), 'padan-own-stack-'));

  constructor(private readonly ports: { kafka: number; controller: number; s3: number; redis: number }) {}

  private run(script: string, args: string[] = []): void {
    execFileSync('bash', [join(root, 'infra', 'local', script), ...args], {
      env: {
        ...process.env,
        STACK_DIR: this.dir,
        STACK_KAFKA_PORT: String(this.ports.kafka),
        STACK_KAFKA_CONTROLLER_PORT: String(this.ports.controller),
        STACK_S3_PORT: String(this.ports.s3),
        STACK_REDIS_PORT: String(this.ports.redis),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  /** Starts it; returns the environment of a service on it (the stack's `env` file over this process's). */
  up(): NodeJS.ProcessEnv {
    this.run('stack-up.sh');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const line of readFileSync(join(this.dir, 'env'), 'utf8').split('\n')) {
      const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) env[m[1] as string] = (m[2] as string).replace(/^'(.*)'$/, '$1');
    }
    return env;
  }

  /** Stops it and deletes its data. */
  down(): void {
    try {
      this.run('stack-down.sh', ['--purge']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
