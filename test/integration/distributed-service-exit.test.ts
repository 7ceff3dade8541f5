import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '@padan/synth';
import { runCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/golden.js';
import { uniquePeriod } from '../helpers/period.js';

/**
 * Regression (issue 7): without PADAN_HASH_KEY the report service exits at start with a clear
 * message, but `padan run --mode distributed` kept waiting for a snapshot for 30 minutes without a
 * word. A service that exits during the run must end it at once, naming the service, its exit code
 * and its log file. The CLI's 30-minute wait is far beyond the guard below, so before the fix this
 * test failed on the guard (the CLI killed, no message); the guard is a hang check, not a timing.
 */
describe('padan run --mode distributed, a service exits', () => {
  it('ends the run naming the service, its exit code and its log file', { timeout: 300_000 }, async () => {
    const period = uniquePeriod();
    const dir = tempDir('service-exit');
    const gen = await generate({ outDir: join(dir, 'input'), households: 50, seed: 3, period, formats: 'csv' });
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env.PADAN_HASH_KEY;
    const out = join(dir, 'out');
    const r = runCli(
      ['run', '--mode', 'distributed', '--period', period, '--dtks', gen.dtks, ...gen.programs.flatMap((p) => ['--program', `${p.program}=${p.path}`]), '--out', out, '--allow-small-dtks'],
      { env, timeoutMs: 240_000 },
    );
    expect(r.signal, `the CLI hung and was killed by the guard\n${r.stdout}\n${r.stderr}`).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    const m = /the report service \(instance 0\) exited with exit code (\d+) during the distributed run; the run is stopped\. Its log says why: (\S+\.log)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).not.toBe(0);
    const logFile = m![2]!;
    expect(logFile).toBe(join(out, 'logs', 'report-0.log'));
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toContain('PADAN_HASH_KEY');
    expect(r.stdout).not.toMatch(/snapshot: /);
  });
});
