import { describe, expect, it } from 'vitest';
import type { NormalizedBatch, Source } from '@padan/contracts';
import type { DtksPerson, SuggestionCandidate } from '@padan/core';
import { MemoryMatchState } from '../src/memory/memory-match-state.js';
import type { BaseResult, MatchState } from '../src/port/match-state.js';
import type { PeriodClosing } from '../src/port/period-closing.js';
import type { ProgramRows } from '../src/port/program-rows.js';
import { PeriodNotClosableError } from '../src/port/period-closing.js';

/**
 * One conformance suite for every MatchState adapter. Each scenario is a script of calls; it runs
 * once on a fresh MemoryMatchState (the reference) and once on the adapter under test, and the two
 * transcripts of outputs must be equal. The scenarios also assert the semantics they rely on, so the
 * reference itself is checked. Outputs are compared in the order the port gives them; the only
 * normalisation is for orders the port leaves open (persons born on a date; Set contents).
 */
export interface StateUnderTest {
  readonly state: MatchState & PeriodClosing & ProgramRows;
  /** Closes connections and deletes what the state wrote. */
  dispose(): Promise<void>;
}

export type StateFactory = () => Promise<StateUnderTest> | StateUnderTest;

type Scenario = (s: MatchState & PeriodClosing & ProgramRows) => Promise<unknown[]>;

/** Maps and Sets as plain arrays, so toEqual compares entries in order. */
function plain(v: unknown): unknown {
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [k, plain(x)]);
  if (v instanceof Set) return [...v].sort();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function person(nik: string, file: string, row: number, o: Partial<DtksPerson> = {}): DtksPerson {
  return {
    nik,
    nikRaw: nik,
    file,
    row,
    householdId: null,
    noKk: null,
    nama: 'SITI AMINAH',
    nameKey: 'SITI AMINAH',
    birthDate: '1980-01-02',
    regency: '1571',
    deceased: false,
    warnings: [],
    ...o,
  };
}

export function normalizedBatch(period: string, source: Source, file: string, rows: readonly number[]): NormalizedBatch {
  return {
    v: 1,
    period,
    source,
    file,
    runId: 'run-conformance',
    format: 'csv',
    fields: ['nik', 'nama'],
    records: rows.map((row) => ({
      row,
      nikRaw: `'157101010180${String(row).padStart(4, '0')}`,
      nik: `157101010180${String(row).padStart(4, '0')}`,
      nikInvalid: null,
      nikSex: 'L',
      nikBirthDate: '1980-01-01',
      noKk: null,
      nama: `NAMA ${row}`,
      nameKey: `NAMA ${row}`,
      birthDate: null,
      kodeWilayah: null,
      regency: null,
      householdId: null,
      deceased: null,
      warnings: [],
    })),
  };
}

function base(period: string, source: Source, file: string, row: number, o: Partial<BaseResult> = {}): BaseResult {
  return {
    key: `${period}/${source}/${file}#${row}`,
    period,
    source,
    file,
    row,
    runId: 'run-conformance',
    format: 'csv',
    nikRaw: ' 1571010101800001',
    nik: '1571010101800001',
    nikValid: true,
    nama: 'BUDI',
    reasons: [],
    details: [],
    warnings: [],
    suggestedNik: null,
    householdId: 'HH-1',
    regency: '1571',
    notChecked: [],
    family: 'H:HH-1',
    ...o,
  };
}

/** Candidates born on a date: the port leaves their order open. */
const byNikName = (a: SuggestionCandidate, b: SuggestionCandidate): number =>
  a.nik < b.nik ? -1 : a.nik > b.nik ? 1 : a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0;

const NIK_A = '1571010101800001';
const NIK_B = '1571010101800002';
const NIK_C = '1571010101800003';
const NIK_D = '1571010101800004';

const SCENARIOS: Record<string, Scenario> = {
  async 'DTKS index: groups of a NIK in (file, row) order, birth dates, KK households, redelivery'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const first = [
      person(NIK_A, 'dtks-b.csv', 2, { noKk: 'KK1', householdId: 'HH1' }),
      person(NIK_B, 'dtks-b.csv', 3, { noKk: 'KK1', householdId: 'HH1', nama: 'BUDI', nameKey: 'BUDI', birthDate: '1975-03-04' }),
      person(NIK_A, 'dtks-b.csv', 2, { noKk: 'KK1', householdId: 'HH1' }),
    ];
    const r1 = await s.addDtksPersons(P, first);
    // A row given twice in one call is indexed once; the second copy counts as a redelivery.
    expect(r1.get(NIK_A)).toMatchObject({ rows: 1, rowsBefore: 0, detail: null, redelivered: true, all: null });
    expect(r1.get(NIK_B)).toMatchObject({ rows: 1, rowsBefore: 0, detail: null, redelivered: false, all: null });
    t.push(r1);
    const second = [
      person(NIK_A, 'dtks-a.csv', 10, { nama: 'SITI AMINA', nameKey: 'SITI AMINA', noKk: 'KK1', householdId: 'HH2' }),
      person(NIK_C, 'dtks-a.csv', 11, { birthDate: null, noKk: null, householdId: null, deceased: true, warnings: ['STATUS_UNKNOWN'] }),
      person(NIK_D, 'dtks-a.csv', 10_000, { nikRaw: '1571.0101.0180.0004', noKk: 'KK2', householdId: null }),
    ];
    const r2 = await s.addDtksPersons(P, second);
    expect(r2.get(NIK_A)).toMatchObject({ rows: 2, rowsBefore: 1, detail: 'SAME_PERSON', detailBefore: null, redelivered: false, all: null });
    // The index keeps no No. KK (reconciliation never reads a DTKS row's): it gives persons back without one.
    expect(r2.get(NIK_A)?.first).toEqual({ ...first[0], noKk: null });
    t.push(r2);
    // Redelivery: same answer, nothing added.
    const again = await s.addDtksPersons(P, second);
    expect(again.get(NIK_A)).toMatchObject({ rows: 2, rowsBefore: 2, redelivered: true });
    t.push(again);
    t.push(await s.addDtksPersons(P, first));
    t.push(await s.addDtksPersons(P, []));
    // Numeric rows, not text: 9 before 10 and 10000; and non-ASCII file names in JS string order.
    // A.csv#5 is another person (birth date): the group turns DIFFERENT_PERSON and every row comes back.
    const r3 = await s.addDtksPersons(P, [person(NIK_D, 'dtks-a.csv', 9), person(NIK_D, 'é.csv', 1), person(NIK_D, 'z.csv', 1), person(NIK_D, 'A.csv', 5, { birthDate: '1999-09-09' })]);
    expect(r3.get(NIK_D)).toMatchObject({ rows: 5, rowsBefore: 1, detail: 'DIFFERENT_PERSON', detailBefore: null });
    expect(r3.get(NIK_D)?.all?.map((p) => `${p.file}#${p.row}`)).toEqual(['dtks-a.csv#10000', 'dtks-a.csv#9', 'é.csv#1', 'z.csv#1', 'A.csv#5']);
    t.push(r3);
    // Redelivered while DIFFERENT_PERSON: every row again (the first delivery may have died before publishing them).
    t.push(await s.addDtksPersons(P, [person(NIK_D, 'z.csv', 1)]));
    expect((await s.addDtksPersons(P, [person(NIK_D, 'z.csv', 1)])).get(NIK_D)?.all).toHaveLength(5);
    const byNik = await s.dtksByNik(P, [NIK_A, NIK_B, '9999999999999999', NIK_D, NIK_C, NIK_A]);
    // One representative per distinct person, the first by (file, row): rows 9, 10000, z and é of
    // NIK_D are one person; A.csv#5 another.
    expect(byNik.get(NIK_D)?.persons.map((p) => `${p.file}#${p.row}`)).toEqual(['A.csv#5', 'dtks-a.csv#9']);
    expect(byNik.get(NIK_D)?.rows).toBe(5);
    expect(byNik.get(NIK_A)?.persons.map((p) => `${p.file}#${p.row}`)).toEqual(['dtks-a.csv#10', 'dtks-b.csv#2']);
    expect(byNik.has('9999999999999999')).toBe(false);
    expect(byNik.get(NIK_C)).toEqual({ persons: [second[1]], rows: 1 });
    t.push(byNik);
    const byBirth = await s.dtksByBirthDate(P, ['1980-01-02', '1975-03-04', '2001-01-01', '1980-01-02']);
    expect([...byBirth.keys()]).toEqual(['1980-01-02', '1975-03-04']);
    // One candidate per distinct (NIK, name key): NIK_A under both spellings, NIK_D once for its four rows born that day.
    expect([...(byBirth.get('1980-01-02') ?? [])].sort(byNikName)).toEqual([
      { nik: NIK_A, nameKey: 'SITI AMINA' },
      { nik: NIK_A, nameKey: 'SITI AMINAH' },
      { nik: NIK_D, nameKey: 'SITI AMINAH' },
    ]);
    expect(byBirth.get('1975-03-04')).toEqual([{ nik: NIK_B, nameKey: 'BUDI' }]);
    t.push([...byBirth.entries()].map(([d, ps]) => [d, [...ps].sort(byNikName)]));
    t.push(await s.householdsByKk(P, ['KK1', 'KK2', 'KK-NONE']));
    expect((await s.householdsByKk(P, ['KK1'])).get('KK1')).toEqual(['HH1', 'HH2']);
    // Periods are separate releases.
    expect((await s.dtksByNik('2021-10', [NIK_A])).size).toBe(0);
    t.push(await s.dtksByNik('2021-10', [NIK_A]));
    t.push(await s.dtksByNik(P, []));
    t.push(await s.dtksByBirthDate(P, []));
    t.push(await s.householdsByKk(P, []));
    return t;
  },

  async 'seen DTKS rows are counted once however often they are marked'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    t.push(await s.markDtksRowsSeen(P, 'a.csv', [1, 2, 3, 3]));
    t.push(await s.markDtksRowsSeen(P, 'a.csv', [3, 4]));
    t.push(await s.markDtksRowsSeen(P, 'a.csv', []));
    t.push(await s.markDtksRowsSeen(P, 'a.csv', [1, 2, 3]));
    t.push(await s.markDtksRowsSeen(P, 'b.csv', []));
    t.push(await s.markDtksRowsSeen(P, 'b.csv', [1_200_000]));
    const many = Array.from({ length: 12_345 }, (_, i) => i + 1);
    t.push(await s.markDtksRowsSeen(P, 'c.csv', many));
    t.push(await s.markDtksRowsSeen(P, 'c.csv', many.slice(100, 9000)));
    t.push(await s.markDtksRowsSeen('2021-10', 'a.csv', []));
    expect(t).toEqual([3, 4, 4, 4, 0, 1, 12_345, 12_345, 0]);
    return t;
  },

  async 'program rows in the evidence and the rows announced, per program file'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    t.push(await s.programExpected(P));
    await s.setProgramExpected(P, 'PKH/a.csv', 3);
    await s.setProgramExpected(P, 'BST/a.csv', 0);
    await s.setProgramExpected(P, 'PKH/a.csv', 4);
    t.push(await s.programExpected(P));
    t.push(await s.programExpected('2021-10'));
    t.push(await s.markProgramRowsSeen(P, 'PKH/a.csv', [0, 3, 3, 70_000]));
    t.push(await s.markProgramRowsSeen(P, 'PKH/a.csv', [3]));
    t.push(await s.markProgramRowsSeen(P, 'BST/a.csv', []));
    t.push(await s.markProgramRowsSeen('2021-10', 'PKH/a.csv', []));
    return t;
  },

  async 'expected DTKS rows per file'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    t.push(await s.dtksExpected(P));
    await s.setDtksExpected(P, 'dtks-1.csv', 10);
    await s.setDtksExpected(P, 'dtks-2.csv', 0);
    await s.setDtksExpected(P, 'dtks-1.csv', 12);
    t.push(await s.dtksExpected(P));
    t.push(await s.dtksExpected('2021-10'));
    expect(plain(t[1])).toEqual([
      ['dtks-1.csv', 12],
      ['dtks-2.csv', 0],
    ]);
    return t;
  },

  async 'held batches stay until acknowledged, in arrival order, per period'(s) {
    const t: unknown[] = [];
    const batchesOf = async (period: string) => (await s.peekHeld(period)).map((h) => h.batch);
    t.push(await batchesOf('2021-09'));
    const batches = Array.from({ length: 11 }, (_, i) => normalizedBatch('2021-09', 'PKH', `pkh-${i}.csv`, [1, 2, i + 3]));
    for (const b of batches) await s.holdBatch('2021-09', b);
    await s.holdBatch('2021-10', normalizedBatch('2021-10', 'BST', 'bst.csv', [7]));
    const peeked = await s.peekHeld('2021-09');
    expect(peeked.map((h) => h.batch)).toEqual(batches);
    t.push(peeked.map((h) => h.batch));
    // Not acknowledged yet (a crash here): still held.
    t.push(await batchesOf('2021-09'));
    await s.ackHeld('2021-09', peeked.slice(0, 4).map((h) => h.id));
    t.push(await batchesOf('2021-09'));
    await s.ackHeld('2021-09', peeked.map((h) => h.id));
    t.push(await batchesOf('2021-09'));
    t.push(await batchesOf('2021-10'));
    return t;
  },

  async 'base results: upsert by key'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const a = base(P, 'PKH', 'pkh.csv', 1);
    const b = base(P, 'BST', 'bst;2.csv', 2, {
      nikValid: false,
      nik: '15710',
      nikRaw: '15710',
      reasons: ['INVALID_NIK'],
      details: ['INVALID_NIK:LENGTH'],
      family: null,
      householdId: null,
      notChecked: ['FAMILY'],
      nama: null,
      format: 'xlsx',
    });
    const c = base(P, 'SEMBAKO', 'sembako.jsonl', 3, { suggestedNik: NIK_B, warnings: ['NIK_MULTIPLE_IN_DTKS'], reasons: ['NOT_IN_DTKS'], format: 'jsonl' });
    await s.putBase(P, [a, b, c]);
    await s.putBase(P, [{ ...a, reasons: ['NAME_MISMATCH'] }]);
    await s.putBase(P, []);
    const got = await s.getBase(P, [c.key, a.key, 'missing', b.key]);
    expect(got.get(b.key)).toEqual(b);
    expect(got.get(a.key)?.reasons).toEqual(['NAME_MISMATCH']);
    t.push(got);
    t.push(await s.getBase('2021-10', [a.key]));
    t.push(await s.getBase(P, []));
    return t;
  },

  async 'occurrences: first by (file, numeric row), every occurrence only when the first is this call\'s, redelivery'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const occ = (program: Source, file: string, row: number, nik = NIK_A) => ({ program, nik, occ: { file, row, key: `${P}/${program}/${file}#${row}` } });
    const r1 = await s.addOccurrences(P, [occ('PKH', 'pkh-b.csv', 5)]);
    expect(r1.get(`PKH|${NIK_A}`)).toEqual({ first: occ('PKH', 'pkh-b.csv', 5).occ, count: 1, all: null });
    t.push(r1);
    const r2 = await s.addOccurrences(P, [occ('PKH', 'pkh-a.csv', 10), occ('PKH', 'pkh-a.csv', 9), occ('SEMBAKO', 'pkh-a.csv', 9), occ('PKH', 'pkh a.csv', 11, NIK_B)]);
    expect(r2.get(`PKH|${NIK_A}`)?.first.key).toBe(`${P}/PKH/pkh-a.csv#9`);
    expect(r2.get(`PKH|${NIK_A}`)?.count).toBe(3);
    expect(r2.get(`PKH|${NIK_A}`)?.all?.map((o) => o.row)).toEqual([9, 10, 5]);
    t.push(r2);
    // A later occurrence: not the first, nothing else to re-emit.
    const later = await s.addOccurrences(P, [occ('PKH', 'pkh-c.csv', 1)]);
    expect(later.get(`PKH|${NIK_A}`)).toMatchObject({ count: 4, all: null });
    t.push(later);
    // Redelivery of the first: every occurrence again, nothing added.
    const r3 = await s.addOccurrences(P, [occ('PKH', 'pkh-b.csv', 5), occ('PKH', 'pkh-a.csv', 9)]);
    expect(r3.get(`PKH|${NIK_A}`)?.count).toBe(4);
    expect(r3.get(`PKH|${NIK_A}`)?.all).toHaveLength(4);
    t.push(r3);
    // Case and punctuation in file names: JS string order ('A' < 'a', ' ' < '-'), and a prefix first.
    t.push(await s.addOccurrences(P, [occ('PKH', 'PKH-Z.csv', 100), occ('PKH', 'pkh a.csv', 1)]));
    t.push(await s.addOccurrences(P, [occ('BST', 'b.csv', 2), occ('BST', 'b.csv2', 1), occ('BST', 'b.cs', 3)]));
    t.push(await s.addOccurrences(P, []));
    const all = await s.occurrences(P, [
      { program: 'PKH', nik: NIK_A },
      { program: 'BST', nik: NIK_A },
      { program: 'SEMBAKO', nik: NIK_A },
      { program: 'PKH', nik: NIK_B },
    ]);
    expect(all.get(`PKH|${NIK_A}`)).toEqual({ first: occ('PKH', 'PKH-Z.csv', 100).occ, count: 6 });
    expect(all.get(`BST|${NIK_A}`)).toEqual({ first: occ('BST', 'b.cs', 3).occ, count: 3 });
    expect(all.get(`SEMBAKO|${NIK_A}`)?.count).toBe(1);
    t.push(all);
    t.push(await s.occurrences('2021-10', [{ program: 'PKH', nik: NIK_A }]));
    return t;
  },

  async 'families: members and programs, every member only when the first of a program is this call\'s, redelivery'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const m = (family: string, program: Source, file: string, row: number) => ({ family, program, file, row, key: `${P}/${program}/${file}#${row}` });
    const r1 = await s.addFamilyMembers(P, [m('H:HH1', 'BST', 'bst.csv', 1), m('K:1571010101000002', 'PKH', 'pkh.csv', 2)]);
    expect(r1.get('H:HH1')).toMatchObject({ members: 1 });
    expect([...(r1.get('H:HH1')?.firstOf ?? [])]).toEqual(['BST']);
    t.push(r1);
    const r2 = await s.addFamilyMembers(P, [m('H:HH1', 'PKH', 'pkh.csv', 3), m('H:HH1', 'PKH', 'pkh.csv', 3), m('H:HH1', 'SEMBAKO', 's.csv', 4), m('H:HH1', 'PKH', 'pkh.csv', 5)]);
    expect(r2.get('H:HH1')?.members).toBe(4);
    expect([...(r2.get('H:HH1')?.firstOf ?? [])].sort()).toEqual(['PKH', 'SEMBAKO']);
    expect(r2.get('H:HH1')?.all?.get('PKH')).toEqual([`${P}/PKH/pkh.csv#3`, `${P}/PKH/pkh.csv#5`]);
    expect(r2.get('H:HH1')?.all?.get('BST')).toEqual([`${P}/BST/bst.csv#1`]);
    t.push(r2);
    // A later member of a program already there: no member list.
    const r3 = await s.addFamilyMembers(P, [m('H:HH1', 'PKH', 'pkh.csv', 7)]);
    expect(r3.get('H:HH1')).toMatchObject({ members: 5, all: null });
    t.push(r3);
    // An earlier member of PKH (another file) becomes its first: every member.
    const r4 = await s.addFamilyMembers(P, [m('H:HH1', 'PKH', 'pkh-0.csv', 9)]);
    expect(r4.get('H:HH1')?.all?.get('PKH')).toHaveLength(4);
    t.push(r4);
    // Redelivery of the first BST member: nothing added, every member again.
    const r5 = await s.addFamilyMembers(P, [m('H:HH1', 'BST', 'bst.csv', 1)]);
    expect(r5.get('H:HH1')?.members).toBe(6);
    expect([...(r5.get('H:HH1')?.programs ?? [])].sort()).toEqual(['BST', 'PKH', 'SEMBAKO']);
    t.push(r5);
    t.push(await s.addFamilyMembers(P, []));
    t.push(await s.familyMembers(P, ['H:HH1', 'H:NONE', 'K:1571010101000002']));
    t.push(await s.familyMembers('2021-10', ['H:HH1']));
    return t;
  },

  // Issue 7: an adapter may keep a few members with the summary and move them to a list past some
  // size (Redis: 8 occurrences, 16 family members); every answer must cross that size unchanged.
  async 'closing a period drops its evidence, keeps its release, and reopens once'(s) {
    const P = '2021-09';
    const Q = '2021-10';
    const t: unknown[] = [];
    const occ = (file: string, row: number) => ({ program: 'PKH' as Source, nik: NIK_A, occ: { file, row, key: `${P}/PKH/${file}#${row}` } });
    const member = (row: number) => ({ family: 'H:HH1', program: 'PKH' as Source, file: 'pkh.csv', row, key: `${P}/PKH/pkh.csv#${row}` });
    const a = base(P, 'PKH', 'pkh.csv', 1);
    for (const period of [P, Q]) {
      await s.addDtksPersons(period, [person(NIK_A, 'dtks.csv', 1, { noKk: 'KK1', householdId: 'HH1' })]);
      await s.markDtksRowsSeen(period, 'dtks.csv', [1]);
      await s.setDtksExpected(period, 'dtks.csv', 1);
      await s.putBase(period, [{ ...a, period, key: a.key.replace(P, period) }]);
    }
    await s.addOccurrences(P, [occ('pkh.csv', 1), occ('pkh.csv', 2)]);
    await s.addFamilyMembers(P, [member(1), member(2)]);
    await s.setProgramExpected(P, 'PKH/pkh.csv', 2);
    t.push(await s.markProgramRowsSeen(P, 'PKH/pkh.csv', [1, 2, 2]));
    // Held batches are the only copy of their records: no close while any is held.
    await s.holdBatch(P, normalizedBatch(P, 'PKH', 'pkh.csv', [7]));
    await expect(s.closePeriod(P)).rejects.toBeInstanceOf(PeriodNotClosableError);
    t.push(await s.closedPeriods([P]));
    await s.ackHeld(P, (await s.peekHeld(P)).map((h) => h.id));
    expect(await s.closePeriod(P)).toBeGreaterThan(0);
    t.push(await s.closedPeriods([Q, P, P, '2021-11']));
    // The evidence is gone, rows counted before count again (their seen bits went with it); the release stays.
    t.push(await s.getBase(P, [a.key]));
    t.push(await s.occurrences(P, [{ program: 'PKH', nik: NIK_A }]));
    t.push(await s.familyMembers(P, ['H:HH1']));
    t.push(await s.dtksByNik(P, [NIK_A]));
    t.push(await s.householdsByKk(P, ['KK1']));
    t.push(await s.dtksExpected(P));
    t.push(await s.markDtksRowsSeen(P, 'dtks.csv', []));
    // The program rows in the evidence went with it; the rows ingest announced did not.
    t.push(await s.markProgramRowsSeen(P, 'PKH/pkh.csv', []));
    t.push(await s.programExpected(P));
    // Another period is untouched.
    t.push(await s.getBase(Q, [a.key.replace(P, Q)]));
    // Closing again is allowed (what it counts is the adapter's: keys, entries); reopening answers the period to one caller only.
    await s.closePeriod(P);
    t.push(await s.reopenPeriods([Q, P]));
    t.push(await s.reopenPeriods([P]));
    t.push(await s.closedPeriods([P]));
    t.push(await s.reopenPeriods([]));
    t.push(await s.closedPeriods([]));
    // Reopened, it fills again from nothing: the first occurrence counts once.
    t.push(await s.addOccurrences(P, [occ('pkh.csv', 2)]));
    t.push(await s.addFamilyMembers(P, [member(2)]));
    return t;
  },

  async 'occurrences and families growing one at a time past any inline size, firsts arriving late'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const key = (program: Source, file: string, row: number) => `${P}/${program}/${file}#${row}`;
    for (let i = 0; i < 40; i++) {
      // Rows descending: every third call brings a new first (of its program, of the NIK).
      const row = i % 3 === 0 ? 1000 - i : 2000 + i;
      t.push(await s.addOccurrences(P, [{ program: 'PKH', nik: NIK_A, occ: { file: 'pkh.csv', row, key: key('PKH', 'pkh.csv', row) } }]));
      t.push(await s.occurrences(P, [{ program: 'PKH', nik: NIK_A }]));
      t.push(await s.addFamilyMembers(P, [{ family: 'H:BIG', program: 'PKH', file: 'pkh.csv', row, key: key('PKH', 'pkh.csv', row) }]));
      if (i === 10 || i === 30) t.push(await s.addFamilyMembers(P, [{ family: 'H:BIG', program: 'BST', file: 'bst.csv', row: i, key: key('BST', 'bst.csv', i) }]));
      t.push(await s.familyMembers(P, ['H:BIG']));
    }
    // Redelivery of an early member and occurrence, then an earlier first from another file.
    t.push(await s.addOccurrences(P, [{ program: 'PKH', nik: NIK_A, occ: { file: 'pkh.csv', row: 1000, key: key('PKH', 'pkh.csv', 1000) } }]));
    t.push(await s.addFamilyMembers(P, [{ family: 'H:BIG', program: 'PKH', file: 'pkh.csv', row: 1000, key: key('PKH', 'pkh.csv', 1000) }]));
    t.push(await s.addOccurrences(P, [{ program: 'PKH', nik: NIK_A, occ: { file: 'pkh-0.csv', row: 5, key: key('PKH', 'pkh-0.csv', 5) } }]));
    const last = await s.addFamilyMembers(P, [{ family: 'H:BIG', program: 'PKH', file: 'pkh-0.csv', row: 5, key: key('PKH', 'pkh-0.csv', 5) }]);
    expect(last.get('H:BIG')?.members).toBe(43);
    expect(last.get('H:BIG')?.all?.get('PKH')).toHaveLength(41);
    t.push(last);
    return t;
  },

  // Issue 7: the Redis birth-date index keeps up to 64 NIKs with the date and a set past that.
  async 'a birth date shared by more persons than any inline size, and dates outside 1900–2079'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const nik = (i: number) => `1571${String(1000 + i).padStart(12, '0')}`;
    const dates = ['1970-01-01', '1899-12-31', '2080-01-01'];
    for (let call = 0; call < 5; call++) {
      const persons = Array.from({ length: 20 }, (_, i) => person(nik(call * 20 + i), 'dtks.csv', call * 20 + i + 1, { birthDate: dates[i < 18 ? 0 : i - 17] ?? null, nameKey: `N${i}`, nama: `N${i}` }));
      t.push(await s.addDtksPersons(P, persons));
      if (call === 3) t.push(await s.addDtksPersons(P, persons));
      t.push([...(await s.dtksByBirthDate(P, [...dates, '1970-01-02'])).entries()].map(([d, ps]) => [d, [...ps].sort(byNikName)]));
    }
    const all = await s.dtksByBirthDate(P, ['1970-01-01']);
    expect(all.get('1970-01-01')).toHaveLength(90);
    return t;
  },

  async 'batches larger than a chunk, with keys repeated across the batch'(s) {
    const P = '2021-09';
    const t: unknown[] = [];
    const nik = (i: number) => `1571${String(i % 700).padStart(12, '0')}`;
    const persons = Array.from({ length: 2000 }, (_, i) =>
      person(nik(i), `dtks-${i % 3}.csv`, i + 1, {
        birthDate: i % 5 === 0 ? null : `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
        noKk: `KK${i % 400}`,
        householdId: `HH${i % 450}`,
      }),
    );
    const groups = await s.addDtksPersons(P, persons);
    expect(groups.size).toBe(700);
    expect([...groups.values()].every((g) => g.rows >= 2)).toBe(true);
    t.push(groups);
    t.push(await s.addDtksPersons(P, persons.slice(500, 1500)));
    const niks = Array.from({ length: 800 }, (_, i) => nik(i));
    t.push(await s.dtksByNik(P, niks));
    const dates = [...new Set(persons.map((p) => p.birthDate).filter((d): d is string => d !== null))];
    t.push([...(await s.dtksByBirthDate(P, dates)).entries()].map(([d, ps]) => [d, [...ps].sort(byNikName)]));
    t.push(await s.householdsByKk(P, Array.from({ length: 410 }, (_, i) => `KK${i}`)));
    const items = Array.from({ length: 1500 }, (_, i) => ({
      program: (['PKH', 'BST', 'SEMBAKO'] as const)[i % 3] as Source,
      nik: nik(i % 200),
      // A row holds one record: (program, file, row) determines the NIK.
      occ: { file: `f${i % 7}.csv`, row: 1 + i, key: '' },
    })).map((x) => ({ ...x, occ: { ...x.occ, key: `${P}/${x.program}/${x.occ.file}#${x.occ.row}` } }));
    t.push(await s.addOccurrences(P, items));
    t.push(await s.addOccurrences(P, items.slice(0, 900).reverse()));
    const fam = Array.from({ length: 1500 }, (_, i) => {
      const program = (['PKH', 'BST', 'SEMBAKO', 'PBI'] as const)[i % 4] as Source;
      return { family: `H:${i % 250}`, program, file: `f${i % 3}.csv`, row: i, key: `${P}/${program}/f${i % 3}.csv#${i}` };
    });
    t.push(await s.addFamilyMembers(P, fam));
    t.push(await s.addFamilyMembers(P, fam.slice(300, 1200)));
    t.push(await s.familyMembers(P, Array.from({ length: 260 }, (_, i) => `H:${i}`)));
    return t;
  },
};

export function matchStateConformance(name: string, factory: StateFactory): void {
  describe(`MatchState conformance: ${name}`, () => {
    for (const [title, scenario] of Object.entries(SCENARIOS)) {
      it(title, async () => {
        const reference = plain(await scenario(new MemoryMatchState()));
        const sut = await factory();
        try {
          const got = plain(await scenario(sut.state));
          expect(got).toEqual(reference);
        } finally {
          await sut.dispose();
        }
      });
    }
  });
}
