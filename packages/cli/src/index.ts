export { runEmbedded } from './embedded-pipeline.js';
export type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput } from './embedded-pipeline.js';
export { runCommand, hashKeyFromEnv, VERSION } from './run-command.js';
export type { RunArgs } from './run-command.js';
export { loadRules, loadMapping, ConfigFileError, DEFAULT_RULES_PATH } from './config-files.js';
export { regionCatalog, regencyName } from './regions.js';
export { jakartaDate } from './jakarta-date.js';
