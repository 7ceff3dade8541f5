export { runEmbedded } from './embedded-pipeline.js';
export type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput } from './embedded-pipeline.js';
export { regionCatalog, regencyName } from './regions.js';
export { fixedRawBatch, fixKey } from './row-fix.js';
export type { Fix } from './row-fix.js';
