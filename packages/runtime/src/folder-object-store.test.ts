import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from './folder-object-store.js';

describe('FolderObjectStore', () => {
  it('writes through a temporary file in tmpDir and renames, leaving nothing temporary behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'padan-store-'));
    const tmp = join(root, '.tmp-test');
    mkdirSync(tmp);
    const store = new FolderObjectStore(root, { tmpDir: tmp });
    const src = join(root, 'src.txt');
    writeFileSync(src, 'new');
    await store.put('a/b.txt', 'old');
    await store.putFile('a/b.txt', src);
    expect(readFileSync(join(root, 'a', 'b.txt'), 'utf8')).toBe('new');
    expect(readdirSync(tmp)).toEqual([]);
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/b.txt']);
  });

  it('keeps the old object when a write fails, and removes its temporary file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'padan-store-'));
    const store = new FolderObjectStore(root);
    await store.put('k.txt', 'old');
    await expect(store.putFile('k.txt', join(root, 'missing'))).rejects.toThrow(/ENOENT/);
    expect(readFileSync(join(root, 'k.txt'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['k.txt']);
  });

  it('lists no temporary files or folders, and deletes keys that may not exist', async () => {
    const root = mkdtempSync(join(tmpdir(), 'padan-store-'));
    const store = new FolderObjectStore(root);
    await store.put('p/x.txt', 'x');
    writeFileSync(join(root, 'p', 'y.txt.tmp-123-4'), 'half');
    mkdirSync(join(root, '.tmp-99-abc'));
    writeFileSync(join(root, '.tmp-99-abc', 'object-1'), 'half');
    expect((await store.list('')).map((o) => o.key)).toEqual(['p/x.txt']);
    await store.delete(['p/x.txt', 'p/none.txt']);
    expect(await store.list('p/')).toEqual([]);
  });
});
