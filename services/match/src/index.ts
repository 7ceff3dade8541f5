export { MatchStage } from './match-stage.js';
export { MemoryMatchState } from './memory-match-state.js';
export { CountingMatchState } from './counting-match-state.js';
export { StateGeneration, GENERATION_KEY, stateKeyPrefix } from './state-generation.js';
export type { Generation, GenerationStatus } from './state-generation.js';
export { gateDtksRelease } from './replay-gate.js';
export { RedisMatchState, type RedisMatchStateOptions } from './redis-match-state.js';
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
} from './match-state.js';
