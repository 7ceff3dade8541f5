import type { AccuracyScore } from './accuracy.js';
import type { ProcessUsage } from './process-sampler.js';
import type { Target } from './targets.js';

interface RunJson {
  rows: number;
  rowsPerSecond: number;
  run: { command: string; exitCode: number | null; wallSeconds: number; cpuSeconds: number; stackCpuSeconds: number; processes: ProcessUsage[] };
  redis?: { before: number; afterDtksLoaded: number | null; afterDtksLoadedAtSeconds: number | null; end: number; dtksRows: number; afterClose?: number | null; closeSeconds?: number };
  profiles?: { label: string; sampledSeconds: number; busyShare: number; top: { fn: string; selfSeconds: number; share: number }[] }[];
}

/** The parts of a results file the tables show. */
export interface ResultsJson {
  date: string;
  scale: string;
  households: number;
  command: string;
  machine: { cpus: number; model: string; memGiB: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  runs: Record<string, RunJson | null>;
  ratios: { embeddedOverDuckdb: number | null; distributedOverTransport: number | null };
  accuracy: Record<string, AccuracyScore>;
  checks: { name: string; ok: boolean; detail: string }[];
  targets: Target[];
}

const NAMES: Record<string, string> = {
  embedded: 'padan embedded',
  distributed: 'padan distributed',
  duckdb: 'DuckDB (no XLSX)',
  transport: 'transport baseline',
  distributedQuarter: 'padan distributed, ¼ size',
};
const n = (x: number) => x.toLocaleString('en-US');
const mb = (bytes: number | null) => (bytes === null ? '?' : `${(bytes / 2 ** 20).toFixed(1)} MB`);

function tables(r: ResultsJson, file: string): string {
  const L: string[] = [];
  L.push(`### \`--scale ${r.scale}\` (${n(r.households)} households), ${r.date.slice(0, 16).replace('T', ' ')} UTC`);
  L.push('');
  L.push(
    `Machine: ${r.machine.cpus} cores (${r.machine.model}), ${r.machine.memGiB} GiB, Node ${r.machine.node}; load average ${r.machine.loadAverageAtStart.join(' / ')} at the start, ` +
      `${r.machine.loadAverageAtEnd.join(' / ')} at the end (other work shared the machine: figures are indicative when the load exceeds the cores). Command: \`${r.command}\`. Figures: \`bench/results/${file}\`.`,
  );
  L.push('');
  L.push('| run | wall s | rows read | rows/s | CPU s (stack) | peak RSS per process (MB) |');
  L.push('|---|---:|---:|---:|---:|---|');
  for (const [key, run] of Object.entries(r.runs)) {
    if (!run) continue;
    const procs = run.run.processes
      .filter((p) => p.peakRssMb > 0)
      .map((p) => `${p.label} ${p.peakRssMb}`)
      .join(', ');
    const status = run.run.exitCode === 0 ? '' : ` (FAILED, exit ${run.run.exitCode})`;
    L.push(`| ${NAMES[key] ?? key}${status} | ${run.run.wallSeconds} | ${n(run.rows)} | ${n(run.rowsPerSecond)} | ${run.run.cpuSeconds}${run.run.stackCpuSeconds ? ` (+${run.run.stackCpuSeconds})` : ''} | ${procs} |`);
  }
  L.push('');
  L.push(`Ratios: padan embedded / DuckDB rows/s = ${r.ratios.embeddedOverDuckdb ?? '–'}; padan distributed / transport = ${r.ratios.distributedOverTransport ?? '–'}.`);
  const redis = r.runs.distributed?.redis;
  if (redis) {
    L.push(
      `Redis used_memory (distributed): ${mb(redis.before)} before, ${mb(redis.afterDtksLoaded)} once the DTKS release was indexed` +
        `${redis.afterDtksLoadedAtSeconds !== null ? ` (${redis.afterDtksLoadedAtSeconds.toFixed(0)} s into the run)` : ''}, ${mb(redis.end)} at the end` +
        `${redis.afterClose != null ? `, ${mb(redis.afterClose)} after \`padan period close\`${redis.closeSeconds !== undefined ? ` (${redis.closeSeconds.toFixed(1)} s)` : ''}` : ''}; ${n(redis.dtksRows)} DTKS rows.`,
    );
  }
  L.push('');
  L.push('| target | goal | measured | met | what limits it |');
  L.push('|---|---|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? 'n/a' : t.met ? 'met' : '**not met**'} | ${t.met === false ? (t.limit ?? '').replace(/\|/g, '\\|') : ''} |`);
  L.push('');
  if (Object.keys(r.accuracy).length > 0) {
    L.push('Accuracy against the generator\'s truth, by (program, NIK, reason):');
    L.push('');
    L.push('| scored | precision | recall | TP | FP | FN |');
    L.push('|---|---:|---:|---:|---:|---:|');
    for (const [name, s] of Object.entries(r.accuracy)) L.push(`| ${name} | ${s.overall.precision} | ${s.overall.recall} | ${n(s.overall.tp)} | ${n(s.overall.fp)} | ${n(s.overall.fn)} |`);
    L.push('');
    const reasons = [...new Set(Object.values(r.accuracy).flatMap((s) => Object.keys(s.perReason)))].sort();
    const names = Object.keys(r.accuracy);
    L.push(`| reason | ${names.map((x) => `${x} P / R`).join(' | ')} |`);
    L.push(`|---|${names.map(() => '---:').join('|')}|`);
    for (const reason of reasons) L.push(`| ${reason} | ${names.map((x) => { const c = r.accuracy[x]?.perReason[reason]; return c ? `${c.precision} / ${c.recall}` : '–'; }).join(' | ')} |`);
    L.push('');
  }
  const profiles = r.runs.distributed?.profiles ?? [];
  if (profiles.length > 0) {
    L.push('CPU profiles of the distributed run (`--cpu-prof`): share of samples not idle, then the functions with the most self time, as a share of the busy samples:');
    L.push('');
    for (const p of profiles) L.push(`- ${p.label} (${p.sampledSeconds} s, busy ${(p.busyShare * 100).toFixed(0)} %): ${p.top.slice(0, 5).map((t) => `\`${t.fn}\` ${(t.share * 100).toFixed(1)} %`).join('; ')}`);
    L.push('');
  }
  L.push(`Checks (counted by CI): ${r.checks.map((c) => `${c.ok ? 'ok' : '**FAILED**'} ${c.name}`).join('; ')}.`);
  return L.join('\n');
}

/**
 * README.md with this scale's section replaced (or appended) between its markers; the rest of the
 * file is kept as written. The tables are generated, never edited by hand.
 */
export function renderReadme(current: string, r: ResultsJson, file: string): string {
  const begin = `<!-- bench:${r.scale}:begin (generated by pnpm bench; do not edit) -->`;
  const end = `<!-- bench:${r.scale}:end -->`;
  const section = `${begin}\n${tables(r, file)}\n${end}`;
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i >= 0 && j > i) return `${current.slice(0, i)}${section}${current.slice(j + end.length)}`;
  return `${current.trimEnd()}\n\n${section}\n`;
}
