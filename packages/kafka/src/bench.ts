/**
 * Throughput of the Kafka bus for 2 000-row RawBatch messages on the broker in KAFKA_BROKERS:
 * contract encode/decode cost, produce (acks=all, idempotent) with and without GZIP, consume
 * (decode + validate + commit, no-op handler). Creates and deletes its own topics.
 *
 *   source .stack/env && node packages/kafka/dist/bench.js [messages=100] [rowsPerMessage=2000]
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MatchResultContract, RawBatchContract } from '@padan/contracts';
import type { MatchResult, RawBatch } from '@padan/contracts';
import { connectAdmin, kafkaConnectionFromEnv } from './connection.js';
import { KafkaBus } from './kafka-bus.js';
import { partitionFor } from './partitioner.js';

const messages = Number(process.argv[2] ?? 100);
const rows = Number(process.argv[3] ?? 2000);
const conn = kafkaConnectionFromEnv(process.env, 'padan-bench');

function batch(i: number): RawBatch {
  return {
    v: 1,
    period: '2021-09',
    source: 'PKH',
    file: 'pkh-jambi-2021-09.csv',
    runId: 'c0ffee00c0ffee00',
    format: 'csv',
    fields: ['nik', 'no_kk', 'nama', 'tanggal_lahir', 'kode_wilayah'],
    rows: Array.from({ length: rows }, (_, r) => {
      const n = i * rows + r;
      return [n + 2, [`1571${String(41_000_000_000 + n).padStart(12, '0')}`, `1571${String(10_000_000_000 + (n >> 2)).padStart(12, '0')}`, `SITI AMINAH BINTI ABDULLAH ${n % 997}`, '1985-04-12', '1571011001']] as [number, string[]];
    }),
  };
}

function matchResult(i: number): MatchResult {
  return {
    v: 1,
    period: '2021-09',
    source: 'BST',
    file: 'bst-jambi-2021-09.csv',
    runId: 'c0ffee00c0ffee00',
    format: 'csv',
    row: i + 2,
    seq: 0,
    nikRaw: `1571${String(41_000_000_000 + i).padStart(12, '0')}`,
    nik: `1571${String(41_000_000_000 + i).padStart(12, '0')}`,
    nama: 'SITI AMINAH',
    outcome: i % 7 === 0 ? 'NAME_MISMATCH' : null,
    reasons: i % 7 === 0 ? ['NAME_MISMATCH'] : [],
    details: [],
    warnings: [],
    suggestedNik: null,
    householdId: `HH${i >> 2}`,
    regency: '1571',
    notChecked: [],
  };
}
const RESULT_BYTES = MatchResultContract.encode(matchResult(1)).length;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} cores; ${messages} messages × ${rows} rows`);
  const values = Array.from({ length: messages }, (_, i) => batch(i));

  // Contract cost, in process (after a warm-up).
  for (const v of values.slice(0, 5)) RawBatchContract.decode(RawBatchContract.encode(v));
  let t = performance.now();
  const encoded = values.map((v) => RawBatchContract.encode(v));
  const encMs = performance.now() - t;
  t = performance.now();
  for (const b of encoded) RawBatchContract.decode(b);
  const decMs = performance.now() - t;
  t = performance.now();
  for (const b of encoded) JSON.parse(b.toString('utf8'));
  const parseMs = performance.now() - t;
  const bytes = encoded.reduce((a, b) => a + b.length, 0);
  console.log(`message size ${fmt(bytes / messages)} bytes`);
  console.log(`encode (validate + JSON): ${(encMs / messages).toFixed(2)} ms/message, ${((encMs * 1000) / (messages * rows)).toFixed(2)} µs/row`);
  console.log(`decode (JSON + validate): ${(decMs / messages).toFixed(2)} ms/message, ${((decMs * 1000) / (messages * rows)).toFixed(2)} µs/row (JSON.parse alone ${((parseMs * 1000) / (messages * rows)).toFixed(2)} µs/row)`);

  const admin = await connectAdmin(conn);
  const topics: string[] = [];
  try {
    for (const compression of (process.env['BENCH_COMPRESSION'] ?? 'none,gzip').split(',') as ('none' | 'gzip')[]) {
      const topic = `bench-${randomUUID()}`;
      topics.push(topic);
      await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '8388608' }] }], waitForLeaders: true });
      const maxRequestBytes = Number(process.env['BENCH_MAX_REQUEST_BYTES'] ?? 900_000);
      const bus = new KafkaBus({ ...conn, contracts: { [topic]: RawBatchContract }, compression, maxRequestBytes });
      await bus.connect();
      await bus.publish(topic, [{ key: 'warm-up', value: batch(0) }]);

      // Produce: calls of 10 messages, each awaited (as a stage publishes its outputs).
      t = performance.now();
      for (let i = 0; i < messages; i += 10) {
        await bus.publish(
          topic,
          values.slice(i, i + 10).map((value, j) => ({ key: `PKH/pkh.csv#${i + j}`, value, partition: partitionFor(`PKH/pkh.csv#${i + j}`, 3) })),
        );
      }
      const prodMs = performance.now() - t;
      console.log(`produce ${compression}: ${fmt((messages / prodMs) * 1000)} messages/s, ${fmt(((messages * rows) / prodMs) * 1000)} rows/s (${fmt(prodMs)} ms)`);

      // Consume: one member, no-op handler, decode + validate + commit per chunk.
      let got = 0;
      let first = 0;
      let last = 0;
      bus.subscribe<RawBatch>(topic, `bench-${randomUUID()}`, async (m) => {
        if (first === 0) first = performance.now();
        got += m.length;
        last = performance.now();
      });
      const t0 = performance.now();
      await bus.run();
      while (got < messages + 1) await new Promise((r) => setTimeout(r, 20));
      const consMs = last - t0;
      console.log(
        `consume ${compression}: ${fmt(((messages + 1) / consMs) * 1000)} messages/s, ${fmt((((messages + 1) * rows) / consMs) * 1000)} rows/s (${fmt(consMs)} ms from run() to the last message, group join and first fetch ${fmt(first - t0)} ms of it)`,
      );
      await bus.close();
    }

    // One record per message (results, DTKS index changelog): publish calls of BENCH_SMALL_CALL
    // messages, for each compression in BENCH_SMALL_COMPRESSION and request size in
    // BENCH_SMALL_REQUEST_BYTES (the topic accepts 8 MiB record batches, like padan.results.v1).
    const small = Number(process.env['BENCH_SMALL_MESSAGES'] ?? 40_000);
    const call = Number(process.env['BENCH_SMALL_CALL'] ?? 2000);
    const results = Array.from({ length: small }, (_, i) => matchResult(i));
    for (const compression of (process.env['BENCH_SMALL_COMPRESSION'] ?? 'none').split(',') as ('none' | 'gzip')[]) {
      for (const maxRequestBytes of (process.env['BENCH_SMALL_REQUEST_BYTES'] ?? '900000').split(',').map(Number)) {
        if (small === 0) break;
        const topic = `bench-${randomUUID()}`;
        topics.push(topic);
        await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '8388608' }] }], waitForLeaders: true });
        const bus = new KafkaBus({ ...conn, contracts: { [topic]: MatchResultContract }, compression, maxRequestBytes });
        await bus.connect();
        t = performance.now();
        // CPU time too: on a shared machine wall time says more about the neighbours than the code.
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < small; i += call) {
          await bus.publish(topic, results.slice(i, i + call).map((value) => ({ key: `${value.period}/${value.source}/${value.file}#${value.row}`, value })));
        }
        const prodMs = performance.now() - t;
        const prodCpu = process.cpuUsage(cpu0);
        const label = `MatchResult ${compression}, requests ≤ ${fmt(maxRequestBytes)} bytes, calls of ${fmt(call)}`;
        console.log(`produce ${label} (one record per message, ${fmt(RESULT_BYTES)} bytes): ${fmt((small / prodMs) * 1000)} messages/s, ${((prodCpu.user + prodCpu.system) / small).toFixed(1)} CPU µs/message`);
        let got = 0;
        let last = 0;
        bus.subscribe(topic, `bench-${randomUUID()}`, async (m) => {
          got += m.length;
          last = performance.now();
        });
        const t0 = performance.now();
        const cpu1 = process.cpuUsage();
        await bus.run();
        while (got < small) await new Promise((r) => setTimeout(r, 20));
        const consCpu = process.cpuUsage(cpu1);
        console.log(`consume ${label}: ${fmt((small / (last - t0)) * 1000)} messages/s, ${((consCpu.user + consCpu.system) / small).toFixed(1)} CPU µs/message (${fmt(last - t0)} ms from run())`);
        await bus.close();
      }
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
