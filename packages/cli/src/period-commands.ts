import { z } from 'zod';
import { connectRedis, GENERATION_KEY, RedisMatchState, StateGeneration, stateKeyPrefix } from '@padan/match-state';
import { loadConfig, redisEnv, redisTarget } from '@padan/service-kit';
import { UsageError } from './usage-error.js';

export interface PeriodCloseResult {
  readonly period: string;
  /** The state generation the period was closed in. */
  readonly generation: string;
  /** Evidence keys deleted. */
  readonly keysDeleted: number;
  /** Redis used_memory (summed over a Cluster's masters) before and after, bytes. */
  readonly usedMemoryBefore: number;
  readonly usedMemoryAfter: number;
}

async function usedMemory(state: RedisMatchState): Promise<number> {
  let total = 0;
  for (const node of state.masters()) total += Number(/used_memory:(\d+)/.exec(await node.info('memory'))?.[1] ?? 0);
  return total;
}

/**
 * `padan period close`: once a period's snapshots are final, drops its evidence from match's Redis
 * state (most of what the period costs there) and marks it closed, on the Redis of REDIS_URL or
 * REDIS_CLUSTER_NODES (match's). The DTKS release stays. A record that arrives later for the period
 * makes match reopen it and ask ingest for its files from the raw archive, so nothing is lost.
 * Refused while program batches of the period are held (PeriodNotClosableError).
 */
export async function periodCloseCommand(args: { period: string }, env: NodeJS.ProcessEnv = process.env, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<PeriodCloseResult> {
  const target = redisTarget(loadConfig(z.object({ ...redisEnv }), env));
  const client = connectRedis(target, { maxRetriesPerRequest: 1 });
  // Connection errors are answered below, once, in words (ioredis would print each retry's event).
  client.on('error', () => {});
  try {
    try {
      await client.ping();
    } catch (e) {
      // Not the URL itself: it may hold a password.
      throw new Error(`cannot reach match's Redis (${'url' in target ? 'REDIS_URL' : 'REDIS_CLUSTER_NODES'}): ${(e as Error).message.replace(/\.$/, '')}. Check the variable, or start the local services with pnpm stack:up and source .stack/env`);
    }
    // The marker is one key: a Cluster client reads it like a single Redis.
    const g = await new StateGeneration(client as ConstructorParameters<typeof StateGeneration>[0]).read();
    if (!g) {
      throw new UsageError(`no match state in this Redis (no state generation marker ${GENERATION_KEY} of this version): nothing to close. Is REDIS_URL (or REDIS_CLUSTER_NODES) match's Redis, and has match started on it?`);
    }
    const state = new RedisMatchState(client, { keyPrefix: stateKeyPrefix(g) });
    const usedMemoryBefore = await usedMemory(state);
    const keysDeleted = await state.closePeriod(args.period);
    const usedMemoryAfter = await usedMemory(state);
    const mb = (n: number) => (n / 1e6).toFixed(1);
    log(`closed period ${args.period} (state generation ${g.id}): ${keysDeleted} evidence keys deleted; Redis used_memory ${mb(usedMemoryBefore)} MB → ${mb(usedMemoryAfter)} MB. A later record of the period reopens it (match asks ingest for its files from the raw archive).`);
    return { period: args.period, generation: g.id, keysDeleted, usedMemoryBefore, usedMemoryAfter };
  } finally {
    client.disconnect();
  }
}
