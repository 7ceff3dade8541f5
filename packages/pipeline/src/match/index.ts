export { MatchStage } from './match-stage.js';
export type { ReleaseClaim } from './match-stage.js';
export { emptyMatchOutput, mergeMatchOutputs } from './match-output.js';
export type { MatchOutput } from './match-output.js';
export { publishMatchOutput } from './publish-match-output.js';
export type { PublishMatchOptions } from './publish-match-output.js';
export { reevaluationMessages, REEVALUATE_CHUNK } from './reevaluation-messages.js';
