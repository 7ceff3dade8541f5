export type {
  MatchState,
  BaseResult,
  Occurrence,
  FamilyMembers,
  FamilyItem,
  FamilyChange,
  FamilySummary,
  DtksGroup,
  DtksNikChange,
  OccurrenceChange,
  OccurrenceSummary,
} from './port/match-state.js';
export { occurrenceKey } from './port/match-state.js';
export type { PeriodClosing } from './port/period-closing.js';
export { PeriodNotClosableError } from './port/period-closing.js';
export type { ProgramRows } from './port/program-rows.js';
export { programFileName } from './port/program-rows.js';
export { CountingMatchState } from './port/counting-match-state.js';
export { MemoryMatchState } from './memory/memory-match-state.js';
export { RedisMatchState, REDIS_STATE_FORMAT, type RedisMatchStateOptions } from './redis/redis-match-state.js';
export { connectRedis, type RedisClientTarget } from './redis/redis-client.js';
export { StateGeneration, GENERATION_KEY, stateKeyPrefix } from './redis/state-generation.js';
export type { Generation, GenerationStatus } from './redis/state-generation.js';
export { RedisReleaseClaim } from './redis/release-claim.js';
export { RedisArchiveAwaited } from './redis/archive-awaited.js';
