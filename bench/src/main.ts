#!/usr/bin/env node
/**
 * `pnpm bench [--scale small|jambi|N] [--cpu-prof] [--only a,b,...]`: on one generated month (made
 * once per size and cached under .cache/bench), runs padan embedded, padan distributed on a fresh
 * local stack, the DuckDB batch alternative and the Kafka transport baseline, each as the user's
 * command in a child process sampled from /proc; then the distributed run again at a quarter of
 * the size (the scaling check). Writes bench/results/<date>-<scale>.json, regenerates that scale's
 * tables in bench/README.md, and writes the checks CI counts (completion, every row accounted for,
 * identical findings, the embedded memory bound; never a time) to bench/out/checks.json.
 * Run targets: embedded, distributed, duckdb, transport, scaling (default all).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFiles } from '@padan/synth';
import { findingKeys, score, truthKeys } from './accuracy.js';
import type { AccuracyScore } from './accuracy.js';
import { benchData } from './bench-data.js';
import { writeChecks } from './bench-checks.js';
import type { BenchCheck } from './bench-checks.js';
import { summarizeProfiles } from './cpu-profile.js';
import type { ProfileSummary } from './cpu-profile.js';
import { DistributedProbe, topicMessageCounts } from './distributed-probe.js';
import { LocalStack } from './local-stack.js';
import { redisInfo, usedMemory } from './redis-info.js';
import { renderReadme } from './readme-tables.js';
import { householdsOf } from './scale.js';
import { benchTargets, servicePeaks, EMBEDDED_RSS_LIMIT_MB } from './targets.js';
import { timedRun } from './timed-run.js';
import type { TimedRun } from './timed-run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SNAPSHOT_DATE = '2021-09-30';
const HASH_KEY = 'padan-bench-hash-key-0001';
const ALL = ['embedded', 'distributed', 'duckdb', 'transport', 'scaling'] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
if (process.argv.includes('--help')) {
  process.stdout.write('usage: pnpm bench [--scale small|jambi|N] [--cpu-prof] [--only embedded,distributed,duckdb,transport,scaling]\n');
  process.exit(0);
}
const scale = arg('--scale') ?? 'small';
const households = householdsOf(scale);
const only = new Set((arg('--only') ?? ALL.join(',')).split(','));
for (const o of only) if (!(ALL as readonly string[]).includes(o)) throw new Error(`--only ${o}: use ${ALL.join(', ')}`);
const cpuProf = process.argv.includes('--cpu-prof');
const basePort = Number(process.env.PADAN_HTTP_BASE_PORT ?? 9464);
const log = (s: string) => process.stdout.write(`bench: ${s}\n`);

const outRoot = join(root, 'bench', 'out', scale);
rmSync(outRoot, { recursive: true, force: true });
mkdirSync(outRoot, { recursive: true });
const stack = new LocalStack(root, join(root, 'bench', '.stack'), process.env);
const started = new Date();
const loadStart = loadavg().map((l) => +l.toFixed(1));

function inputArgs(files: GeneratedFiles): string[] {
  const out = ['--period', files.period, '--dtks', files.dtks];
  for (const p of files.programs) out.push('--program', `${p.program}=${p.path}`);
  return out;
}

interface Summary {
  totals: { rows_read: number; clean: number; flagged: number; rejected: number };
  files: { program: string; source_file: string; rows_read: number; clean: number; flagged: number; rejected: number; accounted: boolean }[];
}

function snapshotOf(run: TimedRun): { dir: string; summary: Summary } | null {
  const m = /snapshot: (.+)$/m.exec(run.stdout);
  if (!m || run.exitCode !== 0) return null;
  const dir = (m[1] as string).trim();
  return { dir, summary: JSON.parse(readFileSync(join(dir, 'dashboard/summary.json'), 'utf8')) as Summary };
}

function accounted(s: Summary | undefined): boolean {
  if (!s) return false;
  for (const f of s.files) if (!f.accounted || f.rows_read !== f.clean + f.flagged + f.rejected) return false;
  const t = s.totals;
  return t.rows_read === t.clean + t.flagged + t.rejected;
}

const rate = (rows: number, seconds: number) => (seconds > 0 ? Math.round(rows / seconds) : 0);

/**
 * padan embedded as a user runs it: plain `node`, no heap flags (issue 8: the memory bound must hold
 * without them). With --cpu-prof its profile is the evidence of what limits its throughput.
 */
async function embedded(files: GeneratedFiles, profile: boolean) {
  log('padan embedded');
  const out = join(outRoot, 'embedded');
  const profileDir = join(outRoot, 'embedded-profile');
  if (profile) mkdirSync(profileDir, { recursive: true });
  const run = await timedRun({
    label: 'pnpm padan run',
    argv: [process.execPath, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), join(root, 'packages/cli/dist/main.js'), 'run', ...inputArgs(files), '--out', out, '--date', SNAPSHOT_DATE, '--stats'],
    env: { ...process.env, PADAN_HASH_KEY: HASH_KEY },
    cwd: root,
    logFile: join(outRoot, 'embedded.log'),
  });
  const snap = snapshotOf(run);
  const rows = snap?.summary.totals.rows_read ?? 0;
  const profiles = profile && existsSync(profileDir) ? summarizeProfiles(profileDir, 12) : [];
  return { run, snapshotDir: snap?.dir ?? null, summary: snap?.summary, rows, rowsPerSecond: rate(rows, run.wallSeconds), profiles };
}

async function distributed(files: GeneratedFiles, name: string, profile: boolean) {
  log(`padan distributed (${name}): fresh stack`);
  const vars = await stack.up();
  const env: NodeJS.ProcessEnv = { ...process.env, ...vars, PADAN_HASH_KEY: HASH_KEY, PADAN_HTTP_BASE_PORT: String(basePort) };
  const profileDir = join(outRoot, `${name}-profiles`);
  // The CLI passes its --cpu-prof flags on to the services it starts (NODE_OPTIONS may not hold them).
  const profileFlags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (profile) mkdirSync(profileDir, { recursive: true });
  try {
    const redisUrl = vars.REDIS_URL as string;
    const redisBefore = await usedMemory(redisUrl);
    const probe = new DistributedProbe(env, { ingest: basePort, normalize: basePort + 1, match: basePort + 2, report: basePort + 3 });
    await probe.start();
    log(`padan distributed (${name}): run`);
    const run = await timedRun({
      label: 'pnpm padan run --mode distributed',
      argv: [process.execPath, ...profileFlags, join(root, 'packages/cli/dist/main.js'), 'run', '--mode', 'distributed', ...inputArgs(files), '--out', join(outRoot, name), '--date', SNAPSHOT_DATE],
      env,
      cwd: root,
      logFile: join(outRoot, `${name}.log`),
      stackPids: stack.pids(),
      whileRunning: () => void probe.sample(),
    });
    await probe.sample();
    await probe.stop();
    const topicMessages = await topicMessageCounts(env).catch(() => null);
    const redisEnd = await usedMemory(redisUrl);
    const info = { ...(await redisInfo(redisUrl, 'memory')), ...(await redisInfo(redisUrl, 'keyspace')) };
    // What an operator does once the period's snapshots are final: `padan period close` drops the
    // period's evidence (a late record reopens it from the raw archive); the release stays.
    const closed = await timedRun({
      label: 'pnpm padan period close',
      argv: [process.execPath, join(root, 'packages/cli/dist/main.js'), 'period', 'close', '--period', files.period],
      env,
      cwd: root,
      logFile: join(outRoot, `${name}-close.log`),
    });
    const redisAfterClose = closed.exitCode === 0 ? await usedMemory(redisUrl) : null;
    const snap = snapshotOf(run);
    const rows = snap?.summary.totals.rows_read ?? 0;
    const dtksRows = snap?.summary.files.filter((f) => f.program === 'DTKS').reduce((a, f) => a + f.rows_read, 0) ?? 0;
    const loaded = probe.afterDtksLoaded();
    const profiles: ProfileSummary[] = profile && existsSync(profileDir) ? summarizeProfiles(profileDir) : [];
    const labelOfPid = new Map(run.processes.map((p) => [p.pid, p.label]));
    return {
      run,
      snapshotDir: snap?.dir ?? null,
      summary: snap?.summary,
      rows,
      rowsPerSecond: rate(rows, run.wallSeconds),
      servicePeakRssMb: servicePeaks(run.processes),
      redis: {
        before: redisBefore,
        afterDtksLoaded: loaded?.usedMemory ?? null,
        afterDtksLoadedAtSeconds: loaded?.t ?? null,
        dtksIndexMessages: loaded?.indexMessages ?? null,
        end: redisEnd,
        dtksRows,
        indexBytesPerDtksRow: loaded && dtksRows > 0 ? Math.round((loaded.usedMemory - redisBefore) / dtksRows) : null,
        endBytesPerDtksRow: dtksRows > 0 ? Math.round(redisEnd / dtksRows) : null,
        afterClose: redisAfterClose,
        afterCloseBytesPerDtksRow: redisAfterClose !== null && dtksRows > 0 ? Math.round(redisAfterClose / dtksRows) : null,
        closeSeconds: closed.wallSeconds,
        info: pick(info, ['used_memory', 'used_memory_peak', 'used_memory_dataset', 'mem_fragmentation_ratio', 'db0']),
      },
      maxConsumerLag: probe.maxLag,
      topicMessages,
      profiles: profiles.map((p) => ({ ...p, label: labelOfPid.get(p.pid) ?? 'unknown' })),
    };
  } finally {
    stack.down();
  }
}

function pick(o: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function programPath(files: GeneratedFiles, program: string, ext: string): string {
  const p = files.programs.find((x) => x.program === program);
  if (!p || !p.path.endsWith(ext)) {
    throw new Error(`the generated ${program} file is not ${ext} (${p?.path ?? 'missing'}): the seed's layout changed; adapt bench/duckdb_baseline.mjs (file and column names only)`);
  }
  return p.path;
}

async function duckdb(files: GeneratedFiles) {
  log('DuckDB baseline');
  const out = join(outRoot, 'duckdb-findings.csv');
  const run = await timedRun({
    label: 'node bench/duckdb_baseline.mjs',
    argv: [process.execPath, join(root, 'bench', 'duckdb_baseline.mjs'), files.dtks, programPath(files, 'SEMBAKO', '.csv'), programPath(files, 'BST', '.jsonl'), programPath(files, 'PBI', '.csv'), out],
    env: process.env,
    cwd: join(root, 'bench'),
    logFile: join(outRoot, 'duckdb.log'),
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  const own = run.exitCode === 0 ? (JSON.parse(line) as { seconds: number; rows: number; rows_per_s: number; findings: number }) : null;
  const rows = own?.rows ?? 0;
  return { run, findingsCsv: out, own, rows, rowsPerSecond: rate(rows, run.wallSeconds) };
}

async function transport(files: GeneratedFiles) {
  log('transport baseline: fresh stack');
  const vars = await stack.up();
  try {
    const inputs = [`DTKS=${files.dtks}`, ...files.programs.map((p) => `${p.program}=${p.path}`)];
    log('transport baseline: run');
    const run = await timedRun({
      label: 'node bench/dist/transport/transport-run.js',
      argv: [process.execPath, join(root, 'bench/dist/transport/transport-run.js'), files.period, ...inputs],
      env: { ...process.env, ...vars },
      cwd: root,
      logFile: join(outRoot, 'transport.log'),
      stackPids: stack.pids(),
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    // rows: those with a result to wait for; read: with the rows the reader rejected, as padan counts.
    const counts = run.exitCode === 0 ? (JSON.parse(line) as { rows: number; read: number; results: number }) : null;
    const rows = counts?.read ?? 0;
    const topicMessages = await topicMessageCounts({ ...process.env, ...vars }).catch(() => null);
    return { run, counts, rows, rowsPerSecond: rate(rows, run.wallSeconds), topicMessages };
  } finally {
    stack.down();
  }
}

/** A snapshot's files by path (restricted/…, dashboard/…), the manifest without what may differ between runs of the same inputs. */
function snapshotBytes(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    if (name !== 'manifest.json') out.set(name, readFileSync(path));
    else {
      const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const k of ['run_id', 'created_at', 'supersedes']) delete m[k];
      out.set(name, Buffer.from(JSON.stringify(m)));
    }
  }
  return out;
}

function sameSnapshot(a: string | null, b: string | null): { ok: boolean; detail: string } {
  if (!a || !b) return { ok: false, detail: 'a run wrote no snapshot' };
  const [fa, fb] = [snapshotBytes(a), snapshotBytes(b)];
  const [na, nb] = [[...fa.keys()], [...fb.keys()]];
  if (na.join('\n') !== nb.join('\n')) return { ok: false, detail: `different files: ${na.join(' ')} / ${nb.join(' ')}` };
  const differ = na.filter((n) => !(fa.get(n) as Buffer).equals(fb.get(n) as Buffer));
  return differ.length === 0 ? { ok: true, detail: `${na.length} files byte-identical (manifest without run id, creation time and supersedes)` } : { ok: false, detail: `differ: ${differ.join(', ')}` };
}

// ------------------------------------------------------------------------------------------ run
const files = await benchData(root, households, log);
const quarterFiles = only.has('scaling') ? await benchData(root, Math.max(100, Math.round(households / 4)), log) : null;
if (!existsSync(join(root, 'packages/cli/dist/main.js')) || !existsSync(join(root, 'bench/dist/transport/transport-run.js'))) {
  throw new Error('the build is missing: run pnpm build (pnpm bench does it first)');
}

const emb = only.has('embedded') ? await embedded(files, cpuProf) : null;
const dist = only.has('distributed') ? await distributed(files, 'distributed', cpuProf) : null;
const duck = only.has('duckdb') ? await duckdb(files) : null;
const trans = only.has('transport') ? await transport(files) : null;
const quarter = quarterFiles ? await distributed(quarterFiles, 'distributed-quarter', false) : null;

log('scoring against the truth');
const allPrograms = new Set(['DTKS', ...files.programs.map((p) => p.program)]);
const noXlsx = new Set([...allPrograms].filter((p) => p !== 'PKH'));
const accuracy: Record<string, AccuracyScore> = {};
if (emb?.snapshotDir || duck?.own) {
  const truthAll = await truthKeys(files, allPrograms);
  const truthNoXlsx = await truthKeys(files, noXlsx);
  if (emb?.snapshotDir) {
    const f = join(emb.snapshotDir, 'restricted/findings.csv');
    accuracy.padan = score(await findingKeys(f, 'nik_raw', allPrograms), truthAll, allPrograms);
    accuracy['padan (without PKH)'] = score(await findingKeys(f, 'nik_raw', noXlsx), truthNoXlsx, noXlsx);
  }
  if (duck?.own) accuracy['DuckDB (without PKH)'] = score(await findingKeys(duck.findingsCsv, 'nik', noXlsx), truthNoXlsx, noXlsx);
}

const checks: BenchCheck[] = [];
const completed = (name: string, r: { run: TimedRun } | null) => {
  if (r) checks.push({ name: `${name} completed`, ok: r.run.exitCode === 0, detail: `exit ${r.run.exitCode ?? r.run.signal}; log ${r.run.logFile}` });
};
completed('padan embedded', emb);
completed('padan distributed', dist);
completed('DuckDB baseline', duck);
completed('transport baseline', trans);
completed('padan distributed, quarter size', quarter);
if (emb) checks.push({ name: 'padan embedded: every row accounted for', ok: accounted(emb.summary), detail: `${emb.rows} rows read` });
if (dist) checks.push({ name: 'padan distributed: every row accounted for', ok: accounted(dist.summary), detail: `${dist.rows} rows read` });
if (quarter) checks.push({ name: 'padan distributed, quarter size: every row accounted for', ok: accounted(quarter.summary), detail: `${quarter.rows} rows read` });
if (trans) checks.push({ name: 'transport baseline: a result for every row', ok: !!trans.counts && trans.counts.results >= trans.counts.rows && trans.counts.rows > 0, detail: JSON.stringify(trans.counts) });
if (emb && dist) {
  const same = sameSnapshot(emb.snapshotDir, dist.snapshotDir);
  checks.push({ name: 'findings of embedded and distributed byte-identical', ok: same.ok, detail: same.detail });
}
if (emb) {
  const peak = emb.run.processes.reduce((a, p) => Math.max(a, p.peakRssMb), 0);
  checks.push({ name: `padan embedded peak RSS within ${EMBEDDED_RSS_LIMIT_MB} MB, no heap flags`, ok: emb.run.exitCode === 0 && peak <= EMBEDDED_RSS_LIMIT_MB, detail: `${peak} MB` });
}
if (duck) checks.push({ name: 'DuckDB baseline: findings written', ok: (duck.own?.findings ?? 0) > 0, detail: `${duck.own?.findings ?? 0} findings` });

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadStart,
  loadAverageAtEnd: loadavg().map((l) => +l.toFixed(1)),
};
const result = {
  date: started.toISOString(),
  scale,
  households,
  seed: 1,
  command: `pnpm bench --scale ${scale}${cpuProf ? ' --cpu-prof' : ''}${arg('--only') ? ` --only ${arg('--only')}` : ''}`,
  machine,
  data: { files: [basename(files.dtks), ...files.programs.map((p) => basename(p.path))] },
  runs: { embedded: emb, distributed: dist, duckdb: duck, transport: trans, distributedQuarter: quarter },
  ratios: {
    embeddedOverDuckdb: emb && duck && duck.rowsPerSecond > 0 ? +(emb.rowsPerSecond / duck.rowsPerSecond).toFixed(3) : null,
    distributedOverTransport: dist && trans && trans.rowsPerSecond > 0 ? +(dist.rowsPerSecond / trans.rowsPerSecond).toFixed(3) : null,
  },
  accuracy,
  checks,
};
const targets = benchTargets({ ...result, runs: { ...result.runs, duckdb: duck } });
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `${started.toISOString().slice(0, 10)}-${scale}.json`);
// Stdout of the runs is in their log files; the JSON keeps the figures.
const stripped = JSON.parse(JSON.stringify({ ...result, targets }, (k, v: unknown) => (k === 'stdout' ? undefined : v)));
writeFileSync(resultsFile, `${JSON.stringify(stripped, null, 2)}\n`);
const readme = join(root, 'bench', 'README.md');
writeFileSync(readme, renderReadme(existsSync(readme) ? readFileSync(readme, 'utf8') : '', stripped, basename(resultsFile)));
writeChecks(join(root, 'bench', 'out', 'checks.json'), checks);

for (const c of checks) log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
for (const t of targets) log(`target ${t.met === null ? 'n/a ' : t.met ? 'met ' : 'NOT '} ${t.name}: ${t.measured} (goal ${t.goal})`);
log(`results: ${resultsFile}; tables: bench/README.md`);
process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
