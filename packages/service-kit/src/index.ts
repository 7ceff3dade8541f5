export { loadConfig, ConfigError, commonEnv, s3Env, redisEnv } from './load-config.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export type { Logger } from './logger.js';
export { StageMetrics } from './metrics.js';
export { startHttpServer } from './http-server.js';
export type { HealthChecks } from './http-server.js';
export { onShutdown } from './shutdown.js';
export { busHooks } from './kafka-stage.js';
export { loadRules, loadMapping, readJsonFile, zodIssues, ConfigFileError, DEFAULT_RULES_PATH } from './rules-file.js';
