export { ingestFile } from './ingest-file.js';
export type { IngestTarget, IngestSink, IngestOptions } from './ingest-file.js';
export { runIdOf } from './run-id.js';
export { doneKey, landingKey, parseLandingKey, rawArchiveKey, LANDING_PREFIX } from './landing-key.js';
export type { LandingObject } from './landing-key.js';
export { FinishedObjects } from './finished-objects.js';
export type { FinishedStore } from './finished-objects.js';
export { filesToReplay, missingFromArchive, parseRawArchiveKey, rawArchivePrefix } from './archive-replay.js';
export type { ArchivedFile } from './archive-replay.js';
