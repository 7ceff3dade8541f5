import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '@padan/synth';
import type { GeneratedFiles } from '@padan/synth';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A Jambi-scale month (about 1.2 M DTKS rows and 0.8 M program rows) runs embedded within 2 GB
 * of peak RSS. The run is a child process, so the figure is its own; the data is generated once
 * and cached under .cache/bench (shared with `pnpm bench`). Memory, not time, is asserted.
 */
describe('Jambi-scale month, embedded', () => {
  it('runs within 2 GB peak RSS and accounts for every row', { timeout: 900_000 }, async () => {
    const dataDir = join(root, '.cache', 'bench', 'jambi-320000-seed1');
    const marker = join(dataDir, 'files.json');
    let files: GeneratedFiles;
    if (existsSync(marker)) files = JSON.parse(readFileSync(marker, 'utf8')) as GeneratedFiles;
    else {
      mkdirSync(dataDir, { recursive: true });
      files = await generate({ outDir: dataDir, households: 320_000, seed: 1, period: '2021-09', formats: 'mixed' });
      writeFileSync(marker, JSON.stringify(files));
    }
    // Its own output folder: .cache may be shared between checkouts of the repository, and a fixed
    // path there let two concurrent runs delete each other's snapshot mid-write.
    const out = mkdtempSync(join(tmpdir(), 'padan-jambi-scale-'));
    execFileSync('npx', ['tsc', '--build'], { cwd: root, stdio: 'inherit' });
    // The same command line as `pnpm padan run` (package.json caps the embedded heap).
    const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.padan as string;
    const nodeFlags = (/node ((?:--\S+ )*)packages\/cli\/dist\/main\.js/.exec(script)?.[1] ?? '').trim().split(' ').filter(Boolean);
    const stdout = execFileSync(
      process.execPath,
      [...nodeFlags, join(root, 'packages/cli/dist/main.js'), 'run', '--period', files.period, '--dtks', files.dtks, ...files.programs.flatMap((p) => ['--program', `${p.program}=${p.path}`]), '--out', out, '--date', '2021-09-30', '--stats'],
      { encoding: 'utf8', env: { ...process.env, PADAN_HASH_KEY: 'test' }, maxBuffer: 16 * 1024 * 1024 },
    );
    const stats = /stats: (\d+) rows in ([\d.]+) s = (\d+) rows\/s, peak RSS (\d+) MB/.exec(stdout);
    expect(stats, stdout).not.toBeNull();
    const [, rows, , , rss] = stats!.map(Number);
    process.stdout.write(`jambi-scale: ${stats![0]}\n`);
    expect(rows).toBeGreaterThan(1_900_000);
    expect(rss).toBeLessThanOrEqual(2048);
    const summary = JSON.parse(readFileSync(join(out, 'snapshots', 'period=2021-09', 'date=2021-09-30', 'summary.json'), 'utf8'));
    const dtks = summary.files.find((f: { program: string }) => f.program === 'DTKS');
    expect(dtks.rows_read).toBeGreaterThan(1_100_000);
    for (const f of summary.files) expect(f.accounted, f.source_file).toBe(true);
    rmSync(out, { recursive: true, force: true });
  });
});
