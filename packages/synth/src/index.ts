export { generate, RATES } from './generate.js';
export type { GenerateOptions, GeneratedFiles } from './generate.js';
export { scoreFindings, readCsv } from './score.js';
export type { Score, Counts } from './score.js';
