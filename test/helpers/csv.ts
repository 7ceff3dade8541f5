import { readCsvRows } from '@padan/io';

/** Reads a whole (small) CSV file as objects keyed by its header. */
export async function readCsvObjects(path: string): Promise<Record<string, string>[]> {
  let header: string[] | null = null;
  const out: Record<string, string>[] = [];
  for await (const r of readCsvRows(path, ',')) {
    if (!header) {
      header = r.cells;
      continue;
    }
    out.push(Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])));
  }
  return out;
}
