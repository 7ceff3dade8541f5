import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ColumnMapping } from '@padan/core';
import { checkDtksSize, dtksTooSmallDetail } from '@padan/core';
import type { Source } from '@padan/contracts';
import { InputError, readerLimitsFromEnv, readSourceBatches } from '@padan/io';
import type { PipelineInput } from '@padan/pipeline';

/**
 * The distributed run's DTKS_TOO_SMALL check, before anything is uploaded: the files are read once
 * here with the readers ingest uses (rows only, nothing kept), so a header-only or truncated DTKS
 * stops the run before the services flag a whole province NOT_IN_DTKS. Counts as the embedded run
 * does: DTKS rows that reach the index (dead letters excluded), program rows read.
 */
export async function checkDtksSizeBeforeUpload(
  inputs: readonly PipelineInput[],
  options: { mapping?: Partial<Record<Source, ColumnMapping>>; env?: NodeJS.ProcessEnv; workDir: string },
): Promise<void> {
  const limits = readerLimitsFromEnv(options.env ?? process.env);
  const tempDir = await mkdtemp(join(options.workDir, '.tmp-count-'));
  try {
    let dtksRows = 0;
    let programRows = 0;
    let dtksFile = '';
    for (const input of inputs) {
      const mapping = options.mapping?.[input.source];
      for await (const events of readSourceBatches(input.path, { source: input.source, limits, tempDir, ...(mapping ? { mapping } : {}) })) {
        for (const e of events) {
          if (input.source === 'DTKS') {
            if (e.kind === 'row') dtksRows++;
          } else if (e.kind !== 'header') programRows++;
        }
      }
      if (input.source === 'DTKS') dtksFile = basename(input.path);
    }
    if (checkDtksSize(dtksRows, programRows).tooSmall) throw new InputError(dtksFile, null, 'DTKS_TOO_SMALL', dtksTooSmallDetail(dtksRows, programRows, '--allow-small-dtks'));
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}
