import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectInfo, ObjectStore } from './object-store.js';

/** A local folder as object store: `key` maps to `root/key`. Writes go through a temp file and a rename, so readers never see half an object. */
export class FolderObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  private path(key: string): string {
    if (key.split('/').includes('..')) throw new Error(`object key ${key} must not contain '..'`);
    return join(this.root, ...key.split('/'));
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    if (localPath !== target) await copyFile(localPath, target);
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    await writeFile(tmp, body);
    await rename(tmp, target);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async getFile(key: string, localPath: string): Promise<void> {
    await mkdir(dirname(localPath), { recursive: true });
    if (this.path(key) !== localPath) await copyFile(this.path(key), localPath);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else {
          const key = relative(this.root, p).split(sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, bytes: (await stat(p)).size });
        }
      }
    };
    await walk(this.root);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  describe(key: string): string {
    return this.path(key);
  }
}
