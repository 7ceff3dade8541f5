import tseslint from 'typescript-eslint';

/**
 * Lint: the rules that catch what tests and the compiler do not — floating promises (a lost
 * error or an unawaited write), misused promises, I/O imports in the pure domain core, and
 * argument spreads that overflow the stack on large inputs.
 */

// A spread argument puts every element on the call stack: past about 120 k elements V8 throws
// "Maximum call stack size exceeded" (issue 6: a file with 130 k flagged rows crashed the run at the
// very end). Array-literal spreads (`[...xs]`) are fine; spreads into calls and `apply` are not.
const SPREAD_MESSAGE = 'no spread arguments or apply over collections: the stack overflows past ~120 k elements; use a loop (for (const x of xs) out.push(x)) or reduce.';
export const noStackSizedArguments = [
  'error',
  { selector: 'CallExpression[callee.property.name=/^(push|unshift|splice|concat)$/] > SpreadElement', message: SPREAD_MESSAGE },
  { selector: 'CallExpression[callee.object.name="Math"] > SpreadElement', message: SPREAD_MESSAGE },
  { selector: 'CallExpression[callee.object.name="String"][callee.property.name=/^fromC/] > SpreadElement', message: SPREAD_MESSAGE },
  { selector: 'CallExpression[callee.property.name="apply"]', message: SPREAD_MESSAGE },
];
const SERVICE_PACKAGES = ['@padan/ingest', '@padan/normalize', '@padan/match', '@padan/report'];
const SERVICE_IMPORT_MESSAGE = 'a package never imports a service: stages and their wiring are in @padan/pipeline; a service is only its main.ts.';
export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs', 'vitest.config.ts'] },
  {
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts', 'bench/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-syntax': noStackSizedArguments,
    },
  },
  // Tests are code too: the same rules, typed by tsconfig.tests.json (the build projects exclude them).
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: ['./tsconfig.tests.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // Layers: packages never import a service. The stages and their embedded wiring live in
  // packages/pipeline; a service is its main.ts, which wires them to Kafka, Redis and S3.
  {
    files: ['packages/*/src/**/*.ts', 'bench/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: SERVICE_PACKAGES, message: SERVICE_IMPORT_MESSAGE }] }],
    },
  },
  {
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/*/src/main.ts'],
    rules: {
      'no-restricted-syntax': [...noStackSizedArguments, { selector: 'Program', message: 'services/*/src holds only main.ts (configuration and adapters in, a service out): put stage code and its tests in packages/pipeline.' }],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'net', 'crypto', 'child_process'], message: 'packages/core is pure: move I/O to an adapter (packages/io or a service).' },
            { group: ['pino', 'kafkajs', 'ioredis', '@aws-sdk/*', '@padan/io', '@padan/runtime', '@padan/kafka', '@padan/s3', '@padan/service-kit'], message: 'packages/core is pure: no clients, no logger.' },
            { group: SERVICE_PACKAGES, message: SERVICE_IMPORT_MESSAGE },
          ],
        },
      ],
    },
  },
);
