import type { NormalizedBatch, Source } from '@padan/contracts';
import { compareByFileRow, differsFromAny, representativeKey, signatureKey } from '@padan/core';
import type { DtksPerson, DuplicateDetail, DuplicateSignature, SuggestionCandidate } from '@padan/core';
import type {
  BaseResult,
  DtksGroup,
  DtksNikChange,
  FamilyChange,
  FamilyItem,
  FamilySummary,
  MatchState,
  Occurrence,
  OccurrenceChange,
  OccurrenceSummary,
} from '../port/match-state.js';
import { occurrenceKey } from '../port/match-state.js';
import { RowBitmap } from './row-bitmap.js';
import { heldBatchesError } from '../port/period-closing.js';
import type { PeriodClosing } from '../port/period-closing.js';
import type { ProgramRows } from '../port/program-rows.js';
import { detach } from './detach.js';
import { F, packBase, unpackBase } from '../codec/state-codec.js';
import { DtksPersonRows } from './dtks-person-rows.js';
import { BaseStore } from './base-store.js';
import { BirthDateIndex } from './birth-date-index.js';
import { FamilyTable } from './family-table.js';
import { KkHouseholds } from './kk-households.js';
import { ProgramOccurrences } from './program-occurrences.js';
import { ABSENT, NikTable } from './nik-table.js';

/** A NIK held by several DTKS rows (rows of DtksPersonRows). A NIK held by one row is just that row. */
interface NikGroup {
  /** Rows in arrival order: re-emitted when the group's detail changes. */
  readonly members: number[];
  /** Representatives (first row of each distinct person), ordered by file and row. */
  readonly reps: number[];
  /** representativeKey → the representative's row. */
  readonly repKeys: Map<string, number>;
  /** Distinct (name key, birth date) of the rows: the duplicate rule's input and the birth-date index's. */
  readonly signatures: Map<string, DuplicateSignature>;
  detail: DuplicateDetail;
}


interface PeriodState {
  /** The release's valid rows, numbered in arrival order. */
  persons: DtksPersonRows;
  /** NIK → its one row, or -(i + 1) for groups[i] when several rows hold it. */
  byNik: NikTable;
  groups: NikGroup[];
  /** Birth date → rows (persons) born that day with a signature new to their NIK (the candidates of a NIK suggestion). */
  byBirthDate: BirthDateIndex;
  /** No. KK → household id, or ids when the KK is spread over several households. */
  kkHouseholds: KkHouseholds;
  /** DTKS rows seen per file (indexed or, for invalid NIKs, marked): completeness and set semantics. */
  seenRows: Map<string, RowBitmap>;
  expected: Map<string, number>;
  held: Map<string, NormalizedBatch>;
  bases: BaseStore;
  /** Per program, the occurrences of its valid NIKs. */
  occ: Map<Source, ProgramOccurrences>;
  /** Program rows already counted as occurrences / family members, per `program F file`. */
  occRows: Map<string, RowBitmap>;
  famRows: Map<string, RowBitmap>;
  /** Program rows in the evidence, per `<source>/<file>` (ProgramRows), and the rows announced. */
  programRows: Map<string, RowBitmap>;
  programExpected: Map<string, number>;
  families: FamilyTable;
}

function bitmap(m: Map<string, RowBitmap>, key: string): RowBitmap {
  let b = m.get(key);
  if (!b) m.set(detach(key), (b = new RowBitmap()));
  return b;
}

/** Inserts `item` into `list` kept sorted by `cmp` (binary search; one move of the tail). */
function insertSorted<T>(list: T[], item: T, cmp: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}



/**
 * The in-memory state of the embedded run. Entries with one member, which is nearly always (a
 * Jambi month holds 1.2 M DTKS persons and 0.75 M program records), are rows of typed arrays and
 * bytes in a few large buffers, keyed by NIKs in open-addressing tables (NikTable): no string,
 * object or Map entry per person or record, so the state costs tens of bytes a row and the garbage
 * collector has little to mark. Entries with several members (a NIK held by several rows, a NIK
 * repeated in a program, a family) keep small structures whose every update costs O(1) or
 * O(distinct persons), never O(members): a NIK repeated 20 000 times is as cheap per row as a
 * fresh one.
 */
export class MemoryMatchState implements MatchState, PeriodClosing, ProgramRows {
  private readonly periods = new Map<string, PeriodState>();
  /** Closed periods (see PeriodClosing). */
  private readonly closed = new Set<string>();

  private p(period: string): PeriodState {
    let s = this.periods.get(period);
    if (!s) {
      const persons = new DtksPersonRows();
      s = {
        persons,
        byNik: new NikTable(),
        groups: [],
        byBirthDate: new BirthDateIndex(persons),
        kkHouseholds: new KkHouseholds(),
        seenRows: new Map(),
        expected: new Map(),
        held: new Map(),
        bases: new BaseStore(),
        occ: new Map(),
        occRows: new Map(),
        famRows: new Map(),
        programRows: new Map(),
        programExpected: new Map(),
        families: new FamilyTable(period),
      };
      this.periods.set(period, s);
    }
    return s;
  }

  async addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksNikChange>> {
    const s = this.p(period);
    const before = new Map<string, { rows: number; detail: DuplicateDetail | null; redelivered: boolean }>();
    let seenFile: string | undefined;
    let seen: RowBitmap | undefined;
    for (const person of persons) {
      const current = s.byNik.get(person.nik);
      let b = before.get(person.nik);
      if (!b) {
        const group = current < 0 && current !== ABSENT ? (s.groups[-current - 1] as NikGroup) : undefined;
        b = { rows: current === ABSENT ? 0 : group ? group.members.length : 1, detail: group ? group.detail : null, redelivered: false };
        before.set(person.nik, b);
      }
      if (person.file !== seenFile || !seen) seen = bitmap(s.seenRows, (seenFile = person.file));
      if (!seen.add(person.row)) {
        // Already indexed: a redelivery. It counts as "before" this call.
        b.redelivered = true;
        continue;
      }
      this.index(s, person, current);
    }
    const out = new Map<string, DtksNikChange>();
    for (const [nik, b] of before) {
      const current = s.byNik.get(nik);
      const group = current < 0 ? (s.groups[-current - 1] as NikGroup) : undefined;
      const rows = group ? group.members.length : 1;
      const detail = group ? group.detail : null;
      const first = s.persons.person(nik, group ? (group.members[0] as number) : current);
      const wholesale = detail === 'DIFFERENT_PERSON' && (b.detail !== 'DIFFERENT_PERSON' || b.redelivered);
      out.set(nik, {
        rows,
        rowsBefore: b.rows,
        detail,
        detailBefore: b.detail,
        redelivered: b.redelivered,
        first,
        all: wholesale && group ? group.members.map((m) => s.persons.person(nik, m)) : null,
      });
    }
    return out;
  }

  /** Adds one new row to the index of its NIK, its birth date and its No. KK. `current`: what byNik held for the NIK. */
  private index(s: PeriodState, person: DtksPerson, current: number): void {
    const row = s.persons.add(person);
    // A NIK's first row has a new signature: its key is built only for NIKs held by several rows.
    let newSignature = true;
    if (current === ABSENT) {
      s.byNik.set(person.nik, row);
    } else {
      let group: NikGroup;
      if (current >= 0) {
        const only = s.persons.person(person.nik, current);
        const onlySig = { nameKey: only.nameKey, birthDate: only.birthDate };
        group = {
          members: [current],
          reps: [current],
          repKeys: new Map([[representativeKey(only), current]]),
          signatures: new Map([[signatureKey(onlySig), onlySig]]),
          detail: 'SAME_PERSON',
        };
        s.groups.push(group);
        s.byNik.set(person.nik, -s.groups.length);
      } else group = s.groups[-current - 1] as NikGroup;
      group.members.push(row);
      const sig: DuplicateSignature = { nameKey: person.nameKey, birthDate: person.birthDate };
      const sigKey = signatureKey(sig);
      if (group.detail === 'SAME_PERSON' && differsFromAny(sig, group.signatures.values())) group.detail = 'DIFFERENT_PERSON';
      newSignature = !group.signatures.has(sigKey);
      if (newSignature) group.signatures.set(detach(sigKey), { nameKey: detach(person.nameKey), birthDate: person.birthDate === null ? null : detach(person.birthDate) });
      this.addRepresentative(s.persons, group, person, row);
    }
    if (person.birthDate && newSignature) {
      s.byBirthDate.add(person.birthDate, row);
    }
    if (person.noKk && person.householdId) s.kkHouseholds.add(person.noKk, person.householdId);
  }

  /** Keeps the first row (file, row) of each distinct person, the representatives ordered by file and row. */
  private addRepresentative(rows: DtksPersonRows, group: NikGroup, person: DtksPerson, row: number): void {
    const key = representativeKey(person);
    const current = group.repKeys.get(key);
    const at = { file: rows.file(row), row: rows.row(row) };
    if (current !== undefined && compareByFileRow({ file: rows.file(current), row: rows.row(current) }, at) <= 0) return;
    // Rows arrive in file order, so replacing a representative by an earlier row is rare.
    if (current !== undefined) group.reps.splice(group.reps.indexOf(current), 1);
    insertSorted(group.reps, row, (a, b) => compareByFileRow({ file: rows.file(a), row: rows.row(a) }, { file: rows.file(b), row: rows.row(b) }));
    group.repKeys.set(current === undefined ? detach(key) : key, row);
  }

  async markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const seen = bitmap(this.p(period).seenRows, file);
    for (const r of rows) seen.add(r);
    return seen.size;
  }

  async setProgramExpected(period: string, file: string, rows: number): Promise<void> {
    this.p(period).programExpected.set(file, rows);
  }

  async programExpected(period: string): Promise<Map<string, number>> {
    return new Map(this.p(period).programExpected);
  }

  async markProgramRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number> {
    const seen = bitmap(this.p(period).programRows, file);
    for (const r of rows) seen.add(r);
    return seen.size;
  }

  async dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksGroup>> {
    const s = this.p(period);
    const out = new Map<string, DtksGroup>();
    for (const n of niks) {
      const g = s.byNik.get(n);
      if (g === ABSENT) continue;
      if (g >= 0) {
        out.set(n, { persons: [s.persons.person(n, g)], rows: 1 });
        continue;
      }
      const group = s.groups[-g - 1] as NikGroup;
      out.set(n, { persons: group.reps.map((r) => s.persons.person(n, r)), rows: group.members.length });
    }
    return out;
  }

  async dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, SuggestionCandidate[]>> {
    const s = this.p(period);
    const out = new Map<string, SuggestionCandidate[]>();
    for (const d of dates) {
      const candidates = s.byBirthDate.candidates(d);
      if (candidates) out.set(d, candidates);
    }
    return out;
  }

  async householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>> {
    const s = this.p(period);
    const out = new Map<string, string[]>();
    for (const k of kks) {
      const h = s.kkHouseholds.get(k);
      if (h !== undefined) out.set(k, h);
    }
    return out;
  }

  async setDtksExpected(period: string, file: string, rows: number): Promise<void> {
    this.p(period).expected.set(file, rows);
  }

  async dtksExpected(period: string): Promise<Map<string, number>> {
    return new Map(this.p(period).expected);
  }

  async closePeriod(period: string): Promise<number> {
    const s = this.p(period);
    if (s.held.size > 0) throw heldBatchesError(period);
    this.closed.add(period);
    let occ = 0;
    for (const o of s.occ.values()) occ += o.size;
    const dropped = s.bases.size + occ + s.families.size + s.occRows.size + s.famRows.size + s.programRows.size;
    s.programRows = new Map();
    s.bases = new BaseStore();
    s.occ = new Map();
    s.families = new FamilyTable(period);
    s.occRows = new Map();
    s.famRows = new Map();
    return dropped;
  }

  async closedPeriods(periods: readonly string[]): Promise<string[]> {
    return [...new Set(periods)].filter((p) => this.closed.has(p)).sort();
  }

  async reopenPeriods(periods: readonly string[]): Promise<string[]> {
    const reopened = [...new Set(periods)].filter((p) => this.closed.delete(p));
    return reopened.sort();
  }

  private heldSeq = 0;

  async holdBatch(period: string, batch: NormalizedBatch): Promise<void> {
    this.p(period).held.set(String(++this.heldSeq), batch);
  }

  async peekHeld(period: string, limit = Infinity): Promise<{ id: string; batch: NormalizedBatch }[]> {
    const out: { id: string; batch: NormalizedBatch }[] = [];
    for (const [id, batch] of this.p(period).held) {
      if (out.length >= limit) break;
      out.push({ id, batch });
    }
    return out;
  }

  async ackHeld(period: string, ids: readonly string[]): Promise<void> {
    const held = this.p(period).held;
    for (const id of ids) held.delete(id);
  }

  async putBase(period: string, bases: readonly BaseResult[]): Promise<void> {
    const s = this.p(period);
    for (const b of bases) s.bases.put(b.key, packBase(b));
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

  async addOccurrences(period: string, items: readonly { program: Source; nik: string; occ: Occurrence }[]): Promise<Map<string, OccurrenceChange>> {
    const s = this.p(period);
    const touched = new Map<string, { program: Source; nik: string; own: Set<string> }>();
    let rowsProgram: string | undefined;
    let rowsFile: string | undefined;
    let rows: RowBitmap | undefined;
    for (const { program, nik, occ } of items) {
      const k = occurrenceKey(program, nik);
      let t = touched.get(k);
      if (!t) touched.set(k, (t = { program, nik, own: new Set() }));
      t.own.add(occ.key);
      // Batches hold one file of one program: the bitmap's name is built once, not per item.
      if (program !== rowsProgram || occ.file !== rowsFile || !rows) rows = bitmap(s.occRows, `${(rowsProgram = program)}${F}${(rowsFile = occ.file)}`);
      if (!rows.add(occ.row)) continue;
      this.occurrencesOf(s, period, program).add(nik, occ);
    }
    const out = new Map<string, OccurrenceChange>();
    for (const [k, { program, nik, own }] of touched) out.set(k, this.occurrencesOf(s, period, program).summary(nik, own) as OccurrenceChange);
    return out;
  }

  private occurrencesOf(s: PeriodState, period: string, program: Source): ProgramOccurrences {
    let o = s.occ.get(program);
    if (!o) s.occ.set(program, (o = new ProgramOccurrences(period, program)));
    return o;
  }

  async occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, OccurrenceSummary>> {
    const s = this.p(period);
    const out = new Map<string, OccurrenceSummary>();
    for (const { program, nik } of pairs) {
      const summary = s.occ.get(program)?.summary(nik);
      out.set(occurrenceKey(program, nik), summary ? { first: summary.first, count: summary.count } : { first: null, count: 0 });
    }
    return out;
  }

  async addFamilyMembers(period: string, items: readonly FamilyItem[]): Promise<Map<string, FamilyChange>> {
    const s = this.p(period);
    const touched = new Map<string, Set<string>>();
    let rowsProgram: string | undefined;
    let rowsFile: string | undefined;
    let rows: RowBitmap | undefined;
    for (const item of items) {
      let own = touched.get(item.family);
      if (!own) touched.set(item.family, (own = new Set()));
      own.add(item.key);
      if (item.program !== rowsProgram || item.file !== rowsFile || !rows) rows = bitmap(s.famRows, `${(rowsProgram = item.program)}${F}${(rowsFile = item.file)}`);
      if (!rows.add(item.row)) continue;
      s.families.add(item.family, item.program, item.file, item.row, item.key);
    }
    const out = new Map<string, FamilyChange>();
    for (const [family, own] of touched) out.set(family, s.families.change(family, own) as FamilyChange);
    return out;
  }

  async familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilySummary>> {
    const s = this.p(period);
    const out = new Map<string, FamilySummary>();
    for (const f of families) out.set(f, s.families.summary(f) ?? { members: 0, programs: new Set() });
    return out;
  }
}
