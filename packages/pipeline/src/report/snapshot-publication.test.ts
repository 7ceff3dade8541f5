import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '@padan/runtime';
import { readLatestPointer, supersedeCurrent } from './snapshot-publication.js';
import { historyPrefix, latestPointerKey, snapshotId } from './snapshot-layout.js';

const P = '2021-09';

async function storeWith(objects: Record<string, string>): Promise<FolderObjectStore> {
  const store = new FolderObjectStore(mkdtempSync(join(tmpdir(), 'snapshot-publication-')));
  for (const [k, v] of Object.entries(objects)) await store.put(k, v);
  return store;
}

const keys = async (store: FolderObjectStore, prefix: string) => (await store.list(prefix)).map((o) => o.key).sort();

describe('supersedeCurrent', () => {
  it('moves the current snapshot under history/, named by its manifest checksum, and leaves only the pointer', async () => {
    const store = await storeWith({
      [`snapshots/period=${P}/date=2021-09-30/manifest.json`]: 'm1',
      [`snapshots/period=${P}/date=2021-09-30/restricted/findings.csv`]: 'f1',
      [`snapshots/period=${P}/date=2021-09-30/dashboard/summary.json`]: 's1',
    });
    const latest = { v: 1 as const, period: P, date: '2021-09-30', prefix: `snapshots/period=${P}/date=2021-09-30/`, manifest_sha256: 'a'.repeat(64), run_id: 'r', created_at: 'x' };
    await store.put(latestPointerKey(P), JSON.stringify(latest));
    const s = await supersedeCurrent(store, P, await readLatestPointer(store, P));
    const target = historyPrefix(P, '2021-09-30', snapshotId('a'.repeat(64)));
    expect(s).toEqual({ date: '2021-09-30', manifest_sha256: 'a'.repeat(64), history_prefix: target });
    expect(await keys(store, 'snapshots/')).toEqual([latestPointerKey(P)]);
    expect(await keys(store, 'history/')).toEqual([`${target}dashboard/summary.json`, `${target}manifest.json`, `${target}restricted/findings.csv`]);
    expect((await store.get(`${target}restricted/findings.csv`)).toString()).toBe('f1');
  });

  it('moves every dated folder of an earlier version (no pointer) and deletes folders without a manifest', async () => {
    const store = await storeWith({
      [`snapshots/period=${P}/date=2021-09-29/manifest.json`]: 'old',
      [`snapshots/period=${P}/date=2021-09-29/findings.csv`]: 'f0',
      [`snapshots/period=${P}/date=2021-09-30/manifest.json`]: 'newer',
      [`snapshots/period=${P}/date=2021-09-30/findings.csv`]: 'f1',
      [`snapshots/period=${P}/date=2021-10-01/findings.csv`]: 'half-written',
    });
    const s = await supersedeCurrent(store, P, null);
    expect(s?.date).toBe('2021-09-30');
    expect(await keys(store, 'snapshots/')).toEqual([]);
    const history = await keys(store, 'history/');
    expect(history).toHaveLength(4);
    expect(history.filter((k) => k.includes('date=2021-10-01'))).toEqual([]);
  });

  it('says nothing is superseded for a period without snapshots', async () => {
    const store = await storeWith({ [`snapshots/period=2021-08/date=2021-08-31/manifest.json`]: 'other period' });
    expect(await supersedeCurrent(store, P, null)).toBeNull();
    expect(await keys(store, 'snapshots/')).toHaveLength(1);
  });

  it('leaves the current snapshot whole when a copy fails', async () => {
    const store = await storeWith({
      [`snapshots/period=${P}/date=2021-09-30/manifest.json`]: 'm1',
      [`snapshots/period=${P}/date=2021-09-30/restricted/findings.csv`]: 'f1',
    });
    const failing = Object.assign(Object.create(store) as FolderObjectStore, {
      copy: async (from: string) => {
        if (from.endsWith('manifest.json')) throw new Error('disk full');
      },
    });
    await expect(supersedeCurrent(failing, P, null)).rejects.toThrow(/cannot move the current snapshot of period 2021-09 .* to history\/ \(disk full\); it is left as it was/);
    expect(await keys(store, 'snapshots/')).toHaveLength(2);
  });
});
