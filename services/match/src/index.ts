export { StateGeneration, GENERATION_KEY, stateKeyPrefix } from './state-generation.js';
export type { Generation, GenerationStatus } from './state-generation.js';
export { gateDtksRelease } from './replay-gate.js';
