import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectInfo, ObjectStore } from './object-store.js';

export interface FolderObjectStoreOptions {
  /**
   * Where temporary copies are written before the rename; must be on the same file system as the
   * root (a folder inside it). Default: beside the target, as `<name>.tmp-<pid>-<n>`.
   */
  readonly tmpDir?: string;
}

/** Folders whose names start with this hold temporary files; they are never objects. */
const TEMP_PREFIX = '.tmp-';
const TEMP_SUFFIX = /\.tmp-\d+-\d+$/;

/**
 * A local folder as object store: `key` maps to `root/key`. Every write goes to a temporary name
 * first and is renamed onto the target, so a reader (or a crash) never sees half an object: only
 * the old one or the new one.
 */
export class FolderObjectStore implements ObjectStore {
  private seq = 0;

  constructor(
    readonly root: string,
    private readonly options: FolderObjectStoreOptions = {},
  ) {}

  private path(key: string): string {
    const parts = key.split('/');
    if (parts.includes('..')) throw new Error(`object key ${key} must not contain '..'`);
    return join(this.root, ...parts);
  }

  private tmpPath(target: string): string {
    this.seq++;
    return this.options.tmpDir ? join(this.options.tmpDir, `object-${this.seq}`) : `${target}.tmp-${process.pid}-${this.seq}`;
  }

  /** Writes through a temporary file and a rename; removes the temporary file if anything fails. */
  private async replace(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    const tmp = this.tmpPath(target);
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.path(key);
    if (localPath === target) return;
    await this.replace(target, (tmp) => copyFile(localPath, tmp));
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    await this.replace(this.path(key), (tmp) => writeFile(tmp, body));
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const source = this.path(fromKey);
    await this.replace(this.path(toKey), (tmp) => copyFile(source, tmp));
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async getFile(key: string, localPath: string): Promise<void> {
    const source = this.path(key);
    if (source === localPath) return;
    await mkdir(dirname(localPath), { recursive: true });
    const tmp = `${localPath}.tmp-${process.pid}-${++this.seq}`;
    try {
      await copyFile(source, tmp);
      await rename(tmp, localPath);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    // An explicit stack, not recursion: folder depth is the store's, but nothing here needs the call stack.
    const dirs = [this.root];
    for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.name.startsWith(TEMP_PREFIX) || TEMP_SUFFIX.test(e.name)) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) dirs.push(p);
        else {
          const key = relative(this.root, p).split(sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, bytes: (await stat(p)).size });
        }
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  describe(key: string): string {
    return this.path(key);
  }
}
