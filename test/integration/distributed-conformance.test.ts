import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import type { PipelineInput } from '@padan/cli';
import { runDistributed } from '../../packages/cli/src/distributed.js';
import { generate } from '@padan/synth';
import { snapshotFiles } from '../helpers/faults-stack.js';
import { tempDir } from '../helpers/golden.js';
import { uniquePeriod } from '../helpers/period.js';


/** The same inputs through both shapes; returns each snapshot's files. */
async function runBoth(period: string, inputs: PipelineInput[], dir: string, instances: { normalize: number; match: number }) {
  const embedded = await runEmbedded({
    period,
    inputs,
    outDir: join(dir, 'embedded'),
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'conformance-hash-key-0001',
    padanVersion: JSON.parse(readFileSync(new URL('../../services/report/package.json', import.meta.url), 'utf8')).version,
  });
  const distributed = await runDistributed({
    period,
    inputs,
    outDir: join(dir, 'distributed'),
    date: '2021-09-30',
    instances,
    env: { ...process.env, PADAN_HASH_KEY: 'conformance-hash-key-0001', REPORT_TICK_MS: '200', INGEST_POLL_MS: '300', LOG_LEVEL: 'warn' },
    basePort: 19464,
  });
  return { a: snapshotFiles(embedded.snapshotDir), b: snapshotFiles(distributed.snapshotDir) };
}

/**
 * The conformance test of the two shapes: the same generated month, embedded (one process) and
 * distributed (the four services as OS processes on Kafka with 3 partitions per topic, Redis and
 * S3, with 2 instances each of normalize and match), gives byte-identical snapshots.
 */
describe('embedded and distributed runs agree', () => {
  it('byte for byte, with 3 partitions and 2 instances of normalize and match', { timeout: 600_000 }, async () => {
    const period = uniquePeriod();
    const dir = tempDir('conformance');
    const gen = await generate({ outDir: join(dir, 'input'), households: 1500, seed: 21, period, formats: 'mixed' });
    const inputs = [{ source: 'DTKS' as const, path: gen.dtks }, ...gen.programs.map((p) => ({ source: p.program, path: p.path }))];
    const { a, b } = await runBoth(period, inputs, dir, { normalize: 2, match: 2 });
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(b['findings.csv']!.toString('utf8')).toBe(a['findings.csv']!.toString('utf8'));
    for (const name of Object.keys(a)) expect(b[name]!.equals(a[name]!), `${name} differs`).toBe(true);
    expect(a['findings.csv']!.toString('utf8').split('\n').length).toBeGreaterThan(100);
  });

  /**
   * Regression (issue 6, defect 2): a NIK held by 10 000 DTKS rows made every DTKS index message
   * carry the whole group (over the topic's max.message.bytes) and re-emitted the group on every
   * batch. Now one index entry per row (batched by file and row set), and the same snapshot as the
   * embedded run.
   */
  it('a NIK held by 10 000 DTKS rows and repeated 3 000 times in a program: same bytes, nothing stalls', { timeout: 600_000 }, async () => {
    const period = uniquePeriod();
    const dir = tempDir('conformance-repeats');
    const nik = '1501070410800152';
    // One household for the repeated NIK: its 3 000 PKH records and one BST record form one family.
    let dtksBody = 'NIK,NAMA,IDDTKS\n' + `${nik},SUHAIMI ABIDIN,H1\n`.repeat(10_000);
    for (let i = 1; i <= 200; i++) dtksBody += `15010704108${String(10000 + i).slice(1)}1,ORANG ${i},H${i + 1}\n`;
    const dtks = join(dir, 'dtks.csv');
    writeFileSync(dtks, dtksBody);
    const pkh = join(dir, 'pkh.csv');
    writeFileSync(pkh, 'NIK,NAMA\n' + `${nik},SUHAIMI ABIDIN\n`.repeat(3000) + `15010704108${String(10001).slice(1)}1,ORANG 1\n`);
    const bst = join(dir, 'bst.csv');
    writeFileSync(bst, `NIK,NAMA\n${nik},SUHAIMI ABIDIN\n`);
    const inputs = [
      { source: 'DTKS' as const, path: dtks },
      { source: 'PKH' as const, path: pkh },
      { source: 'BST' as const, path: bst },
    ];
    const { a, b } = await runBoth(period, inputs, dir, { normalize: 1, match: 2 });
    for (const name of Object.keys(a)) expect(b[name]?.equals(a[name]!), `${name} differs`).toBe(true);
    const findings = a['findings.csv']!.toString('utf8');
    expect(findings.match(/DUPLICATE_IN_DTKS:SAME_PERSON/g)).toHaveLength(10_000);
    expect(findings.match(/DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#1/g)).toHaveLength(2999);
    expect(findings.match(/PROGRAM_CONFLICT:PKH/g)).toHaveLength(1);
  });
});
