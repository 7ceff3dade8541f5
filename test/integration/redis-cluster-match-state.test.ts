import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '@padan/contracts';
import { connectRedis, RedisMatchState } from '@padan/match-state';
import type { RedisMatchStateOptions } from '@padan/match-state';
import { matchStateConformance, normalizedBatch, person } from '../helpers/match-state-conformance.js';
import { redisClusterNodes, testKeyPrefix } from '../helpers/redis.js';

// The Redis adapter on a Redis Cluster of three masters (REDIS_CLUSTER_NODES; pnpm stack:up
// --redis-cluster, or the global setup): the same conformance suite as on one Redis, and a period
// spread over every master. Every state writes under its own `padan-test-<uuid>:` prefix.

type Client = ReturnType<typeof connectRedis>;
const clients: Client[] = [];

/** A Cluster client, made as match makes it (connectRedis with REDIS_CLUSTER_NODES' nodes). */
function cluster(): Client {
  const c = connectRedis({ clusterNodes: redisClusterNodes() });
  expect(c.isCluster).toBe(true);
  clients.push(c);
  return c;
}

function clusterState(options: RedisMatchStateOptions = {}): RedisMatchState {
  return new RedisMatchState(cluster(), { ...options, keyPrefix: testKeyPrefix() });
}

/** Deletes the state's keys on every master, one UNLINK per key (a node's keys span many slots). */
async function dispose(state: RedisMatchState): Promise<void> {
  if (!state.keyPrefix.startsWith('padan-test-')) throw new Error(`refusing to delete keys outside a test prefix: ${state.keyPrefix}`);
  for (const node of state.masters()) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${state.keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await node.unlink(key);
    } while (cursor !== '0');
  }
}

/** Keys under the state's prefix, per master. */
async function keysPerMaster(state: RedisMatchState): Promise<number[]> {
  const out: number[] = [];
  for (const node of state.masters()) {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${state.keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    out.push(n);
  }
  return out;
}

afterAll(async () => {
  for (const c of clients) await c.quit().catch(() => undefined);
});

describe('RedisMatchState on a 3-master Redis Cluster', () => {
  it('needs REDIS_CLUSTER_NODES and says how to get one', async () => {
    expect(redisClusterNodes().length).toBeGreaterThanOrEqual(1);
    const state = clusterState();
    await state.dtksExpected('2021-09');
    expect(state.masters()).toHaveLength(3);
    for (const node of state.masters()) expect(String(await node.cluster('INFO'))).toMatch(/cluster_state:ok/);
  });

  matchStateConformance('RedisMatchState (Cluster)', () => {
    const state = clusterState();
    return { state, dispose: () => dispose(state) };
  });
  matchStateConformance('RedisMatchState (Cluster), chunks of 7', () => {
    const state = clusterState({ chunkSize: 7, heldChunkSize: 4 });
    return { state, dispose: () => dispose(state) };
  });

  it("spreads a period over the masters: each holds at least 20 % of the period's keys", async () => {
    const state = clusterState();
    try {
      const P = '2021-09';
      const persons = Array.from({ length: 3000 }, (_, i) =>
        person(`1571${String(i * 37).padStart(12, '0')}`, `dtks-${i % 3}.csv`, i + 1, {
          noKk: `1571${String(Math.floor(i / 4)).padStart(12, '0')}`,
          householdId: `HH${Math.floor(i / 4)}`,
          birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        }),
      );
      // Repeated NIKs, so member lists exist too.
      await state.addDtksPersons(P, persons.concat(persons.slice(0, 300).map((p, i) => ({ ...p, row: 5000 + i }))));
      await state.setDtksExpected(P, 'dtks-0.csv', 1000);
      await state.holdBatch(P, normalizedBatch(P, 'PKH', 'pkh.csv', [1, 2]));
      const programs: Source[] = ['PKH', 'BST', 'PBI'];
      await state.addOccurrences(
        P,
        persons.map((p, i) => ({ program: programs[i % 3] as Source, nik: p.nik, occ: { file: `f${i % 5}.csv`, row: i + 1, key: `${P}/${programs[i % 3]}/f${i % 5}.csv#${i + 1}` } })),
      );
      await state.addFamilyMembers(
        P,
        persons.map((p, i) => ({ family: `H:${p.householdId}`, program: programs[i % 3] as Source, file: `f${i % 5}.csv`, row: i + 1, key: `${P}/${programs[i % 3]}/f${i % 5}.csv#${i + 1}` })),
      );
      const perMaster = await keysPerMaster(state);
      const total = perMaster.reduce((a, b) => a + b, 0);
      console.log(`keys of one period per master: ${perMaster.join(', ')} (of ${total})`);
      expect(perMaster).toHaveLength(3);
      for (const n of perMaster) expect(n / total).toBeGreaterThanOrEqual(0.2);
      expect(await state.purgePeriod(P)).toBe(total);
      expect(await keysPerMaster(state)).toEqual([0, 0, 0]);
    } finally {
      await dispose(state);
    }
  });
});
