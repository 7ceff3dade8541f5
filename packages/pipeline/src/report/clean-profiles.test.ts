import { describe, expect, it } from 'vitest';
import { CleanProfiles } from './clean-profiles.js';

describe('CleanProfiles', () => {
  it('gives one id per distinct regency, warnings and checks not done, whatever their order', () => {
    const p = new CleanProfiles();
    const a = p.idOf('1571', ['STATUS_UNKNOWN', 'NIK_REGION_UNKNOWN'], ['BIRTHDATE']);
    expect(p.idOf('1571', ['NIK_REGION_UNKNOWN', 'STATUS_UNKNOWN'], ['BIRTHDATE'])).toBe(a);
    expect(p.idOf('1571', ['STATUS_UNKNOWN'], ['BIRTHDATE'])).not.toBe(a);
    expect(p.idOf('1501', ['STATUS_UNKNOWN', 'NIK_REGION_UNKNOWN'], ['BIRTHDATE'])).not.toBe(a);
    expect(p.idOf('1571', ['STATUS_UNKNOWN', 'NIK_REGION_UNKNOWN'], [])).not.toBe(a);
    expect(p.size).toBe(4);
    expect(p.info(a)).toEqual({ regency: '1571', warnings: ['STATUS_UNKNOWN', 'NIK_REGION_UNKNOWN'], notChecked: ['BIRTHDATE'] });
  });

  it('tells a null regency from an empty one, and starts its ids at 1 (0 is "not clean")', () => {
    const p = new CleanProfiles();
    const none = p.idOf(null, [], []);
    const empty = p.idOf('', [], []);
    expect(none).toBe(1);
    expect(empty).not.toBe(none);
    expect(p.info(none).regency).toBeNull();
    expect(() => p.info(0)).toThrow('clean profile 0 does not exist');
  });

  it('tells regencies apart whether they are 4-digit codes or other text', () => {
    const p = new CleanProfiles();
    const ids = ['1571', '0000', '9999', '1501', '157', '15710', '15a1', '１５７１'].map((r) => p.idOf(r, [], []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(['1571', '0000', '9999', '1501', '157', '15710', '15a1', '１５７１'].map((r) => p.idOf(r, [], []))).toEqual(ids);
    expect(ids.map((id) => p.info(id).regency)).toEqual(['1571', '0000', '9999', '1501', '157', '15710', '15a1', '１５７１']);
  });

  it('keeps a repeated warning or check as written, so the summary counts it as often', () => {
    const p = new CleanProfiles();
    const once = p.idOf('1571', ['STATUS_UNKNOWN'], ['NAME']);
    const twice = p.idOf('1571', ['STATUS_UNKNOWN', 'STATUS_UNKNOWN'], ['NAME']);
    expect(twice).not.toBe(once);
    expect(p.idOf('1571', ['STATUS_UNKNOWN', 'STATUS_UNKNOWN'], ['NAME'])).toBe(twice);
    expect(p.info(twice).warnings).toEqual(['STATUS_UNKNOWN', 'STATUS_UNKNOWN']);
    expect(p.idOf('1571', [], ['NAME', 'NAME'])).not.toBe(p.idOf('1571', [], ['NAME']));
  });
});
