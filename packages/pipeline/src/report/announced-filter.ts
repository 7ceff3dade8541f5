/**
 * A check of "is this file announced" for entries streamed in row order: consecutive entries
 * share their file, so the key is built once per file, not once per row.
 */
export function announcedFilter(announced: ReadonlySet<string>): (source: string, file: string) => boolean {
  let lastSource: string | null = null;
  let lastFile: string | null = null;
  let last = false;
  return (source, file) => {
    if (source !== lastSource || file !== lastFile) {
      lastSource = source;
      lastFile = file;
      last = announced.has(`${source}/${file}`);
    }
    return last;
  };
}
