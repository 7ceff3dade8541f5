#!/usr/bin/env node
/**
 * The transport baseline as one command (what the benchmark times, like `padan run --mode
 * distributed`): applies the project's topic catalog, starts one process per role (the
 * distributed run's default of one instance per service), feeds the inputs, and exits when the
 * sink has a result for every row; prints the sink's line. A role that exits early ends the run.
 * Usage: transport-run.js PERIOD SOURCE=PATH ...   (KAFKA_* variables as for the services)
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyTopics, connectAdmin, kafkaConnectionFromEnv, loadTopicCatalog } from '@padan/kafka';

const [period, ...inputs] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const roleScript = fileURLToPath(new URL('./transport-role.js', import.meta.url));

const admin = await connectAdmin(kafkaConnectionFromEnv(process.env, 'padan-transport'));
try {
  await applyTopics(admin, loadTopicCatalog(join(root, 'infra', 'topics.json'), process.env));
} finally {
  await admin.disconnect();
}

const children: ChildProcess[] = [];
let finished = false;
function start(role: string, args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, [roleScript, role, period as string, ...args], { stdio: ['ignore', role === 'sink' ? 'pipe' : 'inherit', 'inherit'] });
  child.once('close', (code, signal) => {
    if (finished || (role === 'source' && code === 0)) return;
    if (role === 'sink' && code === 0) return;
    process.stderr.write(`transport-run: role ${role} exited (${code ?? signal}) before the run ended\n`);
    stopAll();
    process.exitCode = 1;
  });
  children.push(child);
  return child;
}
function stopAll(): void {
  finished = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

const sink = start('sink', [String(inputs.length)]);
let line = '';
sink.stdout?.on('data', (d: Buffer) => (line += d.toString('utf8')));
start('normalize', []);
start('match', []);
start('source', inputs);
const code = await new Promise<number | null>((resolve) => sink.once('close', (c) => resolve(c)));
if (!finished) {
  stopAll();
  process.stdout.write(line);
  if (code !== 0) process.exitCode = 1;
}
await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('close', r)))));
