#!/usr/bin/env node
/**
 * One process of the transport baseline: the distributed pipeline's Kafka hops with no domain work
 * and no Redis. Each role stands where a service stands, with the same topics, the same bus (so the
 * same kafkajs settings, encoding and contract validation on both sides, imported from
 * @padan/kafka so they track the real ones) and the same keys and partitioning:
 *   source    reads the input files and publishes 2 000-row raw batches in transactions, then one
 *             FileCompleted per file (ingest, minus S3)
 *   normalize raw batches in, the same records out as normalized batches routed by NIK hash
 *             (normalize, minus cleaning)
 *   match     normalized batches in, one result per record out, packed into result batches and
 *             keyed as match packs and keys them, and DTKS rows as index batches (match, minus the
 *             evidence and Redis)
 *   sink      counts the results of the batches until every announced row has one, prints {"rows":…,"read":…,"results":…}
 *             and exits (report, minus the view and the snapshot)
 * Usage: transport-role.js ROLE PERIOD [SOURCE=PATH ...]   (KAFKA_* variables as for the services)
 */
import { basename } from 'node:path';
import { MESSAGE_KEYS, packDtksIndex, packResults, TOPIC_CONTRACTS, TOPICS } from '@padan/contracts';
import type { DtksIndexEntry, FileCompleted, MatchResult, NormalizedBatch, NormalizedRecord, RawBatch, ResultBatch, Source } from '@padan/contracts';
import { detectFormat, readSource, sha256File } from '@padan/io';
import { KafkaBus, kafkaConnectionFromEnv, partitionFor, silentLogger } from '@padan/kafka';

const [role, period, ...inputs] = process.argv.slice(2);
const BATCH_ROWS = 2000; // INGEST_BATCH_ROWS' default
const GROUP = `padan-transport-${role ?? ''}`;
const bus = new KafkaBus({ ...kafkaConnectionFromEnv(process.env, `padan-transport-${role ?? ''}`), contracts: TOPIC_CONTRACTS, logger: silentLogger });

function stopOn(signal: NodeJS.Signals): void {
  process.once(signal, () => {
    bus.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
stopOn('SIGTERM');
stopOn('SIGINT');

async function source(): Promise<void> {
  await bus.connect();
  const txId = `padan-transport-source-${process.pid}`;
  await bus.initTransactions(txId);
  for (const input of inputs) {
    const at = input.indexOf('=');
    const src = input.slice(0, at) as Source;
    const path = input.slice(at + 1);
    const file = basename(path);
    const { sha256, bytes } = await sha256File(path);
    const lineage = { period: period as string, source: src, file, runId: `transport-${sha256.slice(0, 16)}`, format: detectFormat(path) };
    let fields: RawBatch['fields'] = [];
    let headerRow = 0;
    let rows: [number, string[]][] = [];
    let read = 0;
    let rejected = 0;
    const flush = async () => {
      if (rows.length === 0) return;
      const value: RawBatch = { v: 1, ...lineage, fields, rows };
      await bus.publishTransaction(txId, [{ topic: TOPICS.raw, messages: [{ key: `${src}/${file}#${rows[0]?.[0] ?? 0}`, value }] }]);
      rows = [];
    };
    for await (const e of readSource(path, { source: src })) {
      if (e.kind === 'header') {
        fields = e.fields;
        headerRow = e.headerRow;
      } else if (e.kind === 'row') {
        read++;
        rows.push([e.row, e.values]);
        if (rows.length >= BATCH_ROWS) await flush();
      } else {
        read++;
        rejected++;
      }
    }
    await flush();
    const fc: FileCompleted = { v: 1, ...lineage, sha256, bytes, fields, headerRow, rowsRead: read, rowsEmitted: read - rejected, rowsRejected: rejected };
    await bus.publishTransaction(txId, [{ topic: TOPICS.files, messages: [{ key: `${period}/${src}/${file}`, value: fc }] }]);
  }
  await bus.close();
}

function normalizedRecord(fields: readonly string[], row: number, values: readonly string[]): NormalizedRecord {
  const get = (f: string) => {
    const i = fields.indexOf(f);
    return i < 0 ? null : (values[i] ?? null);
  };
  const nikRaw = get('nik') ?? '';
  return {
    row,
    nikRaw,
    nik: nikRaw.trim(),
    nikInvalid: null,
    nikSex: null,
    nikBirthDate: null,
    noKk: get('no_kk'),
    nama: get('nama'),
    nameKey: null,
    birthDate: null,
    kodeWilayah: get('kode_wilayah'),
    regency: null,
    householdId: get('id_dtks'),
    deceased: null,
    warnings: [],
  };
}

async function normalize(): Promise<void> {
  const partitions = await bus.partitions(TOPICS.normalized);
  bus.subscribe<RawBatch>(TOPICS.raw, GROUP, async (messages) => {
    const out = [];
    for (const m of messages) {
      const { rows, ...lineage } = m.value;
      const groups = new Map<number, NormalizedRecord[]>();
      for (const [row, values] of rows) {
        const r = normalizedRecord(lineage.fields, row, values);
        const p = partitionFor(r.nik, partitions);
        const g = groups.get(p);
        if (g) g.push(r);
        else groups.set(p, [r]);
      }
      for (const [partition, records] of groups) {
        const value: NormalizedBatch = { ...lineage, records };
        out.push({ partition, key: `${lineage.source}/${lineage.file}#${records[0]?.row ?? 0}`, value });
      }
    }
    await bus.publish(TOPICS.normalized, out);
  });
  await bus.run();
}

async function match(): Promise<void> {
  bus.subscribe<NormalizedBatch>(TOPICS.normalized, GROUP, async (messages) => {
    const out: MatchResult[] = [];
    const index: DtksIndexEntry[] = [];
    for (const m of messages) {
      const { records, fields: _fields, reevaluate: _reevaluate, ...lineage } = m.value;
      for (const r of records) {
        out.push({
          ...lineage,
          row: r.row,
          seq: 0,
          nikRaw: r.nikRaw,
          nik: r.nik,
          nama: r.nama,
          outcome: null,
          reasons: [],
          details: [],
          warnings: [],
          suggestedNik: null,
          householdId: r.householdId,
          regency: r.regency,
          notChecked: [],
        });
        if (lineage.source === 'DTKS' && r.nik !== '') {
          index.push({ v: 1, period: lineage.period, nik: r.nik, nikRaw: r.nikRaw, file: lineage.file, row: r.row, householdId: r.householdId, noKk: r.noKk, nama: r.nama, nameKey: r.nameKey ?? '', birthDate: r.birthDate, regency: r.regency, deceased: r.deceased ?? false, warnings: r.warnings });
        }
      }
    }
    // As match: the chunk's index entries first, then its results, each packed many per message.
    if (index.length > 0) await bus.publish(TOPICS.dtksIndex, packDtksIndex(index).map((b) => ({ key: MESSAGE_KEYS.dtksIndexBatch(b), value: b })));
    await bus.publish(TOPICS.results, packResults(out).map((b) => ({ key: MESSAGE_KEYS.resultBatch(b), value: b })));
  });
  await bus.run();
}

async function sink(): Promise<void> {
  const expectedFiles = Number(inputs[0]);
  const announced = new Map<string, { emitted: number; read: number }>();
  let results = 0;
  let done = false;
  const check = () => {
    if (done || announced.size < expectedFiles) return;
    let rows = 0;
    let read = 0;
    for (const n of announced.values()) {
      rows += n.emitted;
      read += n.read;
    }
    if (results < rows) return;
    done = true;
    process.stdout.write(`${JSON.stringify({ rows, read, results })}\n`);
    bus.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  bus.subscribe<FileCompleted>(TOPICS.files, GROUP, async (messages) => {
    for (const m of messages) if (m.value.period === period) announced.set(m.key, { emitted: m.value.rowsEmitted, read: m.value.rowsRead });
    check();
  });
  bus.subscribe<ResultBatch>(TOPICS.results, GROUP, async (messages) => {
    for (const m of messages) if (m.value.period === period) results += m.value.results.length;
    check();
  });
  await bus.run();
}

const roles: Record<string, () => Promise<void>> = { source, normalize, match, sink };
const run = roles[role ?? ''];
if (!run) {
  process.stderr.write(`transport-role: unknown role "${role ?? ''}" (source, normalize, match or sink)\n`);
  process.exit(2);
}
await run();
