import type { ProcessUsage } from './process-sampler.js';

/** A target of issue 7, as measured by one benchmark run. */
export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  /** null: not measured by this run (say where it is checked instead). */
  readonly met: boolean | null;
  /** Where not met: what limits it, with the evidence the run collected. */
  readonly limit?: string;
}

export const SERVICE_RSS_LIMIT_MB = 300;
/** Issue 8: the embedded run at jambi scale within 1 GB, with no node heap flags. */
export const EMBEDDED_RSS_LIMIT_MB = 1024;
/** Issue 8: padan embedded at least as fast as the DuckDB baseline, in rows/s of the same run. */
export const EMBEDDED_OVER_DUCKDB = 1;
export const INDEX_BYTES_PER_DTKS_ROW = 80;
export const END_BYTES_PER_DTKS_ROW = 120;
export const DISTRIBUTED_ROWS_PER_S = 50_000;
export const TRANSPORT_SHARE = 0.6;
export const SCALING_THROUGHPUT_TOLERANCE = 0.2;

/** Peak RSS per service (the largest instance), MB. */
export function servicePeaks(processes: readonly ProcessUsage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of processes) {
    const service = p.label.replace(/#\d+$/, '');
    if (['ingest', 'normalize', 'match', 'report'].includes(service)) out[service] = Math.max(out[service] ?? 0, p.peakRssMb);
  }
  return out;
}

/**
 * Peak RSS "not growing with input size": the full-size run's peak within 15 % (plus 30 MB for the
 * runtime's own noise) of the quarter-size run's. A state that grows with the input grows about 4×.
 */
export function notGrowing(quarterMb: number, fullMb: number): boolean {
  return fullMb <= quarterMb * 1.15 + 30;
}

interface RunLike {
  readonly rowsPerSecond: number;
  readonly run: { readonly exitCode: number | null; readonly processes: readonly ProcessUsage[] };
}
interface ProfileLike {
  readonly top: readonly { fn: string; share: number }[];
  /** Samples not idle, as a share of all (cpu-profile.ts). */
  readonly busyShare?: number;
}
interface DistributedLike extends RunLike {
  readonly servicePeakRssMb: Record<string, number>;
  readonly redis: {
    indexBytesPerDtksRow: number | null;
    endBytesPerDtksRow: number | null;
    afterDtksLoaded: number | null;
    before: number;
    end: number;
    dtksRows: number;
    info: Record<string, string>;
    /** used_memory after `padan period close` (null: the close failed, see its log). */
    afterClose?: number | null;
    afterCloseBytesPerDtksRow?: number | null;
  };
  readonly maxConsumerLag: Record<string, number>;
  readonly profiles: readonly (ProfileLike & { label: string })[];
}
export interface TargetInput {
  readonly runs: {
    embedded: (RunLike & { readonly profiles?: readonly ProfileLike[] }) | null;
    distributed: DistributedLike | null;
    transport: RunLike | null;
    distributedQuarter: DistributedLike | null;
    duckdb?: RunLike | null;
  };
}

function lagEvidence(d: DistributedLike): string {
  const lags = Object.entries(d.maxConsumerLag).sort((a, b) => b[1] - a[1]);
  const top = lags.slice(0, 3).map(([k, v]) => `${k} ${v}`).join(', ');
  return top ? `highest consumer lag seen: ${top}` : 'no consumer lag sampled';
}

function profileEvidence(d: DistributedLike, service: string): string {
  const p = d.profiles.find((x) => x.label === service);
  if (!p) return `(run with --cpu-prof for ${service}'s profile)`;
  return `${service} profile, top self time: ${p.top.slice(0, 3).map((t) => `${t.fn} ${(t.share * 100).toFixed(0)} %`).join('; ')}`;
}

const SERVICES = ['ingest', 'normalize', 'match', 'report'];

/** The service that used the most CPU in the run (undefined when none was sampled). */
function busiestService(d: DistributedLike): string | undefined {
  const services = d.run.processes.filter((p) => SERVICES.includes(p.label)).sort((a, b) => b.cpuSeconds - a.cpuSeconds);
  return services[0]?.label;
}

/**
 * What bounds the distributed run: the Kafka hops when the transport baseline (the same hops with
 * no domain work) is itself not much faster (the run reaches the target share of it), else the
 * services' own work, named by the busiest one's CPU seconds.
 */
function throughputBound(d: DistributedLike, t: RunLike | null): string {
  const transport = t ? `the transport baseline (same topics, bus and processes, no domain work) moves ${t.rowsPerSecond.toLocaleString('en-US')} rows/s` : '';
  if (t && t.rowsPerSecond > 0 && d.rowsPerSecond / t.rowsPerSecond >= TRANSPORT_SHARE) return `${transport}: the Kafka hops bound the pipeline before the services' work does`;
  const busiest = busiestService(d);
  const p = d.run.processes.find((x) => x.label === busiest);
  const total = d.run.processes.filter((x) => SERVICES.includes(x.label)).reduce((n, x) => n + x.cpuSeconds, 0);
  const work = p ? `the services' own work bounds it: ${p.label} used ${Math.round(p.cpuSeconds)} of the services' ${Math.round(total)} CPU seconds` : "the services' own work bounds it";
  return transport ? `${transport}, so ${work}` : work;
}

/** Issue 7's targets, each marked met or not from this run's figures (null: not measured here). */
export function benchTargets(r: TargetInput): Target[] {
  const out: Target[] = [];
  const d = r.runs.distributed;
  const t = r.runs.transport;
  const q = r.runs.distributedQuarter;
  if (d) {
    const ok = d.run.exitCode === 0;
    out.push({
      name: 'distributed end-to-end throughput',
      goal: `≥ ${DISTRIBUTED_ROWS_PER_S.toLocaleString('en-US')} rows/s`,
      measured: `${d.rowsPerSecond.toLocaleString('en-US')} rows/s`,
      met: ok && d.rowsPerSecond >= DISTRIBUTED_ROWS_PER_S,
      limit: `${throughputBound(d, t)}; ${lagEvidence(d)}; ${profileEvidence(d, busiestService(d) ?? 'match')}`,
    });
    if (t) {
      const share = t.rowsPerSecond > 0 ? d.rowsPerSecond / t.rowsPerSecond : 0;
      out.push({
        name: 'distributed / transport baseline',
        goal: `≥ ${TRANSPORT_SHARE * 100} %`,
        measured: `${(share * 100).toFixed(0)} % (transport ${t.rowsPerSecond.toLocaleString('en-US')} rows/s)`,
        met: ok && t.run.exitCode === 0 && share >= TRANSPORT_SHARE,
        limit: lagEvidence(d),
      });
    }
    for (const service of ['match', 'report', 'normalize', 'ingest']) {
      const mb = d.servicePeakRssMb[service];
      out.push({
        name: `peak RSS, ${service}`,
        goal: `≤ ${SERVICE_RSS_LIMIT_MB} MB`,
        measured: mb === undefined ? 'not seen' : `${mb} MB`,
        met: mb === undefined ? null : mb <= SERVICE_RSS_LIMIT_MB,
        limit: q && q.servicePeakRssMb[service] !== undefined ? `${q.servicePeakRssMb[service]} MB at a quarter of the input (grows with input: state held in process memory)` : profileEvidence(d, service),
      });
    }
    // Two readings: the first sample once the release is indexed also holds the program batches
    // match keeps until the release is complete (an upper bound); after `padan period close` what
    // is left is the release, every index of it, and the period's small name tables (exact but
    // for those few keys).
    const upper = d.redis.indexBytesPerDtksRow;
    const closed = d.redis.afterClose != null && d.redis.dtksRows > 0 ? Math.round((d.redis.afterClose - d.redis.before) / d.redis.dtksRows) : null;
    const index = closed ?? upper;
    out.push({
      name: 'Redis index per DTKS row',
      goal: `≤ ${INDEX_BYTES_PER_DTKS_ROW} B`,
      measured:
        index === null
          ? 'not measured (no DTKS index messages seen)'
          : closed !== null
            ? `${closed} B (the release alone, after \`padan period close\`${upper !== null ? `; ${upper} B at the first sample after the release was indexed, which also holds program batches waiting for it` : ''})`
            : `${index} B (upper bound: includes held program batches)`,
      met: index === null ? null : index <= INDEX_BYTES_PER_DTKS_ROW,
      limit: `used_memory ${d.redis.before} B before, ${d.redis.afterDtksLoaded ?? '?'} B after the release, ${d.redis.afterClose ?? '?'} B after the close, over ${d.redis.dtksRows} DTKS rows; INFO ${JSON.stringify(d.redis.info)}`,
    });
    const end = d.redis.endBytesPerDtksRow;
    out.push({
      name: 'Redis at the end of the run per DTKS row',
      goal: `≤ ${END_BYTES_PER_DTKS_ROW} B`,
      measured: end === null ? 'not measured' : `${end} B`,
      met: end === null ? null : end <= END_BYTES_PER_DTKS_ROW,
      limit:
        `used_memory ${d.redis.end} B at the end, the period still open (its evidence kept for late corrections)` +
        (d.redis.afterCloseBytesPerDtksRow != null ? `; ${d.redis.afterCloseBytesPerDtksRow} B once \`padan period close\` dropped it (next row)` : '') +
        '; next levers for an open period (packages/match-state README, MEMORY USAGE per key kind): the occurrences\' and families\' seen bitmaps replaced as the DTKS index\'s were (~3.5 B), the household id not repeated in base results (~7 B), rows of multi-row NIKs inline (~2 B)' +
        `; INFO ${JSON.stringify(d.redis.info)}`,
    });
    if (d.redis.afterClose !== undefined) {
      const closed = d.redis.afterCloseBytesPerDtksRow ?? null;
      out.push({
        name: 'Redis once the period is closed (`padan period close`) per DTKS row',
        goal: `≤ ${END_BYTES_PER_DTKS_ROW} B`,
        measured: closed === null ? 'not measured (the close failed: see its log)' : `${closed} B`,
        met: closed === null ? null : closed <= END_BYTES_PER_DTKS_ROW,
        limit: closed === null ? '' : `used_memory ${d.redis.afterClose} B: the DTKS release (kept while current) and the period's name tables`,
      });
    }
  }
  if (d && q) {
    const ratio = d.rowsPerSecond > 0 && q.rowsPerSecond > 0 ? d.rowsPerSecond / q.rowsPerSecond : 0;
    out.push({
      name: 'scaling: throughput at the size vs a quarter of it',
      goal: `within ${SCALING_THROUGHPUT_TOLERANCE * 100} %`,
      measured: `${d.rowsPerSecond.toLocaleString('en-US')} vs ${q.rowsPerSecond.toLocaleString('en-US')} rows/s (${(ratio * 100).toFixed(0)} %)`,
      met: ratio > 0 && Math.abs(ratio - 1) <= SCALING_THROUGHPUT_TOLERANCE,
      limit: 'compare the wall times above: costs that do not grow with the input (service start, topic creation, consumer-group joins, the snapshot request) weigh more in the smaller run',
    });
    const grew = Object.keys(d.servicePeakRssMb).filter((s) => !notGrowing(q.servicePeakRssMb[s] ?? 0, d.servicePeakRssMb[s] ?? 0));
    out.push({
      name: 'scaling: peak RSS per service not growing with input',
      goal: 'full ≤ quarter × 1.15 + 30 MB',
      measured: Object.keys(d.servicePeakRssMb)
        .map((s) => `${s} ${q.servicePeakRssMb[s] ?? '?'} → ${d.servicePeakRssMb[s]} MB`)
        .join(', '),
      met: grew.length === 0,
      limit: grew.length ? `grows: ${grew.join(', ')}` : '',
    });
  }
  out.push({ name: 'Redis flushed or restarted empty: automatic rebuild, identical snapshot', goal: 'rebuild', measured: 'not measured by the benchmark (fault tests in test/integration)', met: null });
  const e = r.runs.embedded;
  if (e) {
    const peak = e.run.processes.reduce((a, p) => Math.max(a, p.peakRssMb), 0);
    out.push({ name: 'embedded peak RSS, no heap flags (issue 8)', goal: `≤ ${EMBEDDED_RSS_LIMIT_MB} MB`, measured: `${peak} MB`, met: e.run.exitCode === 0 && peak <= EMBEDDED_RSS_LIMIT_MB });
    const d = r.runs.duckdb;
    if (d && d.rowsPerSecond > 0) {
      const ratio = e.rowsPerSecond / d.rowsPerSecond;
      // The busiest profile: `padan run` profiles two threads, the CLI's (idle) and the pipeline's worker.
      const busiest = (e.profiles ?? []).reduce<ProfileLike | undefined>((a, p) => (!a || (p.busyShare ?? 0) > (a.busyShare ?? 0) ? p : a), undefined);
      const top = busiest?.top ?? [];
      out.push({
        name: 'embedded / DuckDB rows/s (issue 8)',
        goal: `≥ ${EMBEDDED_OVER_DUCKDB.toFixed(1)}`,
        measured: `${ratio.toFixed(3)} (${e.rowsPerSecond.toLocaleString('en-US')} vs ${d.rowsPerSecond.toLocaleString('en-US')} rows/s)`,
        met: ratio >= EMBEDDED_OVER_DUCKDB,
        limit:
          ratio >= EMBEDDED_OVER_DUCKDB
            ? ''
            : top.length > 0
              ? `embedded profile, top self time: ${top.slice(0, 6).map((t) => `${t.fn} ${(t.share * 100).toFixed(1)} %`).join('; ')}`
              : '(run with --cpu-prof for the embedded profile)',
      });
    }
  }
  return out;
}
