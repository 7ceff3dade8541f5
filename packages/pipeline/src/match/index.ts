export { MatchStage } from './match-stage.js';
export type { ReleaseClaim } from './match-stage.js';
export { reevaluationMessages } from './reevaluation-messages.js';
