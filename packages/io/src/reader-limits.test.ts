import { describe, expect, it } from 'vitest';
import { InputError } from './input-error.js';
import { DEFAULT_READER_LIMITS, readerLimitsFromEnv } from './reader-limits.js';

describe('readerLimitsFromEnv', () => {
  it('unset or empty variables keep the defaults (POI: min inflate ratio 0.01)', () => {
    expect(readerLimitsFromEnv({})).toEqual(DEFAULT_READER_LIMITS);
    expect(readerLimitsFromEnv({ PADAN_MAX_LINE_BYTES: '' })).toEqual(DEFAULT_READER_LIMITS);
    expect(DEFAULT_READER_LIMITS.xlsxMinInflateRatio).toBe(0.01);
    expect(DEFAULT_READER_LIMITS.maxQuotedLines).toBe(20);
  });

  it('reads every variable', () => {
    const l = readerLimitsFromEnv({
      PADAN_MAX_LINE_BYTES: '2048',
      PADAN_MAX_QUOTED_LINES: '5',
      PADAN_MAX_JSON_DEPTH: '8',
      PADAN_XLSX_MAX_PART_BYTES: '1048576',
      PADAN_XLSX_MIN_INFLATE_RATIO: '0.001',
      PADAN_XLSX_SHARED_STRINGS_MEMORY_BYTES: '0',
    });
    expect(l).toEqual({ maxLineBytes: 2048, maxQuotedLines: 5, maxJsonDepth: 8, xlsxMaxPartBytes: 1048576, xlsxMinInflateRatio: 0.001, xlsxSharedStringsMemoryBytes: 0 });
  });

  it('a bad value is an InputError naming the variable and the rule, never the value', () => {
    for (const [name, value, rule] of [
      ['PADAN_MAX_LINE_BYTES', 'secret-123', /whole number of at least 1024/],
      ['PADAN_MAX_LINE_BYTES', '77', /at least 1024/],
      ['PADAN_MAX_JSON_DEPTH', '2.5', /whole number/],
      ['PADAN_XLSX_MIN_INFLATE_RATIO', '2', /a number from 0 to 1/],
    ] as const) {
      let error: unknown;
      try {
        readerLimitsFromEnv({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).rule).toBe('CONFIG');
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toMatch(rule);
      expect((error as Error).message).not.toContain(value);
    }
  });
});
