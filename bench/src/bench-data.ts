import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { generate } from '@padan/synth';
import type { GeneratedFiles } from '@padan/synth';

export const BENCH_SEED = 1;
export const BENCH_PERIOD = '2021-09';

/**
 * The generated month for a size, made once and cached under .cache/bench/jambi-<households>-seed1
 * (the folder the previous benchmark and the Jambi-scale test used, so existing caches are reused).
 * Written to a temporary folder and renamed, so a stopped generation never passes for a cache.
 */
export async function benchData(root: string, households: number, log: (s: string) => void): Promise<GeneratedFiles> {
  const dir = join(root, '.cache', 'bench', `jambi-${households}-seed${BENCH_SEED}`);
  const marker = join(dir, 'files.json');
  if (existsSync(marker)) {
    const files = JSON.parse(readFileSync(marker, 'utf8')) as GeneratedFiles;
    if (existsSync(files.dtks)) return files;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`generating ${households} households (seed ${BENCH_SEED}) into ${dir}, cached for later runs`);
  const gen = await generate({ outDir: tmp, households, seed: BENCH_SEED, period: BENCH_PERIOD, formats: 'mixed' });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  // generate() returned paths under the temporary folder.
  const moved = (p: string) => join(dir, basename(p));
  const files: GeneratedFiles = { ...gen, dtks: moved(gen.dtks), truth: moved(gen.truth), programs: gen.programs.map((p) => ({ ...p, path: moved(p.path) })) };
  writeFileSync(marker, JSON.stringify(files));
  return files;
}
