// The embedded run is the library form of `padan run`; it lives with the stages it wires.
export { runEmbedded, regionCatalog, regencyName, fixedRawBatch, fixKey } from '@padan/pipeline';
export type { EmbeddedRunOptions, EmbeddedRunResult, PipelineInput, Fix } from '@padan/pipeline';
export { runCommand, checkRunArguments, hashKeyFromEnv, VERSION } from './run-command.js';
export type { RunArgs } from './run-command.js';
export { loadRules, loadMapping, ConfigFileError, DEFAULT_RULES_PATH } from './config-files.js';
export { jakartaDate } from './jakarta-date.js';
export { dlqInspectCommand, dlqRedriveCommand } from './dlq-commands.js';
export type { DlqInspectArgs, DlqRedriveArgs } from './dlq-commands.js';
export { readFixesFile, FIXES_FORMAT_HELP } from './fixes-file.js';
export type { FixesFile } from './fixes-file.js';
export { verifySnapshot, latestSnapshot, snapshotContents, comparableManifest, SnapshotError } from './snapshot-folder.js';
export { snapshotFilePath } from '@padan/pipeline';
export { UsageError } from './usage-error.js';
export { diffCommand, formatChangeTotals } from './diff-command.js';
export type { DiffArgs, DiffResult } from './diff-command.js';
