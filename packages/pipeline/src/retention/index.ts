export { DEFAULT_RETENTION, loadRetentionConfig, retentionEnv } from './retention-config.js';
export type { RetentionConfig } from './retention-config.js';
export { retainedObject } from './retained-object.js';
export type { RetainedObject } from './retained-object.js';
export { dateRetentionEnd, isPast, periodRetentionEnd } from './retention-deadline.js';
export { planRetention, RETENTION_PREFIXES } from './retention-plan.js';
export type { PrefixTally, RetentionPlan, RetentionPrefix } from './retention-plan.js';
