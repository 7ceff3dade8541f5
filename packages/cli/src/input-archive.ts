import { constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputChecksum } from '@padan/io';
import { rawArchiveKey } from '@padan/pipeline';
import type { PipelineInput } from '@padan/pipeline';
import type { ArchivedInput } from './run-record.js';

/**
 * Copies an input into `--out` under the distributed archive's key
 * (`raw/period=…/source=…/sha256=…/<file>`), once per content: the period can then be replayed
 * from `--out` alone (`padan reprocess`), after the original is moved or deleted. The archive
 * holds personal data: keep `--out` where the snapshots' restricted files may be.
 */
export async function archiveInput(outDir: string, period: string, input: PipelineInput): Promise<ArchivedInput> {
  const file = basename(input.path);
  const sum = await inputChecksum(input.path);
  const key = rawArchiveKey({ key: '', period, source: input.source, file }, sum.sha256);
  const target = join(outDir, ...key.split('/'));
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    // Through a temporary name: a stopped copy never looks archived.
    const tmp = `${target}.tmp-${process.pid}`;
    try {
      // A reflink where the file system has them (no bytes copied), else a copy.
      copyFileSync(input.path, tmp, constants.COPYFILE_FICLONE);
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new Error(`cannot archive ${file} into ${outDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); free space or give another --out`, { cause: e });
    }
  }
  return { source: input.source, file, sha256: sum.sha256, bytes: sum.bytes, key, path: input.path };
}

/** A config file (rules, mapping) copied under `runs/config/` by content, so a replay reads the same one; null for none. */
export async function archiveConfig(outDir: string, path: string | undefined): Promise<string | null> {
  if (path === undefined) return null;
  const sum = await inputChecksum(path);
  const key = `runs/config/sha256=${sum.sha256}/${basename(path)}`;
  const target = join(outDir, ...key.split('/'));
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(path, `${target}.tmp-${process.pid}`);
    renameSync(`${target}.tmp-${process.pid}`, target);
  }
  return key;
}
