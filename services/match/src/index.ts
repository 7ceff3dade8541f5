export { MatchStage } from './match-stage.js';
export { StateGeneration, GENERATION_KEY } from './state-generation.js';
export type { GenerationStatus } from './state-generation.js';
