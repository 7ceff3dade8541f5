import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceHeapFlags } from '@padan/service-kit';
import { startServices } from './distributed.js';
import type { RunningServices } from './distributed.js';

// Only the command line is checked: the services are started without Kafka settings, so each
// stops at once on its configuration error, which is all this test needs of them.
describe('startServices', () => {
  let running: RunningServices | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await running?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts every service with its own heap flags, before the script (V8 reads them only there)", async () => {
    dir = await mkdtemp(join(tmpdir(), 'padan-start-services-'));
    running = startServices({ env: { PATH: process.env.PATH }, basePort: 0, logDir: dir });
    const args = running.children.map((c) => c.spawnargs.slice(1));
    for (const [i, name] of (['ingest', 'normalize', 'match', 'report'] as const).entries()) {
      const flags = serviceHeapFlags(name);
      expect(args[i]?.slice(0, flags.length)).toEqual(flags);
      expect(args[i]?.at(-1)).toMatch(new RegExp(`services/${name}/dist/main\\.js$`));
    }
  });

  it('gives every service the cap of PADAN_HEAP_MB when the run passes one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'padan-start-services-'));
    running = startServices({ env: { PATH: process.env.PATH }, instances: { normalize: 0, match: 0 }, basePort: 0, logDir: dir, heapMb: 512 });
    expect(running.children.map((c) => c.spawnargs[1])).toEqual(['--max-old-space-size=512', '--max-old-space-size=512']);
  });
});
