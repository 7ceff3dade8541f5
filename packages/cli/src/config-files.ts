/** The rules and mapping files of the CLI; the loaders live in service-kit, shared with the services. */
export { loadRules, loadMapping, ConfigFileError, DEFAULT_RULES_PATH } from '@padan/service-kit';
