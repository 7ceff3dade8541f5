import { describe, expect, it } from 'vitest';
import { parseDtksStatus } from './dtks-status.js';

describe('parseDtksStatus', () => {
  it('HIDUP is alive', () => {
    expect(parseDtksStatus('HIDUP')).toBe('ALIVE');
  });

  it('AKTIF is alive', () => {
    expect(parseDtksStatus('AKTIF')).toBe('ALIVE');
  });

  it('alive in any case', () => {
    expect(parseDtksStatus('hidup')).toBe('ALIVE');
    expect(parseDtksStatus('Hidup')).toBe('ALIVE');
    expect(parseDtksStatus('aktif')).toBe('ALIVE');
  });

  it('alive with extra spaces', () => {
    expect(parseDtksStatus('  HIDUP  ')).toBe('ALIVE');
    expect(parseDtksStatus('\tAktif ')).toBe('ALIVE');
  });

  it('MENINGGAL is deceased', () => {
    expect(parseDtksStatus('MENINGGAL')).toBe('DECEASED');
  });

  it('MENINGGAL DUNIA is deceased', () => {
    expect(parseDtksStatus('MENINGGAL DUNIA')).toBe('DECEASED');
  });

  it('WAFAT is deceased', () => {
    expect(parseDtksStatus('WAFAT')).toBe('DECEASED');
  });

  it('MD is deceased', () => {
    expect(parseDtksStatus('MD')).toBe('DECEASED');
    expect(parseDtksStatus('md')).toBe('DECEASED');
  });

  it('Meninggal-Dunia (dash, mixed case) is deceased', () => {
    expect(parseDtksStatus('Meninggal-Dunia')).toBe('DECEASED');
  });

  it('deceased in any case and with extra spaces', () => {
    expect(parseDtksStatus(' meninggal ')).toBe('DECEASED');
    expect(parseDtksStatus('Meninggal   Dunia')).toBe('DECEASED');
    expect(parseDtksStatus('meninggal_dunia')).toBe('DECEASED');
    expect(parseDtksStatus('Wafat')).toBe('DECEASED');
  });

  it('PINDAH (moved) is UNKNOWN', () => {
    expect(parseDtksStatus('PINDAH')).toBe('UNKNOWN');
  });

  it('empty is UNKNOWN', () => {
    expect(parseDtksStatus('')).toBe('UNKNOWN');
    expect(parseDtksStatus('   ')).toBe('UNKNOWN');
  });

  it('other statuses are UNKNOWN, not deceased', () => {
    expect(parseDtksStatus('TIDAK DITEMUKAN')).toBe('UNKNOWN');
    expect(parseDtksStatus('MENINGGALKAN RUMAH')).toBe('UNKNOWN');
    expect(parseDtksStatus('MDX')).toBe('UNKNOWN');
    expect(parseDtksStatus('1')).toBe('UNKNOWN');
  });
});
