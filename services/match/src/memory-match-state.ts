import type { NormalizedBatch, Source } from '@padan/contracts';
import { compareByFileRow } from '@padan/core';
import type { DtksPerson, SuggestionCandidate } from '@padan/core';
import type { BaseResult, FamilyMembers, MatchState, Occurrence } from './match-state.js';
import { occurrenceKey } from './match-state.js';
import { RowBitmap } from './row-bitmap.js';
import { detach } from './detach.js';
import { F, G as GROUP, L, membersByProgram, packBase, packPerson, unpackBase, unpackGroup, unpackOccurrences, unpackPerson } from './state-codec.js';


interface PeriodState {
  /** NIK → packed persons holding it, joined by U+001D. */
  byNik: Map<string, string>;
  /** Birth date → `nik U+001F nameKey` of persons born that day (the candidates of a NIK suggestion). */
  byBirthDate: Map<string, string[]>;
  /** No. KK → household id, or ids when the KK is spread over several households. */
  kkHouseholds: Map<string, string | string[]>;
  seenRows: Map<string, RowBitmap>;
  expected: Map<string, number>;
  held: Map<string, NormalizedBatch>;
  bases: Map<string, string>;
  /** `program|nik` → occurrences `file U+001F row`, sorted, joined by U+001E. */
  occ: Map<string, string>;
  /** family → members `program U+001F key`. */
  families: Map<string, string[]>;
}


/**
 * The in-memory state of the embedded run. Values are packed strings (see state-codec.ts): a
 * Jambi month holds 1.2 M DTKS persons and 0.8 M program records, and one string per entry keeps
 * that within the memory budget where object graphs did not.
 */
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
        held: new Map(),
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
    const touched = new Set<string>();
    for (const person of persons) {
      const group = s.byNik.get(person.nik);
      const nik = group === undefined ? detach(person.nik) : person.nik;
      touched.add(nik);
      if (group !== undefined && group.includes(`${F}${person.file}${F}${person.row}${F}`)) continue;
      if (group === undefined) s.byNik.set(nik, packPerson(person));
      else {
        const members = [...group.split(GROUP), packPerson(person)];
        members.sort((a, b) => compareByFileRow(unpackPerson(a), unpackPerson(b)));
        s.byNik.set(person.nik, members.join(GROUP));
      }
      if (person.birthDate) {
        const entry = `${nik}${F}${person.nameKey}`;
        const b = s.byBirthDate.get(person.birthDate);
        if (!b) s.byBirthDate.set(detach(person.birthDate), [detach(entry)]);
        // A NIK new to the release cannot be in the list yet: skip the scan for the common case.
        else if (group === undefined || !b.includes(entry)) b.push(detach(entry));
      }
      if (person.noKk && person.householdId) {
        const h = s.kkHouseholds.get(person.noKk);
        if (h === undefined) s.kkHouseholds.set(detach(person.noKk), detach(person.householdId));
        else if (typeof h === 'string') {
          if (h !== person.householdId) s.kkHouseholds.set(person.noKk, [h, detach(person.householdId)]);
        } else if (!h.includes(person.householdId)) h.push(detach(person.householdId));
      }
    }
    const out = new Map<string, DtksPerson[]>();
    for (const nik of touched) {
      const group = s.byNik.get(nik) as string;
      if (group.includes(GROUP)) out.set(nik, unpackGroup(group));
    }
    return out;
  }

  async markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const s = this.p(period);
    let seen = s.seenRows.get(file);
    if (!seen) s.seenRows.set(file, (seen = new RowBitmap()));
    for (const r of rows) seen.add(r);
    return seen.size;
  }

  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksPerson[]>> {
    const s = this.p(period);
    const out = new Map<string, DtksPerson[]>();
    for (const n of niks) {
      const g = s.byNik.get(n);
      if (g !== undefined) out.set(n, unpackGroup(g));
    }
    return out;
  }

  async dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, SuggestionCandidate[]>> {
    const s = this.p(period);
    const out = new Map<string, SuggestionCandidate[]>();
    for (const d of dates) {
      const entries = s.byBirthDate.get(d);
      if (!entries) continue;
      out.set(
        d,
        entries.map((e) => {
          const at = e.indexOf(F);
          return { nik: e.slice(0, at), nameKey: e.slice(at + 1) };
        }),
      );
    }
    return out;
  }

  async householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>> {
    const s = this.p(period);
    const out = new Map<string, string[]>();
    for (const k of kks) {
      const h = s.kkHouseholds.get(k);
      if (h !== undefined) out.set(k, typeof h === 'string' ? [h] : [...h].sort());
    }
    return out;
  }

  async setDtksExpected(period: string, file: string, rows: number): Promise<void> {
    this.p(period).expected.set(file, rows);
  }

  async dtksExpected(period: string): Promise<Map<string, number>> {
    return new Map(this.p(period).expected);
  }

  private heldSeq = 0;

  async holdBatch(period: string, batch: NormalizedBatch): Promise<void> {
    this.p(period).held.set(String(++this.heldSeq), batch);
  }

  async peekHeld(period: string): Promise<{ id: string; batch: NormalizedBatch }[]> {
    return [...this.p(period).held].map(([id, batch]) => ({ id, batch }));
  }

  async ackHeld(period: string, ids: readonly string[]): Promise<void> {
    const held = this.p(period).held;
    for (const id of ids) held.delete(id);
  }

  async putBase(period: string, bases: readonly BaseResult[]): Promise<void> {
    const s = this.p(period);
    for (const b of bases) s.bases.set(detach(b.key), packBase(b));
  }

  async getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>> {
    const s = this.p(period);
    const out = new Map<string, BaseResult>();
    for (const k of keys) {
      const b = s.bases.get(k);
      if (b !== undefined) out.set(k, unpackBase(k, b));
    }
    return out;
  }

  async addOccurrences(
    period: string,
    items: readonly { program: Source; nik: string; occ: Occurrence }[],
  ): Promise<Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>> {
    const s = this.p(period);
    const firstBefore = new Map<string, Occurrence | null>();
    const programs = new Map<string, Source>();
    for (const { program, nik, occ } of items) {
      const k = occurrenceKey(program, nik);
      const packed = s.occ.get(k);
      if (!firstBefore.has(k)) {
        firstBefore.set(k, unpackOccurrences(period, program, packed)[0] ?? null);
        programs.set(k, program);
      }
      const token = `${occ.file}${F}${occ.row}`;
      if (packed === undefined) s.occ.set(detach(k), detach(token));
      else if (!packed.split(L).includes(token)) {
        const list = unpackOccurrences(period, program, packed);
        list.push(occ);
        list.sort(compareByFileRow);
        s.occ.set(k, list.map((o) => `${o.file}${F}${o.row}`).join(L));
      }
    }
    const out = new Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>();
    for (const [k, first] of firstBefore) out.set(k, { firstBefore: first, all: unpackOccurrences(period, programs.get(k) as string, s.occ.get(k)) });
    return out;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, Occurrence[]>> {
    const s = this.p(period);
    const out = new Map<string, Occurrence[]>();
    for (const { program, nik } of pairs) {
      const k = occurrenceKey(program, nik);
      out.set(k, unpackOccurrences(period, program, s.occ.get(k)));
    }
    return out;
  }

  async addFamilyMembers(
    period: string,
    items: readonly { family: string; program: Source; key: string }[],
  ): Promise<Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>> {
    const s = this.p(period);
    const before = new Map<string, Set<Source>>();
    for (const { family, program, key } of items) {
      let list = s.families.get(family);
      if (!list) s.families.set(detach(family), (list = []));
      if (!before.has(family)) before.set(family, new Set(membersByProgram(list).keys()));
      const entry = `${program}${F}${key}`;
      if (!list.includes(entry)) list.push(detach(entry));
    }
    const out = new Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>();
    for (const [family, programsBefore] of before) out.set(family, { programsBefore, members: membersByProgram(s.families.get(family) ?? []) });
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilyMembers>> {
    const s = this.p(period);
    const out = new Map<string, FamilyMembers>();
    for (const f of families) out.set(f, membersByProgram(s.families.get(f) ?? []));
    return out;
  }
}
