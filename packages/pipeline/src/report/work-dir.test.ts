import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkDir } from './work-dir.js';

describe('createWorkDir', () => {
  it('removes the spill folders of processes no longer running, keeps those of live ones and other files', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'report-work-'));
    // A pid that surely ran and ended: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    mkdirSync(join(parent, `padan-report-${dead}-abc`));
    writeFileSync(join(parent, `padan-report-${dead}-abc`, 'results-0.run'), 'personal data');
    mkdirSync(join(parent, `padan-report-${process.ppid}-def`));
    writeFileSync(join(parent, 'unrelated.txt'), 'x');
    const mine = await createWorkDir(parent);
    expect(existsSync(join(parent, `padan-report-${dead}-abc`))).toBe(false);
    expect(readdirSync(parent).sort()).toEqual([`padan-report-${process.ppid}-def`, mine.split('/').pop(), 'unrelated.txt'].sort());
    expect(mine.startsWith(join(parent, `padan-report-${process.pid}-`))).toBe(true);
  });
});
