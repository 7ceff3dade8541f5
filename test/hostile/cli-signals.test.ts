import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/golden.js';
import { startCli } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 9: a run stopped by SIGTERM left /tmp/padan-snapshot-* behind, full of NIKs and
 * names, in a folder every user of the machine can list. Temporary files now live inside --out and
 * are removed on SIGINT, SIGTERM and SIGHUP. The child gets its own TMPDIR, so a leftover in "the
 * OS temp folder" is seen even if it lands in the old place, and other processes cannot interfere.
 */
function inputs(dir: string): { dtks: string; program: string } {
  const dtks = join(dir, 'dtks.csv');
  let d = 'NIK,NAMA\n';
  for (let i = 1; i <= 500; i++) d += `15710115058${String(i).padStart(5, '0')},BUDI\n`;
  writeFileSync(dtks, d);
  // Enough flagged rows that writing the snapshot takes a while: the signal arrives while it is written.
  const program = join(dir, 'pbi.csv');
  // Distinct valid NIKs absent from DTKS: NOT_IN_DTKS findings, each in its own NIK group.
  let p = 'NIK,NAMA\n';
  for (let i = 1; i <= 40_000; i++) p += `1571011505${String(800000 + i).padStart(6, '0')},A\n`;
  writeFileSync(program, p);
  return { dtks, program };
}

/** Resolves once `found()` is true, checking as the child runs; gives up (returns false) when the child exits first. */
async function whileRunning(child: ReturnType<typeof startCli>, found: () => boolean): Promise<boolean> {
  let exited = false;
  child.once('exit', () => (exited = true));
  while (!exited) {
    if (found()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

function tempLeftovers(tmp: string, out: string): string[] {
  const inTmp = readdirSync(tmp).map((n) => join(tmp, n));
  const inOut = existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('.tmp')).map((n) => join(out, n)) : [];
  return [...inTmp, ...inOut];
}

describe('a run stopped by a signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('personal_data_left_behind: %s while the snapshot is written leaves no temporary files and exits %i with a message', async (signal, code) => {
    const dir = tempDir('cli-signal');
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const out = join(dir, 'out');
    const { dtks, program } = inputs(dir);
    const child = startCli(['run', '--period', '2021-09', '--dtks', dtks, '--program', `PBI=${program}`, '--out', out, '--date', '2021-09-30'], {
      env: { ...process.env, PADAN_HASH_KEY: 'k', TMPDIR: tmp },
    });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // The snapshot's working folder exists only while the snapshot is written (old place or new).
    const writing = (): boolean =>
      readdirSync(tmp).some((n) => n.startsWith('padan-snapshot-')) ||
      (existsSync(out) && readdirSync(out).some((n) => n.startsWith('.tmp') && readdirSync(join(out, n)).some((m) => m.startsWith('padan-snapshot-'))));
    expect(await whileRunning(child, writing), `the run ended before its snapshot was written: ${stderr}`).toBe(true);
    child.kill(signal);
    const [exitCode] = await exit;
    if (exitCode === null) child.kill('SIGKILL');
    expect(exitCode, stderr).toBe(code);
    expect(stderr).toMatch(new RegExp(`padan: stopped by ${signal}; temporary files removed`));
    expect(tempLeftovers(tmp, out)).toEqual([]);
  });
});
