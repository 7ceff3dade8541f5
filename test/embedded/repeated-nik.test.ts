import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import { tempDir } from '../helpers/golden.js';

/**
 * Regression (issue 6, defect 2, "quadratic time on a repeated NIK"): real lists hold placeholder
 * and caretaker NIKs thousands of times. A program file with 5 000 copies of one NIK took 22 s,
 * 20 000 copies over 300 s; a DTKS file with 10 000 copies 49 s. Work must grow linearly. The test
 * counts work, not time: results match emits and items crossing the match-state port, from 5 000
 * to 20 000 repeats, must grow at most 4.5×, and every copy must get its finding.
 */
const dir = tempDir('repeated-nik');
const NIK = '1501070410800152';
const LINE = `${NIK},SUHAIMI ABIDIN\n`;

/** A DTKS of `copies` rows of one NIK plus `others` distinct people (so it is not too small for the program). */
function dtks(name: string, copies: number, others = 300): string {
  const p = join(dir, name);
  let body = 'NIK,NAMA\n' + LINE.repeat(copies);
  for (let i = 1; i <= others; i++) body += `15010704108${String(10000 + i).slice(1)}1,ORANG ${i}\n`;
  writeFileSync(p, body);
  return p;
}

function program(name: string, copies: number): string {
  const p = join(dir, name);
  writeFileSync(p, 'NIK,NAMA\n' + LINE.repeat(copies));
  return p;
}

async function run(dtksPath: string, pkhPath: string, out: string) {
  return runEmbedded({
    period: '2021-09',
    inputs: [
      { source: 'DTKS', path: dtksPath },
      { source: 'PKH', path: pkhPath },
    ],
    outDir: join(dir, out),
    date: '2021-09-30',
    rules: loadRules(),
    hashKey: 'k',
    padanVersion: 'test',
  });
}

function findings(snapshotDir: string): string[] {
  return readFileSync(join(snapshotDir, 'restricted/findings.csv'), 'utf8').trim().split('\n').slice(1);
}

describe('a NIK repeated thousands of times costs linear work', () => {
  it('in a program file: 5 000 → 20 000 copies, work grows at most 4.5×, every copy after the first is DUPLICATE_IN_PROGRAM', async () => {
    const base = dtks('dtks-base.csv', 1);
    const small = await run(base, program('pkh-5k.csv', 5000), 'out-p5');
    const large = await run(base, program('pkh-20k.csv', 20_000), 'out-p20');
    expect(large.work.results / small.work.results).toBeLessThanOrEqual(4.5);
    expect(large.work.stateItems / small.work.stateItems).toBeLessThanOrEqual(4.5);
    const rows = findings(large.snapshotDir).filter((l) => l.includes(',PKH,'));
    expect(rows).toHaveLength(19_999);
    expect(rows.every((l) => l.includes('DUPLICATE_IN_PROGRAM:FIRST=pkh-20k.csv#1'))).toBe(true);
  });

  it('in DTKS: 5 000 → 20 000 copies, work grows at most 4.5×, every copy is DUPLICATE_IN_DTKS:SAME_PERSON', async () => {
    const pkh = program('pkh-1.csv', 1);
    const small = await run(dtks('dtks-5k.csv', 5000), pkh, 'out-d5');
    const large = await run(dtks('dtks-20k.csv', 20_000), pkh, 'out-d20');
    expect(large.work.results / small.work.results).toBeLessThanOrEqual(4.5);
    expect(large.work.stateItems / small.work.stateItems).toBeLessThanOrEqual(4.5);
    const rows = findings(large.snapshotDir).filter((l) => l.includes(',DTKS,'));
    expect(rows).toHaveLength(20_000);
    expect(rows.every((l) => l.includes('DUPLICATE_IN_DTKS:SAME_PERSON'))).toBe(true);
    // The program record matched the NIK's one person, and knows it is held by many rows.
    expect(findings(large.snapshotDir).some((l) => l.includes(',PKH,'))).toBe(false);
  });

  it('when the copies name different people, the group is DIFFERENT_PERSON and a record is compared with the one whose name matches', async () => {
    const p = join(dir, 'dtks-mixed.csv');
    let body = 'NIK,NAMA\n';
    for (let i = 0; i < 4000; i++) body += `${NIK},${i % 2 ? 'SUHAIMI ABIDIN' : 'RATNA DEWI'}\n`;
    for (let i = 1; i <= 300; i++) body += `15010704108${String(10000 + i).slice(1)}1,ORANG ${i}\n`;
    writeFileSync(p, body);
    const pkh = join(dir, 'pkh-mixed.csv');
    writeFileSync(pkh, `NIK,NAMA\n${NIK},RATNA DEWI\n${NIK},BUDI SANTOSO\n`);
    const r = await run(p, pkh, 'out-mixed');
    const rows = findings(r.snapshotDir);
    expect(rows.filter((l) => l.includes('DUPLICATE_IN_DTKS:DIFFERENT_PERSON'))).toHaveLength(4000);
    const pkhRows = rows.filter((l) => l.includes(',PKH,'));
    // Row 1 (RATNA DEWI) matches a DTKS row by name: only its duplicate-free program result, so not a finding.
    expect(pkhRows.map((l) => l.split(',')[3])).toEqual(['2']);
    expect(pkhRows[0]).toContain('NAME_MISMATCH');
  });
});
