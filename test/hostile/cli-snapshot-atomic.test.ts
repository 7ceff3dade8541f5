import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, runEmbedded } from '@padan/cli';
import { FolderObjectStore } from '@padan/runtime';
import { GOLDEN_INPUTS, tempDir } from '../helpers/golden.js';
import { runCli, snapshotDirOf } from '../helpers/cli-process.js';

/**
 * Issue 6, defect 8: snapshots were not atomic. The folder store copied straight onto the target,
 * and a second run into the same folder that failed while publishing left new findings beside the
 * old manifest, whose checksums no longer matched: a reader trusting the manifest got a mix of two
 * runs. Now each object is written to a temporary name and renamed, the old manifest is removed
 * before any file is replaced, and the manifest is written last. After a failed publish the folder
 * either has no manifest (incomplete, and said so) or one whose checksums hold.
 */
function manifestHolds(dir: string): boolean | 'absent' {
  if (!existsSync(join(dir, 'manifest.json'))) return 'absent';
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { outputs: { name: string; sha256: string }[] };
  return m.outputs.every((o) => createHash('sha256').update(readFileSync(join(dir, o.name))).digest('hex') === o.sha256);
}

const base = { period: '2021-09', date: '2021-09-30', rules: loadRules(), hashKey: 'k', padanVersion: 'test' };

/** A store whose disk fills while the snapshot is published: findings.parquet cannot be written. */
class FailingStore extends FolderObjectStore {
  override async putFile(key: string, localPath: string): Promise<void> {
    if (key.endsWith('findings.parquet')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    await super.putFile(key, localPath);
  }
}

describe('snapshot publishing that fails halfway', () => {
  it('readers refuse a snapshot whose files differ from its manifest', () => {
    const dir = tempDir('cli-atomic-tamper');
    const out = join(dir, 'out');
    const r = runCli(['run', '--period', '2021-09', '--dtks', GOLDEN_INPUTS[0]!.path, '--program', `PKH=${GOLDEN_INPUTS[1]!.path}`, '--out', out, '--date', '2021-09-30']);
    expect(r.code).toBe(0);
    writeFileSync(join(snapshotDirOf(r), 'restricted/rejected.jsonl'), '');
    const inspect = runCli(['dlq', 'inspect', '--period', '2021-09', '--out', out]);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toMatch(/rejected\.jsonl does not match the checksum in manifest\.json/);
  });

  it('snapshot_not_atomic: a failed rewrite leaves no manifest beside new files (store injected through the port)', async () => {
    const out = tempDir('cli-atomic-port');
    const first = await runEmbedded({ ...base, inputs: GOLDEN_INPUTS, outDir: out });
    expect(manifestHolds(first.snapshotDir)).toBe(true);

    // The second run has other findings (one program fewer), so its findings.csv differs.
    await expect(runEmbedded({ ...base, inputs: GOLDEN_INPUTS.slice(0, 3), outDir: out, store: new FailingStore(out) })).rejects.toThrow(
      /cannot write findings\.parquet of snapshot .*ENOSPC.*the snapshot is incomplete \(no manifest\.json\)/,
    );
    expect(manifestHolds(first.snapshotDir)).toBe('absent');

    // A complete run repairs it.
    const third = await runEmbedded({ ...base, inputs: GOLDEN_INPUTS, outDir: out });
    expect(manifestHolds(third.snapshotDir)).toBe(true);
  });

  it('a file in the way of the move to history: the CLI fails with a message and the current snapshot stays whole', () => {
    const dir = tempDir('cli-atomic-cli');
    const out = join(dir, 'out');
    const args = (program: string) => ['run', '--period', '2021-09', '--dtks', GOLDEN_INPUTS[0]!.path, '--program', program, '--out', out, '--date', '2021-09-30'];
    const first = runCli(args(`PKH=${GOLDEN_INPUTS[1]!.path}`));
    expect(first.code).toBe(0);
    const snap = snapshotDirOf(first);
    // Someone left a folder where the current snapshot's findings.parquet is to be kept in history/;
    // copying onto it fails even for root.
    const pointer = JSON.parse(readFileSync(join(out, 'snapshots', 'period=2021-09', 'latest.json'), 'utf8')) as { manifest_sha256: string };
    const kept = join(out, 'history', 'period=2021-09', 'date=2021-09-30', `snapshot=${pointer.manifest_sha256.slice(0, 16)}`, 'restricted', 'findings.parquet');
    mkdirSync(join(kept, 'x'), { recursive: true });
    writeFileSync(join(kept, 'x', 'y'), 'y');

    const second = runCli(args(`BST=${GOLDEN_INPUTS[3]!.path}`));
    expect(second.code).not.toBe(0);
    expect(second.signal).toBeNull();
    expect(second.stderr).toMatch(/padan: cannot move the current snapshot of period 2021-09 .*date=2021-09-30.* to history\/ .*it is left as it was/);
    // Nothing of the current snapshot was deleted: it is whole, and readers still read it.
    expect(manifestHolds(snap)).toBe(true);
    const inspect = runCli(['dlq', 'inspect', '--period', '2021-09', '--out', out]);
    expect(inspect.code).toBe(0);
    // Nothing temporary is left behind in --out.
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });
});
