import { InputError } from './input-error.js';

/**
 * The bounds every reader enforces on hostile or damaged input, so that no file can make a run
 * take more than linear time or more than bounded memory. One typed record, passed through the
 * reader options; the services and the embedded CLI read it once from the environment.
 */
export interface ReaderLimits {
  /** A CSV or JSON Lines line, or the text of an XLSX row, longer than this is a LINE_TOO_LONG dead letter. */
  readonly maxLineBytes: number;
  /** A quoted CSV field still open after this many lines is a broken quote: its first line is a RAGGED_ROW. */
  readonly maxQuotedLines: number;
  /** A JSON Lines object nested deeper than this is a NESTING_TOO_DEEP dead letter. */
  readonly maxJsonDepth: number;
  /** Inflated bytes one XLSX zip part may reach (Apache POI ZipSecureFile's max entry size). */
  readonly xlsxMaxPartBytes: number;
  /** Compressed ÷ inflated bytes below this, past the grace size, is a zip bomb (POI's min inflate ratio). */
  readonly xlsxMinInflateRatio: number;
  /** Shared strings beyond this many bytes are spilled to a temporary file instead of held in memory. */
  readonly xlsxSharedStringsMemoryBytes: number;
}

/**
 * Defaults. The XLSX ones follow Apache POI's ZipSecureFile, the reference reader for OOXML
 * (https://poi.apache.org/apidocs/org/apache/poi/openxml4j/util/ZipSecureFile.html): minimum
 * inflate ratio 0.01 past a 100 KiB grace size; its max entry size is 4 GiB, ours 2 GiB, which
 * still holds a full 1 048 576-row sheet of this project's columns. Text and markup compress 3–20
 * times; nothing a real workbook holds compresses a hundredfold.
 */
export const DEFAULT_READER_LIMITS: ReaderLimits = Object.freeze({
  maxLineBytes: 1024 * 1024,
  maxQuotedLines: 20,
  maxJsonDepth: 64,
  xlsxMaxPartBytes: 2 * 1024 * 1024 * 1024,
  xlsxMinInflateRatio: 0.01,
  xlsxSharedStringsMemoryBytes: 64 * 1024 * 1024,
});

/** POI's GRACE_ENTRY_SIZE: parts smaller than this are never judged by their ratio. */
export const INFLATE_GRACE_BYTES = 100 * 1024;

/** The environment variable of each limit (README "Configuration"). */
export const READER_LIMITS_ENV: Readonly<Record<keyof ReaderLimits, string>> = Object.freeze({
  maxLineBytes: 'PADAN_MAX_LINE_BYTES',
  maxQuotedLines: 'PADAN_MAX_QUOTED_LINES',
  maxJsonDepth: 'PADAN_MAX_JSON_DEPTH',
  xlsxMaxPartBytes: 'PADAN_XLSX_MAX_PART_BYTES',
  xlsxMinInflateRatio: 'PADAN_XLSX_MIN_INFLATE_RATIO',
  xlsxSharedStringsMemoryBytes: 'PADAN_XLSX_SHARED_STRINGS_MEMORY_BYTES',
});

/** The smallest value each limit accepts; below it the readers cannot work (or the limit means nothing). */
const MINIMUM: Readonly<Record<keyof ReaderLimits, number>> = {
  maxLineBytes: 1024,
  maxQuotedLines: 1,
  maxJsonDepth: 1,
  xlsxMaxPartBytes: 1024,
  xlsxMinInflateRatio: 0,
  xlsxSharedStringsMemoryBytes: 0,
};

/**
 * Reads the limits once from `env` (default process.env); unset or empty variables keep their
 * default. Thrown when a variable is not a number at or above its minimum: an InputError naming
 * the variable and the rule, never its value, so the CLI exits 2 and a service stops at start-up.
 */
export function readerLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ReaderLimits {
  const out: Record<string, number> = { ...DEFAULT_READER_LIMITS };
  for (const key of Object.keys(READER_LIMITS_ENV) as (keyof ReaderLimits)[]) {
    const name = READER_LIMITS_ENV[key];
    const text = env[name];
    if (text === undefined || text.trim() === '') continue;
    const value = Number(text);
    const ratio = key === 'xlsxMinInflateRatio';
    const ok = Number.isFinite(value) && value >= MINIMUM[key] && (ratio ? value <= 1 : Number.isSafeInteger(value));
    if (!ok) {
      const rule = ratio ? 'a number from 0 to 1' : `a whole number of at least ${MINIMUM[key]}`;
      throw new InputError('environment', null, 'CONFIG', `${name} must be ${rule}; fix or unset it (see README "Configuration")`);
    }
    out[key] = value;
  }
  return Object.freeze(out as unknown as ReaderLimits);
}
