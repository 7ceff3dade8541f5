import { describe, expect, it } from 'vitest';
import type { BaseResult } from '../port/match-state.js';
import { packBase, unpackBase } from './state-codec.js';
import { baseHouseholdHead, baseRunId, packBaseBytes, unpackBaseBytes } from './base-bytes.js';
import type { NameIds } from './name-ids.js';

const KEY = '2021-09/PBI/pbi-2021-09.csv#40244';
const base: BaseResult = {
  key: KEY, period: '2021-09', source: 'PBI', file: 'pbi-2021-09.csv', row: 40244, runId: '0123456789abcdef', format: 'csv',
  nikRaw: '1504070211860185', nik: '1504070211860185', nikValid: true, nama: 'Irwan Firmansyah', reasons: [], details: [], warnings: [],
  suggestedNik: null, householdId: 'DTKS152618625249', regency: '1504', notChecked: [], family: 'H:DTKS152618625249',
};
const RUN = 3;
const runIdOf = (id: number) => (id === RUN ? base.runId : 'other');

// Redis (binary) and memory (text) must answer alike: embedded and distributed snapshots are
// byte-identical only if both decode a base result the same way.
const cases: [string, BaseResult][] = [
  ['a typical result, its family its household', base],
  ['no optional field', { ...base, nama: null, householdId: null, regency: null, family: null, nikValid: false, nik: '', nikRaw: '15O4-07' }],
  ['a family by No. KK, lists, a suggestion, xlsx', {
    ...base, format: 'xlsx', family: 'K:1504070211860001', reasons: ['NOT_IN_DTKS', 'PROGRAM_CONFLICT'], details: ['PROGRAM_CONFLICT:PKH', 'X\u001fY'],
    warnings: ['STATUS_UNKNOWN'], notChecked: ['FAMILY'], suggestedNik: '1504070211860186',
  }],
  ['a family that only looks like its household', { ...base, family: 'H:DTKS152618625249 ' }],
  ['a list holding one empty string, as the text codec reads it', { ...base, details: [''] }],
  ['a raw NIK other than the NIK', { ...base, nikRaw: "'1504070211860185" }],
  ['a name holding separators', { ...base, nama: 'A\u001cB\u001dC\u001eD\u001fE' }],
];

describe('binary packed base result', () => {
  it.each(cases)('%s decodes as the text codec does', (_, b) => {
    const packed = packBaseBytes(b, RUN);
    expect(baseRunId(packed)).toBe(RUN);
    expect(unpackBaseBytes(KEY, packed, runIdOf)).toEqual(unpackBase(KEY, packBase(b)));
  });

  it('is well under half the text and its record key', () => {
    expect(packBaseBytes(base, RUN).length).toBeLessThanOrEqual(45);
    expect(Buffer.byteLength(packBase(base)) + KEY.length).toBeGreaterThan(120);
  });

  // The household id's head (`DTKS`) as an id of the period's name table.
  const heads: NameIds = { idOf: (n) => (n === 'DTKS' ? 9 : undefined), nameOf: (id) => (id === 9 ? 'DTKS' : undefined) };
  it.each([
    ...cases,
    ['a household without the DTKS head', { ...base, householdId: '0000123', family: 'H:0000123' }],
    ['a household head not in the table, non-ASCII', { ...base, householdId: 'RUMAH-É12', family: 'H:RUMAH-É12' }],
    ['a household id that is the head only', { ...base, householdId: 'DTKS', family: 'H:DTKS' }],
  ] as [string, BaseResult][])('%s decodes as the text codec does with a table of household heads', (_, b) => {
    expect(unpackBaseBytes(KEY, packBaseBytes(b, RUN, heads), runIdOf, heads)).toEqual(unpackBase(KEY, packBase(b)));
  });

  it('the DTKS head as a table id saves 4 bytes', () => {
    expect(baseHouseholdHead(base)).toBe('DTKS');
    expect(packBaseBytes(base, RUN, heads).length).toBe(packBaseBytes(base, RUN).length - 4);
  });
});
