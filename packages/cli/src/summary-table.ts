import type { PeriodStatus } from '@padan/pipeline';

/** The table `padan run` prints: one line per input file, then the snapshot location. */
export function formatStatusTable(status: PeriodStatus, outcomes: Map<string, Record<string, number>>): string {
  const header = ['program', 'file', 'rows', 'clean', 'flagged', 'rejected', 'top outcomes'];
  const rows = status.files.map((f) => {
    const top = Object.entries(outcomes.get(f.program) ?? {})
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    return [f.program, f.file, String(f.rowsRead ?? 0), String(f.clean), String(f.flagged), String(f.rejected), top];
  });
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
