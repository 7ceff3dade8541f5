// Measures match's CPU on the Redis state: reads and normalizes generated files first (not
// measured), then feeds the batches to MatchStage on RedisMatchState and reports the process CPU
// (user + system) spent in match, per row. Run it under `node --cpu-prof` to see where it goes.
//   pnpm build && padan generate --out DIR --households 80000 --formats csv
//   REDIS_URL=redis://127.0.0.1:6379 node packages/match-state/scripts/match-cpu.mjs DIR
// FLUSHALL first: use a Redis of your own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ingestFile, MatchStage, normalizeBatch, regionCatalog } from '../../pipeline/dist/index.js';
import { DEFAULT_PROGRAM_RULES } from '../../core/dist/index.js';
import { RedisMatchState } from '../dist/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: match-cpu.mjs DIR (a folder written by padan generate --formats csv)');
const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await client.flushall();
const period = '2021-09';
const regions = regionCatalog();
const files = readdirSync(dir).filter((f) => f.endsWith('.csv') && !f.startsWith('truth'));
const order = [...files.filter((f) => f.startsWith('dtks')), ...files.filter((f) => !f.startsWith('dtks'))];
const SOURCES = { dtks: 'DTKS', pkh: 'PKH', bst: 'BST', pbi: 'PBI', sembako: 'SEMBAKO' };
const steps = [];
let rows = 0;
for (const f of order) {
  const source = SOURCES[f.split('-')[0]];
  const fc = await ingestFile({ path: join(dir, f), period, source, runId: 'measure', mapping: {} }, {
    batch: async (batch) => {
      if (!batch) return;
      const normalized = normalizeBatch(batch, regions);
      rows += normalized.records.length;
      steps.push({ batch: normalized });
    },
    completed: async () => {},
  });
  steps.push({ fc });
}
const state = new RedisMatchState(client);
const match = new MatchStage(state, DEFAULT_PROGRAM_RULES);
const t0 = Date.now();
const cpu0 = process.cpuUsage();
let results = 0;
for (const step of steps) {
  if (step.batch) {
    const out = await match.onNormalized(step.batch);
    results += out.results.length;
    await match.acknowledge(out.acks);
  } else {
    const out = await match.onFileCompleted(step.fc);
    results += out.results.length;
    await match.acknowledge(out.acks);
    // The held backlog, page by page, as publishMatchOutput releases it.
    for (let more = true; more; ) {
      const page = await match.poll(period);
      results += page.results.length;
      await match.acknowledge(page.acks);
      more = page.heldPending.has(period);
    }
  }
}
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({ rows, results, batches: steps.length, cpuSeconds, cpuMicrosPerRow: Math.round((cpuSeconds * 1e6) / rows), wallSeconds: (Date.now() - t0) / 1000 }));
await client.flushall();
await client.quit();
