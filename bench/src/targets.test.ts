import { describe, expect, it } from 'vitest';
import { benchTargets } from './targets.js';
import type { TargetInput } from './targets.js';

function input(distributedRowsPerS: number, transportRowsPerS: number): TargetInput {
  const processes = [
    { label: 'kafka', pid: 1, peakRssMb: 500, cpuSeconds: 400 },
    { label: 'ingest', pid: 2, peakRssMb: 190, cpuSeconds: 26 },
    { label: 'normalize', pid: 3, peakRssMb: 210, cpuSeconds: 39 },
    { label: 'match', pid: 4, peakRssMb: 207, cpuSeconds: 194 },
    { label: 'report', pid: 5, peakRssMb: 270, cpuSeconds: 56 },
  ];
  return {
    runs: {
      embedded: null,
      distributed: {
        rowsPerSecond: distributedRowsPerS,
        run: { exitCode: 0, processes },
        servicePeakRssMb: { ingest: 190, normalize: 210, match: 207, report: 270 },
        redis: { indexBytesPerDtksRow: null, endBytesPerDtksRow: null, afterDtksLoaded: null, before: 0, end: 0, dtksRows: 0, info: {} },
        maxConsumerLag: {},
        profiles: [],
      },
      transport: { rowsPerSecond: transportRowsPerS, run: { exitCode: 0, processes: [] } },
      distributedQuarter: null,
    },
  };
}

describe('benchTargets: what limits the distributed throughput', () => {
  it("names the busiest service when the transport baseline is much faster (the services' work bounds the run)", () => {
    const t = benchTargets(input(7_073, 23_648)).find((x) => x.name === 'distributed end-to-end throughput')!;
    expect(t.met).toBe(false);
    expect(t.limit).toContain("the services' own work bounds it: match used 194 of the services' 315 CPU seconds");
    expect(t.limit).not.toContain('Kafka hops bound');
  });

  it('names the Kafka hops when the run reaches the target share of the transport baseline', () => {
    const t = benchTargets(input(18_000, 20_000)).find((x) => x.name === 'distributed end-to-end throughput')!;
    expect(t.limit).toContain('the Kafka hops bound the pipeline');
  });
});

describe('benchTargets: the embedded run beside DuckDB (issue 8)', () => {
  const withEmbedded = (embeddedRowsPerS: number, peakRssMb: number): TargetInput => {
    const base = input(7_073, 23_648);
    return {
      runs: {
        ...base.runs,
        embedded: {
          rowsPerSecond: embeddedRowsPerS,
          run: { exitCode: 0, processes: [{ label: 'padan-cli', pid: 9, peakRssMb, cpuSeconds: 70 }] },
          // The CLI's thread (idle) and the pipeline's worker: the busy one is the evidence.
          profiles: [
            { busyShare: 0.02, top: [{ fn: 'compileSourceTextModule node:internal/modules/esm/utils:344', share: 0.097 }] },
            { busyShare: 0.97, top: [{ fn: '(garbage collector)', share: 0.118 }, { fn: 'readRun packages/pipeline/dist/report/run-file.js:35', share: 0.103 }] },
          ],
        },
        duckdb: { rowsPerSecond: 291_234, run: { exitCode: 0, processes: [] } },
      },
    };
  };

  it('is not met below DuckDB and names the profile of the embedded run as the evidence', () => {
    const targets = benchTargets(withEmbedded(30_161, 1371));
    const ratio = targets.find((x) => x.name === 'embedded / DuckDB rows/s (issue 8)')!;
    expect(ratio.met).toBe(false);
    expect(ratio.measured).toBe('0.104 (30,161 vs 291,234 rows/s)');
    expect(ratio.limit).toBe('embedded profile, top self time: (garbage collector) 11.8 %; readRun packages/pipeline/dist/report/run-file.js:35 10.3 %');
    expect(targets.find((x) => x.name === 'embedded peak RSS, no heap flags (issue 8)')?.met).toBe(false);
  });

  it('is met at DuckDB speed within 1 GB', () => {
    const targets = benchTargets(withEmbedded(300_000, 1000));
    expect(targets.find((x) => x.name === 'embedded / DuckDB rows/s (issue 8)')?.met).toBe(true);
    expect(targets.find((x) => x.name === 'embedded peak RSS, no heap flags (issue 8)')?.met).toBe(true);
  });
});
