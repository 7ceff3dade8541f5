import tseslint from 'typescript-eslint';

/**
 * Lint: the rules that catch what tests and the compiler do not — floating promises (a lost
 * error or an unawaited write), misused promises, and I/O imports in the pure domain core.
 */
export default tseslint.config(
  // Tests are checked by vitest (they are not part of the packages' tsconfig projects).
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.test.ts', 'test/**', 'vitest.config.ts'] },
  {
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
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
          ],
        },
      ],
    },
  },
);
