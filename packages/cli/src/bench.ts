#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@padan/synth';
import type { GeneratedFiles } from '@padan/synth';

/**
 * `pnpm bench`: the embedded pipeline on a Jambi-scale month (about 1.2 M DTKS rows and 0.8 M
 * program rows), run as a child process so its peak RSS is its own. Prints the machine with the
 * figures. Usage: pnpm bench [households] (default 320000).
 */
const households = Number(process.argv[2] ?? 320_000);
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dataDir = join(root, '.cache', 'bench', `jambi-${households}-seed1`);
const marker = join(dataDir, 'files.json');

async function data(): Promise<GeneratedFiles> {
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as GeneratedFiles;
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`generating ${households} households into ${dataDir} (cached for later runs)\n`);
  const files = await generate({ outDir: dataDir, households, seed: 1, period: '2021-09', formats: 'mixed' });
  writeFileSync(marker, JSON.stringify(files));
  return files;
}

const files = await data();
const out = join(root, '.cache', 'bench', 'out');
rmSync(out, { recursive: true, force: true });
const args = [
  join(root, 'packages', 'cli', 'dist', 'main.js'),
  'run',
  '--period',
  files.period,
  '--dtks',
  files.dtks,
  ...files.programs.flatMap((p) => ['--program', `${p.program}=${p.path}`]),
  '--out',
  out,
  '--date',
  '2021-09-30',
  '--stats',
];
const output = execFileSync(process.execPath, ['--max-old-space-size=1792', '--max-semi-space-size=64', ...args], { encoding: 'utf8', env: { ...process.env, PADAN_HASH_KEY: 'bench' }, maxBuffer: 64 * 1024 * 1024 });
process.stdout.write(output);
const cpu = cpus()[0]?.model ?? 'unknown cpu';
process.stdout.write(`machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}\n`);
