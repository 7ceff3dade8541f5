import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './load-config.js';
import { HEAP_GROWING_PERCENT, heapEnv, MALLOC_ARENAS, SEMI_SPACE_MB, SERVICE_HEAP_MB, serviceHeapFlags } from './service-heap.js';
import type { ServiceName } from './service-heap.js';

const SERVICES = Object.keys(SERVICE_HEAP_MB) as ServiceName[];

describe('serviceHeapFlags', () => {
  it("caps each service's old generation at its own size, with the same semi-space and growing factor for all", () => {
    const rest = [`--max-semi-space-size=${SEMI_SPACE_MB}`, `--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
    expect(serviceHeapFlags('report')).toEqual([`--max-old-space-size=${SERVICE_HEAP_MB.report}`, ...rest]);
    expect(serviceHeapFlags('ingest')).toEqual([`--max-old-space-size=${SERVICE_HEAP_MB.ingest}`, ...rest]);
  });

  it('PADAN_HEAP_MB, parsed once, replaces the cap of every service', () => {
    const { PADAN_HEAP_MB } = loadConfig(z.object(heapEnv), { PADAN_HEAP_MB: '512' });
    for (const s of SERVICES) expect(serviceHeapFlags(s, PADAN_HEAP_MB)[0]).toBe('--max-old-space-size=512');
    expect(loadConfig(z.object(heapEnv), {}).PADAN_HEAP_MB).toBeUndefined();
  });

  it('refuses a PADAN_HEAP_MB too small for a service to start, naming the variable and the rule', () => {
    expect(() => loadConfig(z.object(heapEnv), { PADAN_HEAP_MB: '16' })).toThrow(/PADAN_HEAP_MB: must be at least 64/);
    expect(() => loadConfig(z.object(heapEnv), { PADAN_HEAP_MB: 'lots' })).toThrow(/PADAN_HEAP_MB/);
  });

  // docker-compose.yml spells the flags out (V8 reads them only on the command line): a change of
  // SERVICE_HEAP_MB that forgets the compose file would leave containers with other caps than the
  // distributed run that was measured.
  it("docker-compose.yml starts every service with the same flags as padan run --mode distributed", () => {
    const compose = readFileSync(fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url)), 'utf8');
    for (const s of SERVICES) {
      const command = new RegExp(`command: \\[(.*)"services/${s}/dist/main\\.js"\\]`).exec(compose);
      expect(command, `docker-compose.yml has no command for ${s}`).not.toBeNull();
      expect(command?.[1]).toBe(['node', ...serviceHeapFlags(s)].map((a) => `"${a}", `).join(''));
    }
  });

  it('the image sets MALLOC_ARENA_MAX to MALLOC_ARENAS, as padan run --mode distributed does', () => {
    const dockerfile = readFileSync(fileURLToPath(new URL('../../../Dockerfile', import.meta.url)), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^\\s*MALLOC_ARENA_MAX=${MALLOC_ARENAS}$`, 'm'));
  });
});
