export { generate, RATES } from './generate.js';
export type { GenerateOptions, GeneratedFiles } from './generate.js';
export { scoreFindings, readCsv } from './score.js';
export type { Score, Counts } from './score.js';
export { generateFollowOn, nextPeriod, CHANGE_TRUTH_HEADER, FollowOnError } from './follow-on.js';
export type { FollowOnOptions, FollowOnFiles } from './follow-on.js';
