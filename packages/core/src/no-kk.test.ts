import { describe, expect, it } from 'vitest';
import { cleanNoKk } from './no-kk.js';

describe('cleanNoKk', () => {
  it('keeps 16 digits as they are', () => {
    expect(cleanNoKk('1501010707199119')).toBe('1501010707199119');
  });

  it('cleans what a sheet leaves around and inside the number', () => {
    expect(cleanNoKk(" '1501010707199119 ")).toBe('1501010707199119');
    expect(cleanNoKk('1501.0107.0719.9119')).toBe('1501010707199119');
    expect(cleanNoKk('1501010707199119.0')).toBe('1501010707199119');
  });

  it('is not a key when all zeros, too short or not digits', () => {
    expect(cleanNoKk('0000000000000000')).toBeNull();
    expect(cleanNoKk('150101070719911')).toBeNull();
    expect(cleanNoKk('15010107071991１9')).toBeNull();
    expect(cleanNoKk('')).toBeNull();
  });
});
