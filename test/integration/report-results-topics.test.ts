import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGE_KEYS, packResults, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { FileCompleted, MatchResult, MismatchEvent, Source } from '@padan/contracts';
import { KafkaBus, silentLogger } from '@padan/kafka';
import { topicsApply } from '../../packages/cli/src/distributed.js';
import { tempDir } from '../helpers/golden.js';
import { kafkaBrokers } from '../helpers/kafka.js';
import { uniquePeriod } from '../helpers/period.js';
import { readWholeTopic, startService, waitFor, waitReady } from '../helpers/privacy-services.js';
import type { ServiceProcess } from '../helpers/privacy-services.js';

const started: ServiceProcess[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.running.stop();
});

function completed(period: string, source: Source, file: string, rows: number): FileCompleted {
  return { v: 1, period, source, file, runId: 'r', format: 'csv', sha256: 'a'.repeat(64), bytes: 10, fields: ['nik', 'nama'], headerRow: 1, rowsRead: rows, rowsEmitted: rows, rowsRejected: 0 };
}

function result(period: string, source: Source, file: string, row: number, seq: number, flagged: boolean): MatchResult {
  return {
    v: 1, period, source, file, runId: 'r', format: 'csv', row, seq, nikRaw: '1571011505800001', nik: '1571011505800001', nama: 'MUHAMMAD YUSUF',
    outcome: flagged ? 'NOT_IN_DTKS' : null, reasons: flagged ? ['NOT_IN_DTKS'] : [], details: [], warnings: [], suggestedNik: null, householdId: null, regency: '1571', notChecked: [],
  };
}

/**
 * The upgrade to batched results (README, "Upgrading a running deployment"): periods published
 * before it are on padan.results.v1, one result per message, and nothing writes there any more.
 * report reads both topics into one view at start, keeping the highest seq per record across them,
 * so those periods stay complete and a record re-emitted after the upgrade takes its newer result.
 */
describe('report reads the batched results topic and the per-record one of before the upgrade', () => {
  it('one view over padan.results.v2 and padan.results.v1: a period completes from both, the highest seq wins across them', { timeout: 180_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: `results-topics-${randomUUID()}`, contracts: TOPIC_CONTRACTS, logger: silentLogger });
    try {
      const files = [completed(period, 'DTKS', 'dtks.csv', 1), completed(period, 'PKH', 'pkh.csv', 2)];
      await bus.publish(TOPICS.files, files.map((value) => ({ key: MESSAGE_KEYS.file(value), value })));
      // Before the upgrade: every PKH row flagged, one result per message.
      const old = [result(period, 'PKH', 'pkh.csv', 1, 1, true), result(period, 'PKH', 'pkh.csv', 2, 1, true)];
      await bus.publish(TOPICS.resultsV1, old.map((value) => ({ key: MESSAGE_KEYS.result(value), value })));
      // After it: the DTKS row, and PKH row 2 re-emitted clean with more evidence, in batches.
      const batches = packResults([result(period, 'DTKS', 'dtks.csv', 1, 1, false), result(period, 'PKH', 'pkh.csv', 2, 2, false)]);
      await bus.publish(TOPICS.results, batches.map((value) => ({ key: MESSAGE_KEYS.resultBatch(value), value })));
    } finally {
      await bus.close();
    }

    const port = 19700 + Math.floor(Math.random() * 200);
    const report = startService('report', port, join(tempDir('results-topics-logs'), 'report'), { ...process.env, PADAN_HASH_KEY: 'results-topics-hash-key', REPORT_TICK_MS: '200' });
    started.push(report);
    await waitReady(report);
    // The period is complete only with both topics read (PKH row 1 is on v1 alone, DTKS on v2
    // alone); its events are published once, for the records flagged in the merged view.
    const events = await waitFor('the mismatch events of the period', async () => {
      const all = (await readWholeTopic<MismatchEvent>(TOPICS.mismatches)).filter((e) => e.period === period);
      return all.length > 0 ? all : undefined;
    });
    expect(events.map((e) => [e.program, e.file, e.row, e.outcome])).toEqual([['PKH', 'pkh.csv', 1, 'NOT_IN_DTKS']]);
  });
});
