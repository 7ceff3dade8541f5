import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { SnapshotAnnouncement, Source } from '@padan/contracts';
import { landingKey, latestPointerKey } from '@padan/pipeline';
import { inputChecksum, InputError } from '@padan/io';
import { applyTopics, connectAdmin, kafkaConnectionFromEnv, KafkaBus, loadTopicCatalog, silentLogger } from '@padan/kafka';
import type { ApplyTopicsReport } from '@padan/kafka';
import { S3ObjectStore } from '@padan/s3';
import { heapEnv, loadConfig, MALLOC_ARENAS, serviceHeapFlags } from '@padan/service-kit';
import type { PipelineInput } from '@padan/pipeline';
import { ServiceExitedError } from './service-exited-error.js';
import { verifySnapshot } from './snapshot-folder.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const TOPIC_CATALOG_PATH = join(root, 'infra', 'topics.json');

/** `padan topics apply`: creates or updates the topics of infra/topics.json; idempotent. */
export async function topicsApply(env: NodeJS.ProcessEnv = process.env): Promise<ApplyTopicsReport> {
  const admin = await connectAdmin(kafkaConnectionFromEnv(env, 'padan-cli'));
  try {
    return await applyTopics(admin, loadTopicCatalog(TOPIC_CATALOG_PATH, env));
  } finally {
    await admin.disconnect();
  }
}

/** The sha256 of an object's content (downloaded to a temporary folder). */
async function objectSha256(store: S3ObjectStore, key: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'padan-landing-'));
  try {
    const local = join(dir, 'object');
    await store.getFile(key, local);
    return (await inputChecksum(local)).sha256;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `padan ingest`: uploads the files to the landing prefix, where the ingest service picks them up.
 * Every file is checked before any is uploaded: a landing name that already holds the same content
 * is left as it is (ingest would skip it anyway); one that holds different content is refused with
 * an InputError (exit 2), since ingest keeps the file it ingested first and would ignore the new one.
 */
export async function uploadToLanding(period: string, inputs: readonly PipelineInput[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const store = S3ObjectStore.fromEnv(env);
  const todo: { key: string; path: string }[] = [];
  const keys: string[] = [];
  for (const i of inputs) {
    const file = basename(i.path);
    const key = landingKey(period, i.source, file);
    keys.push(key);
    if (!(await store.exists(key))) {
      todo.push({ key, path: i.path });
      continue;
    }
    const [local, landed] = [(await inputChecksum(i.path)).sha256, await objectSha256(store, key)];
    if (local === landed) continue;
    throw new InputError(
      file,
      null,
      'LANDING_NAME_TAKEN',
      `${store.describe(key)} already holds a different file (sha256 ${landed.slice(0, 12)}…; this one ${local.slice(0, 12)}…), ` +
        `and ingest keeps the file it ingested first: this upload would be ignored. Nothing was uploaded. Replacing an ingested file is not supported yet; ` +
        `to reconcile the corrected file, run the period again with it (padan run)`,
    );
  }
  for (const t of todo) await store.putFile(t.key, t.path);
  return keys;
}

export interface SnapshotOptions {
  readonly period: string;
  readonly date?: string;
  readonly expect?: readonly { source: Source; file: string }[];
  readonly wait: boolean;
  readonly timeoutMs?: number;
  /** Ends the wait early with the signal's reason (the distributed run: a service exited). */
  readonly signal?: AbortSignal;
}

/**
 * `padan snapshot`: asks report for a snapshot. With `wait`, resolves with the announcement once
 * report has written it (report answers when the period's files are all accounted for).
 */
export async function requestSnapshot(opts: SnapshotOptions, env: NodeJS.ProcessEnv = process.env): Promise<SnapshotAnnouncement | null> {
  const conn = kafkaConnectionFromEnv(env, 'padan-cli');
  const bus = new KafkaBus({ ...conn, contracts: TOPIC_CONTRACTS, logger: silentLogger, fromBeginning: false });
  const requestId = randomUUID();
  let answered: (a: SnapshotAnnouncement) => void = () => {};
  const answer = new Promise<SnapshotAnnouncement>((resolve) => (answered = resolve));
  try {
    if (opts.wait) {
      bus.subscribe<SnapshotAnnouncement>(TOPICS.snapshots, `padan-cli-${requestId}`, async (messages) => {
        for (const m of messages) if (m.value.requestId === requestId) answered(m.value);
      });
      await bus.run();
    } else {
      await bus.connect();
    }
    await bus.publish(TOPICS.snapshotRequests, [
      { key: opts.period, value: { v: 1, requestId, period: opts.period, ...(opts.date ? { date: opts.date } : {}), expect: [...(opts.expect ?? [])] } },
    ]);
    if (!opts.wait) return null;
    const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no snapshot for ${opts.period} after ${Math.round(timeoutMs / 1000)} s: is the report service running, and are all the period's files ingested?`)), timeoutMs);
    });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      const signal = opts.signal;
      if (!signal) return;
      onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([answer, timeout, aborted]);
    } finally {
      clearTimeout(timer);
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await bus.close();
  }
}

/** Copies a snapshot's objects from S3 to `outDir`, under the same key layout as the embedded run. */
export async function downloadSnapshot(a: SnapshotAnnouncement, outDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const store = S3ObjectStore.fromEnv(env);
  for (const o of a.objects) await store.getFile(o.key, join(outDir, ...o.key.split('/')));
  // The pointer too, when it names this snapshot: readers of the local copy find the current one by it.
  const pointer = latestPointerKey(a.period);
  const latest = await store.get(pointer).catch(() => null);
  if (latest !== null && (JSON.parse(latest.toString('utf8')) as { prefix?: string }).prefix === a.prefix) {
    mkdirSync(join(outDir, ...pointer.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(outDir, ...pointer.split('/')), latest);
  }
  const dir = join(outDir, ...a.prefix.split('/').filter(Boolean));
  await verifySnapshot(dir);
  return dir;
}

export const SERVICES = ['ingest', 'normalize', 'match', 'report'] as const;

export interface RunningServices {
  readonly children: ChildProcess[];
  readonly logDir: string;
  /**
   * Aborted, with a ServiceExitedError as its reason, when a service exits before `stop()`: a
   * distributed run cannot finish without all four, so waiting on would only hide the failure.
   */
  readonly exited: AbortSignal;
  stop(): Promise<void>;
}


/**
 * Starts services as separate OS processes (`node services/<name>/dist/main.js`), with the
 * caller's environment plus `extraEnv`. `instances` sets how many of each; each gets its own
 * HTTP port from `basePort` on. Their logs go to `logDir`. Each runs with its heap flags
 * (`serviceHeapFlags`): its own cap, or `heapMb` for all.
 */
export function startServices(opts: {
  env: NodeJS.ProcessEnv;
  instances?: Partial<Record<(typeof SERVICES)[number], number>>;
  basePort: number;
  logDir: string;
  /** The old-generation cap of every service, MB (PADAN_HEAP_MB); default: each service's SERVICE_HEAP_MB. */
  heapMb?: number;
}): RunningServices {
  mkdirSync(opts.logDir, { recursive: true });
  // A profiled CLI (`node --cpu-prof ... run --mode distributed`, as `pnpm bench --cpu-prof` runs it)
  // profiles its services too: Node refuses --cpu-prof and --trace-gc in NODE_OPTIONS, so they are passed on here.
  const profilingFlags = process.execArgv.filter((a) => /^--((cpu|heap)-prof|trace-gc$)/.test(a));
  const children: ChildProcess[] = [];
  const exited = new AbortController();
  let stopping = false;
  let port = opts.basePort;
  for (const name of SERVICES) {
    const n = opts.instances?.[name] ?? 1;
    for (let i = 0; i < n; i++) {
      const child = spawn(process.execPath, [...serviceHeapFlags(name, opts.heapMb), ...profilingFlags, join(root, 'services', name, 'dist', 'main.js')], {
        // MALLOC_ARENA_MAX before the caller's environment: an operator's own value wins.
        env: { MALLOC_ARENA_MAX: String(MALLOC_ARENAS), ...opts.env, HTTP_PORT: String(port++), PADAN_INSTANCE_ID: `${name}-${i}-${randomUUID().slice(0, 8)}`, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logFile = join(opts.logDir, `${name}-${i}.log`);
      const out = createWriteStream(logFile);
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
      // 'close', not 'exit': by then the output is flushed into the log file the error names.
      child.once('close', (code, signal) => {
        if (!stopping && !exited.signal.aborted) exited.abort(new ServiceExitedError(name, i, code, signal, logFile));
      });
      children.push(child);
    }
  }
  return {
    children,
    logDir: opts.logDir,
    exited: exited.signal,
    async stop() {
      stopping = true;
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
              c.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/**
 * The first HTTP port of the services a distributed run starts (each instance takes the next):
 * PADAN_HTTP_BASE_PORT, default 9464, so two runs on one machine (the benchmark beside a
 * developer's own run) need not collide.
 */
export function httpBasePort(env: NodeJS.ProcessEnv): number {
  const v = env.PADAN_HTTP_BASE_PORT;
  if (v === undefined || v === '') return 9464;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65_000) throw new Error(`invalid configuration: PADAN_HTTP_BASE_PORT must be a port number (1-65000); set it or leave it unset for 9464`);
  return n;
}

export interface DistributedRunOptions {
  readonly period: string;
  readonly inputs: readonly PipelineInput[];
  readonly outDir: string;
  readonly date: string;
  readonly instances?: Partial<Record<(typeof SERVICES)[number], number>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly basePort?: number;
  readonly log?: (s: string) => void;
}

/**
 * `padan run --mode distributed`: the same job as the embedded run, through the real services on
 * the configured Kafka, Redis and S3: starts the four services, ingests the inputs, waits until
 * every row is accounted for, downloads the snapshot into `outDir`, stops the services.
 */
export async function runDistributed(opts: DistributedRunOptions): Promise<{ snapshot: SnapshotAnnouncement; snapshotDir: string }> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  // Checked before anything is uploaded or started: a bad value stops the run with nothing done.
  const { PADAN_HEAP_MB } = loadConfig(z.object(heapEnv), env);
  const report = await topicsApply(env);
  log(`topics: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged`);
  // Uploaded (and checked) before any service starts: a refused file stops the run with nothing started.
  const keys = await uploadToLanding(opts.period, opts.inputs, env);
  log(`uploaded ${keys.length} files to landing/period=${opts.period}/`);
  // report spills results (personal data) inside --out, like the embedded run, unless told otherwise.
  const reportWork = env.REPORT_WORK_DIR ? null : join(opts.outDir, '.report-work');
  const serviceEnv = reportWork ? { ...env, REPORT_WORK_DIR: reportWork } : env;
  const services = startServices({ env: serviceEnv, instances: opts.instances ?? {}, basePort: opts.basePort ?? httpBasePort(env), logDir: join(opts.outDir, 'logs'), heapMb: PADAN_HEAP_MB });
  try {
    const snapshot = await requestSnapshot(
      { period: opts.period, date: opts.date, expect: opts.inputs.map((i) => ({ source: i.source, file: basename(i.path) })), wait: true, signal: services.exited },
      env,
    );
    const snapshotDir = await downloadSnapshot(snapshot as SnapshotAnnouncement, opts.outDir, env);
    return { snapshot: snapshot as SnapshotAnnouncement, snapshotDir };
  } finally {
    await services.stop();
    // report removes its own subfolder on a graceful stop; the folder itself is the CLI's.
    if (reportWork) await rm(reportWork, { recursive: true, force: true });
  }
}
