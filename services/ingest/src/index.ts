export { ingestFile } from './ingest-file.js';
export type { IngestTarget, IngestSink, IngestOptions } from './ingest-file.js';
export { runIdOf } from './run-id.js';
