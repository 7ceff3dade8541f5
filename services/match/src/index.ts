export { MatchStage } from './match-stage.js';
export { MemoryMatchState } from './memory-match-state.js';
export { RedisMatchState, type RedisMatchStateOptions } from './redis-match-state.js';
export type { MatchState, BaseResult, Occurrence, FamilyMembers } from './match-state.js';
