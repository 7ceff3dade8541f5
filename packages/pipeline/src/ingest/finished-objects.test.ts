import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FileCompleted } from '@padan/contracts';
import { createLogger } from '@padan/service-kit';
import { FinishedObjects } from './finished-objects.js';
import type { FinishedStore } from './finished-objects.js';

const o = { key: 'landing/period=2021-09/source=PKH/pkh.csv', period: '2021-09', source: 'PKH' as const, file: 'pkh.csv' };
const fc = { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', rowsRead: 2 } as unknown as FileCompleted;
// The checksum ingest recorded; only compared, never recomputed from the archived body.
const INGESTED = 'b8f4ee1b0b8e4e1d1ab8f9d0f1f8bd0d7f1cf3b2b1d7dd9b8a6e8a1e4c0f5d3a';

function setup(objects: Map<string, { body: string; etag: string }>, failPuts = 0, clock = { now: 0 }) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('ingest', 'info', { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  let failures = failPuts;
  const store: FinishedStore = {
    exists: async (k) => objects.has(k),
    head: async (k) => (objects.has(k) ? { bytes: objects.get(k)!.body.length, etag: objects.get(k)!.etag } : null),
    put: async (k, body) => {
      if (failures-- > 0) throw new Error('S3 unavailable');
      objects.set(k, { body, etag: 'm' });
    },
    getFile: async (k, p) => writeFile(p, objects.get(k)!.body),
  };
  return { finished: new FinishedObjects(store, logger, () => {}, 1000, () => clock.now), lines };
}

describe('FinishedObjects', () => {
  it('rewrites a missing ingest/done marker on the next check (a lost ingest/done marker is never rewritten)', async () => {
    const objects = new Map([[o.key, { body: 'NIK\n1\n', etag: 'e1' }]]);
    const { finished, lines } = setup(objects);
    await finished.check(o, fc, INGESTED, '');
    expect(JSON.parse(objects.get(`ingest/done/${o.key}.json`)!.body)).toEqual(fc);
    expect(lines.map((l) => l['msg'])).toEqual(['ingest/done marker was missing: rewritten']);
  });

  it('retries a marker write through an S3 blip', async () => {
    const objects = new Map<string, { body: string; etag: string }>();
    const { finished, lines } = setup(objects, 2);
    await finished.writeMarker(o, fc);
    expect(objects.has(`ingest/done/${o.key}.json`)).toBe(true);
    expect(lines.filter((l) => l['level'] === 40)).toHaveLength(2);
  });

  it('warns once, with both checksums, when other content is uploaded under an ingested name (a corrected file is silently ignored)', async () => {
    const objects = new Map([
      [o.key, { body: 'NIK\n2\n', etag: 'e2' }],
      [`ingest/done/${o.key}.json`, { body: '{}', etag: 'm' }],
      [`raw/period=2021-09/source=PKH/sha256=${INGESTED}/pkh.csv`, { body: 'NIK\n1\n', etag: 'e1' }],
    ]);
    const { finished, lines } = setup(objects);
    await finished.check(o, fc, INGESTED, 'e2');
    await finished.check(o, fc, INGESTED, 'e2');
    const warns = lines.filter((l) => l['level'] === 40);
    expect(warns).toHaveLength(1);
    expect(warns[0]!['ingestedSha256']).toBe(INGESTED);
    expect(warns[0]!['landingSha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(warns[0]!['landingSha256']).not.toBe(INGESTED);
    expect(String(warns[0]!['msg'])).toMatch(/NOT ingested/);
  });

  it('says nothing when the landing object is the archived original (same ETag, nothing downloaded)', async () => {
    const objects = new Map([
      [o.key, { body: 'other bytes, never read', etag: 'e1' }],
      [`ingest/done/${o.key}.json`, { body: '{}', etag: 'm' }],
      [`raw/period=2021-09/source=PKH/sha256=${INGESTED}/pkh.csv`, { body: 'NIK\n1\n', etag: 'e1' }],
    ]);
    const { finished, lines } = setup(objects);
    await finished.check(o, fc, INGESTED, 'e1');
    expect(lines).toEqual([]);
  });

  it('looks for a seen marker again after the recheck interval: a marker deleted later comes back', async () => {
    const clock = { now: 0 };
    const objects = new Map([[`ingest/done/${o.key}.json`, { body: '{}', etag: 'm' }]]);
    const { finished } = setup(objects, 0, clock);
    await finished.check(o, fc, INGESTED, '');
    objects.delete(`ingest/done/${o.key}.json`);
    clock.now = 999;
    await finished.check(o, fc, INGESTED, '');
    expect(objects.has(`ingest/done/${o.key}.json`)).toBe(false);
    clock.now = 1000;
    await finished.check(o, fc, INGESTED, '');
    expect(objects.has(`ingest/done/${o.key}.json`)).toBe(true);
  });
});
