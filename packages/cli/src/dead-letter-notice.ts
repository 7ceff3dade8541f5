import { snapshotFilePath } from '@padan/pipeline';
import type { PeriodStatus } from '@padan/pipeline';

/**
 * What `padan run` says on stderr when rows were dead-lettered: how many, per file, and where to
 * look. A run that exits 0 must not hide rows it could not read (issue 6). Counts only: the rows
 * themselves hold personal data and stay in the restricted rejected.jsonl.
 */
export function deadLetterNotice(status: PeriodStatus, snapshotDir: string, period: string, outDir: string): string | null {
  const files = status.files.filter((f) => f.rejected > 0);
  if (files.length === 0) return null;
  const total = files.reduce((n, f) => n + f.rejected, 0);
  const lines = [`padan: ${total} row${total === 1 ? '' : 's'} could not be read and ${total === 1 ? 'was' : 'were'} dead-lettered:`];
  for (const f of files) lines.push(`  ${f.program}/${f.file}: ${f.rejected} of ${f.rowsRead ?? 0} rows`);
  lines.push(`  see ${snapshotDir}/${snapshotFilePath('rejected.jsonl')}, or list them with: padan dlq inspect --period ${period} --out ${outDir}`);
  lines.push(`  fix the rows and replay them with: padan dlq redrive --period ${period} --out ${outDir} --fixes FILE`);
  return lines.join('\n');
}
