export { MatchStage } from './match-stage.js';
export type { ReleaseClaim } from './match-stage.js';
export { gateDtksRelease } from './replay-gate.js';
export { mergeMatchOutputs } from './match-output.js';
export type { MatchOutput } from './match-output.js';
export { publishMatchOutput } from './publish-match-output.js';
export type { PublishMatchOptions } from './publish-match-output.js';
export { announcedPeriods, recordsDeleted, requestArchiveReplay } from './archive-replay-requests.js';
export type { ArchiveReplayPorts } from './archive-replay-requests.js';
