import type { NormalizedBatch, Source } from '@padan/contracts';
import { compareByFileRow } from '@padan/core';
import type { DtksPerson } from '@padan/core';
import type { BaseResult, FamilyMembers, MatchState, Occurrence } from './match-state.js';
import { occurrenceKey } from './match-state.js';

interface PeriodState {
  byNik: Map<string, DtksPerson[]>;
  byBirthDate: Map<string, DtksPerson[]>;
  kkHouseholds: Map<string, Set<string>>;
  seenRows: Map<string, Set<number>>;
  expected: Map<string, number>;
  held: NormalizedBatch[];
  bases: Map<string, BaseResult>;
  occ: Map<string, Occurrence[]>;
  families: Map<string, Map<Source, string[]>>;
}

/** The in-memory state of the embedded run; one process, nothing to rebuild. */
export class MemoryMatchState implements MatchState {
  private readonly periods = new Map<string, PeriodState>();

  private p(period: string): PeriodState {
    let s = this.periods.get(period);
    if (!s) {
      s = {
        byNik: new Map(),
        byBirthDate: new Map(),
        kkHouseholds: new Map(),
        seenRows: new Map(),
        expected: new Map(),
        held: [],
        bases: new Map(),
        occ: new Map(),
        families: new Map(),
      };
      this.periods.set(period, s);
    }
    return s;
  }

  async addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksPerson[]>> {
    const s = this.p(period);
    const touched = new Map<string, DtksPerson[]>();
    for (const person of persons) {
      let group = s.byNik.get(person.nik);
      if (!group) s.byNik.set(person.nik, (group = []));
      if (!group.some((g) => g.file === person.file && g.row === person.row)) {
        group.push(person);
        if (group.length > 1) group.sort(compareByFileRow);
        if (person.birthDate) {
          const b = s.byBirthDate.get(person.birthDate);
          if (b) b.push(person);
          else s.byBirthDate.set(person.birthDate, [person]);
        }
        if (person.noKk && person.householdId) {
          const h = s.kkHouseholds.get(person.noKk);
          if (h) h.add(person.householdId);
          else s.kkHouseholds.set(person.noKk, new Set([person.householdId]));
        }
      }
      touched.set(person.nik, group);
    }
    return touched;
  }

  async markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const s = this.p(period);
    let seen = s.seenRows.get(file);
    if (!seen) s.seenRows.set(file, (seen = new Set()));
    for (const r of rows) seen.add(r);
    return seen.size;
  }

  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksPerson[]>> {
    const s = this.p(period);
    const out = new Map<string, DtksPerson[]>();
    for (const n of niks) {
      const g = s.byNik.get(n);
      if (g) out.set(n, g);
    }
    return out;
  }

  async dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, DtksPerson[]>> {
    const s = this.p(period);
    const out = new Map<string, DtksPerson[]>();
    for (const d of dates) {
      const g = s.byBirthDate.get(d);
      if (g) out.set(d, g);
    }
    return out;
  }

  async householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>> {
    const s = this.p(period);
    const out = new Map<string, string[]>();
    for (const k of kks) {
      const h = s.kkHouseholds.get(k);
      if (h) out.set(k, [...h].sort());
    }
    return out;
  }

  async setDtksExpected(period: string, file: string, rows: number): Promise<void> {
    this.p(period).expected.set(file, rows);
  }

  async dtksExpected(period: string): Promise<Map<string, number>> {
    return new Map(this.p(period).expected);
  }

  async holdBatch(period: string, batch: NormalizedBatch): Promise<void> {
    this.p(period).held.push(batch);
  }

  async takeHeld(period: string): Promise<NormalizedBatch[]> {
    const s = this.p(period);
    const held = s.held;
    s.held = [];
    return held;
  }

  async putBase(period: string, bases: readonly BaseResult[]): Promise<void> {
    const s = this.p(period);
    for (const b of bases) s.bases.set(b.key, b);
  }

  async getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>> {
    const s = this.p(period);
    const out = new Map<string, BaseResult>();
    for (const k of keys) {
      const b = s.bases.get(k);
      if (b) out.set(k, b);
    }
    return out;
  }

  async addOccurrences(
    period: string,
    items: readonly { program: Source; nik: string; occ: Occurrence }[],
  ): Promise<Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>> {
    const s = this.p(period);
    const out = new Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>();
    for (const { program, nik, occ } of items) {
      const k = occurrenceKey(program, nik);
      let list = s.occ.get(k);
      if (!list) s.occ.set(k, (list = []));
      if (!out.has(k)) out.set(k, { firstBefore: list[0] ?? null, all: list });
      if (!list.some((o) => o.key === occ.key)) {
        list.push(occ);
        if (list.length > 1) list.sort(compareByFileRow);
      }
    }
    return out;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, Occurrence[]>> {
    const s = this.p(period);
    const out = new Map<string, Occurrence[]>();
    for (const { program, nik } of pairs) {
      const k = occurrenceKey(program, nik);
      out.set(k, s.occ.get(k) ?? []);
    }
    return out;
  }

  async addFamilyMembers(
    period: string,
    items: readonly { family: string; program: Source; key: string }[],
  ): Promise<Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>> {
    const s = this.p(period);
    const out = new Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>();
    for (const { family, program, key } of items) {
      let fam = s.families.get(family);
      if (!fam) s.families.set(family, (fam = new Map()));
      if (!out.has(family)) out.set(family, { programsBefore: new Set(fam.keys()), members: fam });
      let keys = fam.get(program);
      if (!keys) fam.set(program, (keys = []));
      if (!keys.includes(key)) keys.push(key);
    }
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilyMembers>> {
    const s = this.p(period);
    const out = new Map<string, FamilyMembers>();
    for (const f of families) out.set(f, s.families.get(f) ?? new Map());
    return out;
  }
}
