// Measures what the match state costs in Redis per DTKS row: loads generated files through the
// real ingest, normalize and match stages onto RedisMatchState and reads INFO used_memory before,
// after the DTKS release (the index: every index counted) and at the end (programs' evidence too).
//   pnpm build && padan generate --out DIR --households 80000 --formats csv
//   REDIS_URL=redis://127.0.0.1:6379 node packages/match-state/scripts/state-memory.mjs DIR
// REDIS_CLUSTER_NODES=host:port,... (which wins over REDIS_URL, as in match) measures a Cluster,
// summing its masters. FLUSHALL on every master first: use a Redis of your own.
// KINDS=1 also prints, after the index and at the end, MEMORY USAGE summed per key kind (B per
// DTKS row, keys, fields per hash, encodings), to find where the bytes are.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis, Cluster } from 'ioredis';
import { ingestFile, MatchStage, normalizeBatch, regionCatalog } from '../../pipeline/dist/index.js';
import { DEFAULT_PROGRAM_RULES } from '../../core/dist/index.js';
import { RedisMatchState } from '../dist/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: state-memory.mjs DIR (a folder written by padan generate --formats csv)');
const nodes = process.env.REDIS_CLUSTER_NODES;
const client = nodes
  ? new Cluster(nodes.split(',').map((hp) => ({ host: hp.split(':')[0], port: Number(hp.split(':')[1]) })))
  : new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const masters = nodes ? () => client.nodes('master') : () => [client];
// A Cluster client knows its masters only once connected.
if (nodes && client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
async function used() {
  let total = 0;
  for (const n of masters()) total += Number(/used_memory:(\d+)/.exec(await n.info('memory'))[1]);
  return total;
}
/** A key's kind: its scope (r: release, p: evidence) and its name without the item (`dtks:17` → `r dtks`, `occ:l:PKH|…` → `p occ:l`). */
function kindOf(key) {
  const m = /^[^{]*\{[^}]*\}:(r|p):[^:]*:(?:g[^:]*:)?(.*)$/.exec(key);
  if (!m) return `? ${key}`;
  const [first, second] = m[2].split(':');
  return `${m[1]} ${first}${second !== undefined && /^(n|m|r|s|l|seen|data)$/.test(second) ? `:${second}` : ''}`;
}
/** MEMORY USAGE (every element counted) summed per key kind, on every master. */
async function kinds(rows) {
  const out = new Map();
  for (const n of masters()) {
    let cursor = '0';
    do {
      const [next, keys] = await n.scan(cursor, 'COUNT', 1000);
      cursor = next;
      const p = n.pipeline();
      for (const k of keys) p.memory('USAGE', k, 'SAMPLES', 0).object('ENCODING', k).type(k);
      const replies = await p.exec();
      keys.forEach((k, i) => {
        const [bytes, enc, type] = replies.slice(3 * i, 3 * i + 3).map(([, v]) => v);
        const kind = kindOf(k);
        const o = out.get(kind) ?? { bytes: 0, keys: 0, encodings: new Set(), type };
        o.bytes += Number(bytes);
        o.keys += 1;
        o.encodings.add(enc);
        out.set(kind, o);
      });
    } while (cursor !== '0');
  }
  // Fields per hash kind: HLEN of every hash (a second pass: the kinds are known now).
  const fields = new Map();
  for (const n of masters()) {
    let cursor = '0';
    do {
      const [next, keys] = await n.scan(cursor, 'COUNT', 1000);
      cursor = next;
      const hashes = keys.filter((k) => out.get(kindOf(k)).type === 'hash');
      const p = n.pipeline();
      for (const k of hashes) p.hlen(k);
      (await p.exec()).forEach(([, v], i) => fields.set(kindOf(hashes[i]), (fields.get(kindOf(hashes[i])) ?? 0) + Number(v)));
    } while (cursor !== '0');
  }
  return [...out].sort((a, b) => b[1].bytes - a[1].bytes).map(([kind, o]) => ({
    kind,
    bytesPerDtksRow: Number((o.bytes / rows).toFixed(1)),
    keys: o.keys,
    ...(fields.has(kind) ? { fieldsPerKey: Number((fields.get(kind) / o.keys).toFixed(1)), bytesPerField: Number((o.bytes / fields.get(kind)).toFixed(1)) } : {}),
    encodings: [...o.encodings].join(','),
  }));
}
for (const n of masters()) await n.flushall();
const period = '2021-09';
const state = new RedisMatchState(client);
const match = new MatchStage(state, DEFAULT_PROGRAM_RULES);
const regions = regionCatalog();
const files = readdirSync(dir).filter((f) => f.endsWith('.csv') && !f.startsWith('truth'));
const order = [...files.filter((f) => f.startsWith('dtks')), ...files.filter((f) => !f.startsWith('dtks'))];
const SOURCES = { dtks: 'DTKS', pkh: 'PKH', bst: 'BST', pbi: 'PBI', sembako: 'SEMBAKO' };
const before = await used();
let dtksRows = 0;
let afterIndex = 0;
const t0 = Date.now();
for (const f of order) {
  const source = SOURCES[f.split('-')[0]];
  const fc = await ingestFile({ path: join(dir, f), period, source, runId: 'measure', mapping: {} }, {
    batch: async (batch) => {
      if (!batch) return;
      const normalized = normalizeBatch(batch, regions);
      if (source === 'DTKS') dtksRows += normalized.records.length;
      await match.acknowledge((await match.onNormalized(normalized)).acks);
    },
    completed: async () => {},
  });
  await match.acknowledge((await match.onFileCompleted(fc)).acks);
  // The held backlog, page by page, as publishMatchOutput releases it.
  for (let more = true; more; ) {
    const page = await match.poll(period);
    await match.acknowledge(page.acks);
    more = page.heldPending.has(period);
  }
  if (source === 'DTKS') {
    afterIndex = await used();
    if (process.env.KINDS === '1') console.log(JSON.stringify({ afterIndex: await kinds(dtksRows) }));
  }
}
const end = await used();
const perRow = (b) => (b / dtksRows).toFixed(1);
if (process.env.KINDS === '1') console.log(JSON.stringify({ end: await kinds(dtksRows) }));
console.log(JSON.stringify({ dtksRows, seconds: (Date.now() - t0) / 1000, indexBytesPerDtksRow: perRow(afterIndex - before), endBytesPerDtksRow: perRow(end - before), usedBefore: before, usedAfterIndex: afterIndex, usedEnd: end }));
if (process.env.KEEP !== '1') for (const n of masters()) await n.flushall();
await client.quit();
