import { describe, expect, it } from 'vitest';
import { renderReadme } from './readme-tables.js';
import type { ResultsJson } from './readme-tables.js';

function results(scale: string, rowsPerSecond: number): ResultsJson {
  return {
    date: '2026-11-30T16:00:00.000Z',
    scale,
    households: 16000,
    command: `pnpm bench --scale ${scale}`,
    machine: { cpus: 2, model: 'cpu', memGiB: 24, node: 'v20.20.2', loadAverageAtStart: [1, 1, 1], loadAverageAtEnd: [1, 1, 1] },
    runs: { embedded: { rows: 1000, rowsPerSecond, run: { command: 'padan run', exitCode: 0, wallSeconds: 1, cpuSeconds: 1, stackCpuSeconds: 0, processes: [{ label: 'padan-cli', pid: 1, peakRssMb: 300, cpuSeconds: 1 }] } } },
    ratios: { embeddedOverDuckdb: null, distributedOverTransport: null },
    accuracy: {},
    checks: [{ name: 'padan embedded completed', ok: true, detail: '' }],
    targets: [{ name: 'peak RSS, match', goal: '≤ 300 MB', measured: '470 MB', met: false, limit: 'grows | with input' }],
  };
}

describe('bench/README.md tables', () => {
  it('replace only the section of their scale, keeping the text and other scales', () => {
    const intro = '# bench\n\nHand-written text.\n';
    const once = renderReadme(intro, results('small', 111), 'a.json');
    const both = renderReadme(once, results('jambi', 222), 'b.json');
    const again = renderReadme(both, results('small', 333), 'c.json');
    expect(again.startsWith(intro)).toBe(true);
    expect(again).toContain('| padan embedded | 1 | 1,000 | 333 |');
    expect(again).not.toContain('| 111 |');
    expect(again).toContain('| padan embedded | 1 | 1,000 | 222 |');
    expect(again.indexOf('bench:small:begin')).toBeLessThan(again.indexOf('bench:jambi:begin'));
    expect(again.match(/bench:small:begin/g)).toHaveLength(1);
    // A pipe inside a cell is escaped, or it would split the table's row.
    expect(again).toContain('| peak RSS, match | ≤ 300 MB | 470 MB | **not met** | grows \\| with input |');
  });
});
