import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENERATION_KEY, RedisMatchState, REDIS_STATE_FORMAT, StateGeneration, stateKeyPrefix } from '@padan/match-state';
import { OwnRedis } from '../helpers/own-redis.js';

/**
 * The generation of match's Redis state (issue 7, durable state), against a redis-server of this
 * file's own: the marker key is one per deployment and these tests flush it.
 */
let redis: OwnRedis;
const states: RedisMatchState[] = [];

/** An ioredis client on the own Redis (the client RedisMatchState opens for a URL). */
function client(): Redis {
  const s = new RedisMatchState(redis.url);
  states.push(s);
  return s.redis as Redis;
}

beforeAll(async () => {
  redis = await OwnRedis.start();
});

beforeEach(async () => {
  await redis.flushAll();
});

afterAll(async () => {
  for (const s of states) await s.close().catch(() => {});
  await redis?.stop();
});

describe('state generation', () => {
  it('two instances adopt one fresh generation at first start, and one rebuild generation after FLUSHALL, whichever notices first', async () => {
    const a = new StateGeneration(client());
    const b = new StateGeneration(client());
    const [ga, gb] = await Promise.all([a.start(async () => false), b.start(async () => false)]);
    expect(ga).toEqual(gb);
    expect(ga.kind).toBe('fresh');
    expect(ga.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(await a.check()).toBe('intact');
    await redis.flushAll();
    expect(await a.check()).toBe('lost');
    expect(await b.check()).toBe('lost');
    const [na, nb] = await Promise.all([a.renew(), b.renew()]);
    expect(na).toEqual(nb);
    expect(na.kind).toBe('rebuild');
    expect(na.id).not.toBe(ga.id);
    expect(await a.check()).toBe('intact');
    expect(await b.check()).toBe('intact');
    // Renewing without a loss keeps the generation.
    expect(await a.renew()).toEqual(na);
  });

  it('a match that consumed before starts a rebuild generation on an emptied Redis; a marker of an older version is replaced', async () => {
    const c = client();
    const g = new StateGeneration(c);
    const first = await g.start(async () => true);
    expect(first.kind).toBe('rebuild');
    await c.set(GENERATION_KEY, '0b6c9c8e-6f0e-4c55-9d1e-7f3e2b1a0c9d');
    expect(await g.check()).toBe('lost');
    const next = await g.renew();
    expect(next.kind).toBe('rebuild');
    // Epochs come from the Redis clock: a later generation's results replace an earlier one's.
    expect(next.epoch).toBeGreaterThan(first.epoch);
    expect(next.marker).toBe(`${next.id}:rebuild:${next.epoch}:s${REDIS_STATE_FORMAT}`);
    expect(await c.get(GENERATION_KEY)).toBe(next.marker);
    const restarted = new StateGeneration(client());
    expect(await restarted.start(async () => true)).toEqual(next);
    // A marker written before epochs (an earlier state layout) is not ours: replaced by a rebuild.
    await c.set(GENERATION_KEY, 'AbCdEfGh:fresh');
    const upgraded = await new StateGeneration(client()).start(async () => true);
    expect(upgraded.kind).toBe('rebuild');
    expect(upgraded.id).not.toBe('AbCdEfGh');
    // Nor is a marker of an earlier state format (the packed values changed with it): replaced by a rebuild.
    for (const old of ['AbCdEfGh:fresh:1796077312863000', `AbCdEfGh:fresh:1796077312863000:s${REDIS_STATE_FORMAT - 1}`]) {
      await c.set(GENERATION_KEY, old);
      const again = await new StateGeneration(client()).start(async () => true);
      expect(again.kind).toBe('rebuild');
      expect(again.id).not.toBe('AbCdEfGh');
    }
  });

  it('each partition is rewound once per generation, and the generation is whole once every partition caught up', async () => {
    const g = new StateGeneration(client());
    const fresh = await g.start(async () => false);
    expect(await g.needsRewind(fresh, 't', [0, 1, 2])).toEqual([]);
    expect(await g.replayDone(fresh, { t: 3 })).toBe(true);
    await redis.flushAll();
    const r = await g.renew();
    expect(await g.needsRewind(r, 't', [0, 1, 2])).toEqual([0, 1, 2]);
    await g.markRewound(r, 't', [0, 2]);
    // Another member, after a rebalance, sees what is left to rewind and what is still replaying.
    const other = new StateGeneration(client());
    await other.start(async () => true);
    expect(await other.needsRewind(r, 't', [0, 1, 2])).toEqual([1]);
    expect(await other.replaying(r, 't', [0, 1, 2])).toEqual([0, 2]);
    await g.markCaughtUp(r, 't', [0]);
    expect(await other.replaying(r, 't', [0, 1, 2])).toEqual([2]);
    expect(await g.replayDone(r, { t: 3 })).toBe(false);
    await other.markRewound(r, 't', [1]);
    await other.markCaughtUp(r, 't', [1, 2]);
    expect(await g.replayDone(r, { t: 3 })).toBe(true);
    expect(await g.replayDone(r, { t: 3, u: 1 })).toBe(false);
    // The marks live in the generation's keys: a flush takes them too.
    await redis.flushAll();
    const again = await g.renew();
    expect(await g.needsRewind(again, 't', [0, 1, 2])).toEqual([0, 1, 2]);
  });

  it('a generation is a key prefix: a state of the lost generation is invisible to the new one, and purge deletes only its keys', async () => {
    const c = client();
    const g = new StateGeneration(c);
    const lost = await g.start(async () => false);
    const old = new RedisMatchState(c, { keyPrefix: stateKeyPrefix(lost) });
    await old.setDtksExpected('2021-09', 'dtks.csv', 10);
    await c.del(GENERATION_KEY);
    const next = await g.renew();
    const current = new RedisMatchState(c, { keyPrefix: stateKeyPrefix(next) });
    expect((await current.dtksExpected('2021-09')).size).toBe(0);
    await current.setDtksExpected('2021-09', 'dtks.csv', 20);
    // Written by a chunk still running on the lost generation: never read by the new one.
    await old.setDtksExpected('2021-09', 'late.csv', 5);
    expect(await current.dtksExpected('2021-09')).toEqual(new Map([['dtks.csv', 20]]));
    expect(await g.purge(lost)).toBeGreaterThan(0);
    expect((await old.dtksExpected('2021-09')).size).toBe(0);
    expect(await current.dtksExpected('2021-09')).toEqual(new Map([['dtks.csv', 20]]));
    await expect(g.purge(next)).rejects.toThrow(/adopted/);
  });
});
