import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run against the TypeScript sources of the workspace packages, not their build output,
// so a test never sees a stale dist/.
const alias: Record<string, string> = {};
for (const group of ['packages', 'services']) {
  for (const dir of readdirSync(join(root, group))) {
    const entry = join(root, group, dir, 'src', 'index.ts');
    if (existsSync(entry)) alias[`@padan/${dir}`] = entry;
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    testTimeout: 60_000,
    hookTimeout: 600_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          // Embedded runs in tests pass every message through its contract, as Kafka would.
          env: { PADAN_VALIDATE: '1' },
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'test/embedded/**/*.test.ts', 'test/hostile/**/*.test.ts', 'examples/*/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          env: { PADAN_VALIDATE: '1' },
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/services.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // One file at a time: the suites share one broker, one bucket and one Redis.
          fileParallelism: false,
        },
      },
    ],
  },
});
