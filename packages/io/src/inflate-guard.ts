import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { INFLATE_GRACE_BYTES } from './reader-limits.js';
import type { ReaderLimits } from './reader-limits.js';
import { XlsxFormatError } from './xlsx-format-error.js';

const MiB = 1024 * 1024;

function mib(bytes: number): string {
  if (bytes < MiB) return `${Math.ceil(bytes / 1024)} KiB`;
  return `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
}

/**
 * The inflated bytes of one zip part, checked while they stream out, after Apache POI's
 * ZipSecureFile (https://poi.apache.org/apidocs/org/apache/poi/openxml4j/util/ZipSecureFile.html):
 * past a grace size, compressed ÷ inflated bytes may not fall below `xlsxMinInflateRatio`, and no
 * part may inflate past `xlsxMaxPartBytes`. The sizes in the zip directory are the writer's claim,
 * so both counts are of the bytes actually read and produced; the part is abandoned at the first
 * chunk over a limit, so a bomb costs at most the limit in time and one chunk in memory.
 */
export async function* guardedPartBytes(zip: ZipFile, entry: Entry, file: string, limits: ReaderLimits): AsyncGenerator<Buffer> {
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) {
    throw new XlsxFormatError(file, `${file} is not a readable .xlsx workbook (part ${entry.fileName} uses zip compression method ${method}, which Excel never writes); re-save it from Excel as .xlsx, or export CSV`, { rule: 'READABLE' });
  }
  let raw: Readable;
  try {
    raw = await zip.openReadStreamPromise(entry, { decompress: false });
  } catch (err) {
    throw new XlsxFormatError(file, `${file} is not a readable .xlsx workbook (cannot read ${entry.fileName}: ${(err as Error).message}); re-save it from Excel as .xlsx, or export CSV`, { cause: err, rule: 'READABLE' });
  }
  let compressed = 0;
  raw.on('data', (chunk: Buffer) => {
    compressed += chunk.length;
  });
  const inflater = method === 8 ? createInflateRaw() : null;
  const out: Readable = inflater ? raw.pipe(inflater) : raw;
  // pipe() does not forward errors: a failing source must fail the consumer.
  if (inflater) raw.once('error', (err) => inflater.destroy(err));
  let inflated = 0;
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > limits.xlsxMaxPartBytes) {
        throw new XlsxFormatError(
          file,
          `part ${entry.fileName} inflates past ${mib(limits.xlsxMaxPartBytes)}, the limit per part (PADAN_XLSX_MAX_PART_BYTES); split the workbook or export it as CSV, or raise the limit if the file is genuine`,
          { rule: 'XLSX_PART_SIZE' },
        );
      }
      if (inflated > INFLATE_GRACE_BYTES && compressed / inflated < limits.xlsxMinInflateRatio) {
        throw new XlsxFormatError(
          file,
          `part ${entry.fileName} inflates more than ${Math.round(1 / limits.xlsxMinInflateRatio)} times (${mib(compressed)} to over ${mib(inflated)}; minimum ratio ${limits.xlsxMinInflateRatio}, PADAN_XLSX_MIN_INFLATE_RATIO): a zip bomb, not a workbook Excel writes; re-save it from Excel or export CSV, or lower the ratio if the file is genuine`,
          { rule: 'XLSX_INFLATE_RATIO' },
        );
      }
      yield chunk;
    }
  } catch (err) {
    if (err instanceof XlsxFormatError) throw err;
    throw new XlsxFormatError(file, `${file} is not a readable .xlsx workbook (corrupt zip entry ${entry.fileName}: ${(err as Error).message}); re-save it from Excel as .xlsx, or export CSV`, { cause: err, rule: 'READABLE' });
  } finally {
    raw.destroy();
    inflater?.destroy();
  }
}
