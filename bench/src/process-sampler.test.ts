import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labelOf, ProcessSampler } from './process-sampler.js';

describe('ProcessSampler', () => {
  it('names the processes of a run by service or role', () => {
    expect(labelOf(['/usr/bin/node', '/repo/services/match/dist/main.js'])).toBe('match');
    expect(labelOf(['node', '/repo/bench/dist/transport/transport-role.js', 'sink', '2021-09'])).toBe('transport-sink');
    expect(labelOf(['node', '--max-old-space-size=1792', '/repo/packages/cli/dist/main.js', 'run'])).toBe('padan-cli');
    expect(labelOf(['java', '-cp', 'x'])).toBe('java');
  });

  it('labels a process by the command line it ends with, not the one it was first seen with', async () => {
    // Between fork and exec a child shows its parent's command line; here the child renames itself
    // (process.title rewrites /proc/PID/cmdline) after the sampler has seen it.
    // (The new title is assembled at run time: the script's own text must not name a service.)
    const script = `setTimeout(() => { process.title = 'node /repo/' + 'serv' + 'ices/report/dist/main.js'; }, 300); setTimeout(() => {}, 1200); // ${'x'.repeat(80)}`;
    const sampler = new ProcessSampler({}, 50);
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    sampler.addRoot(child.pid as number);
    sampler.start();
    await new Promise((resolve) => child.once('close', resolve));
    expect(sampler.stop().map((p) => p.label)).toEqual(['report']);
  }, 60_000);

  it("sees a child's child, its peak RSS and CPU, after both exit", async () => {
    // The grandchild holds 200 MB of touched memory and spins for a while, then exits: the sampler
    // must find it through its parent and keep what it saw.
    const script = `const c = require('node:child_process').spawn(process.execPath, ['-e', "const b = Buffer.alloc(200 * 2 ** 20, 1); let x = 0; for (let i = 0; i < 5e7; i++) x += i; if (x < 0) console.log(b[0]);"], { stdio: 'inherit' }); c.on('exit', () => process.exit(0));`;
    const sampler = new ProcessSampler({}, 50);
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    sampler.addRoot(child.pid as number);
    sampler.start();
    await new Promise((resolve) => child.once('close', resolve));
    const seen = sampler.stop();
    expect(seen).toHaveLength(2);
    const biggest = seen.reduce((a, p) => (p.peakRssMb > a.peakRssMb ? p : a));
    expect(biggest.peakRssMb).toBeGreaterThanOrEqual(200);
    expect(biggest.cpuSeconds).toBeGreaterThan(0);
  }, 120_000);
});
