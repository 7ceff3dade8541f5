import type { Source } from '@padan/contracts';
import { changeIdentity, changeKey, fieldIndex, normalizeRecord } from '@padan/core';
import type { ColumnMapping } from '@padan/core';
import { detectFormat, readSource } from '@padan/io';
import { regionCatalog } from '@padan/pipeline';

/**
 * Which of `wanted` (keys as `changeKey` makes them) the given program files list, flagged or
 * clean. Each file is read with padan's readers and cleaned with the normalization the pipeline
 * applies (rows the pipeline dead-letters list nothing); only wanted keys are kept, so memory grows
 * with the earlier month's findings, not with the files.
 */
export async function listedKeys(
  programs: readonly { readonly source: Source; readonly path: string }[],
  mapping: Partial<Record<Source, ColumnMapping>>,
  period: string,
  wanted: ReadonlySet<string>,
  tempDir?: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  if (wanted.size === 0) return found;
  const regions = regionCatalog();
  for (const input of programs) {
    const ctx = { regions, format: detectFormat(input.path), isDtks: false, periodYear: Number(period.slice(0, 4)) };
    let idx = fieldIndex([]);
    for await (const ev of readSource(input.path, { source: input.source, mapping: mapping[input.source] ?? {}, ...(tempDir ? { tempDir } : {}) })) {
      if (ev.kind === 'header') idx = fieldIndex(ev.fields);
      else if (ev.kind === 'row') {
        const rec = normalizeRecord(ev.row, ev.values, idx, ctx);
        const key = changeKey(input.source, changeIdentity(rec.nikInvalid === null ? rec.nik : '', rec.nikRaw, rec.nama ?? ''));
        if (wanted.has(key)) found.add(key);
      }
    }
  }
  return found;
}
