import type { DtksPerson, DuplicateDetail, SuggestionCandidate } from '@padan/core';
import type { Check, NormalizedBatch, Reason, Source, Warning } from '@padan/contracts';

/**
 * What match remembers of a program record so it can re-emit the record's result when later
 * evidence (an earlier duplicate, a conflicting program in the family) changes it.
 */
export interface BaseResult {
  readonly key: string;
  readonly period: string;
  readonly source: Source;
  readonly file: string;
  readonly row: number;
  readonly runId: string;
  readonly format: 'csv' | 'xlsx' | 'jsonl';
  readonly nikRaw: string;
  readonly nik: string;
  readonly nikValid: boolean;
  readonly nama: string | null;
  readonly reasons: Reason[];
  readonly details: string[];
  readonly warnings: Warning[];
  readonly suggestedNik: string | null;
  readonly householdId: string | null;
  readonly regency: string | null;
  readonly notChecked: Check[];
  readonly family: string | null;
}

/** An occurrence of a valid NIK in a program, ordered by (file, row). */
export interface Occurrence {
  readonly file: string;
  readonly row: number;
  readonly key: string;
}

/** The DTKS rows holding one NIK, as reconciliation needs them. */
export interface DtksGroup {
  /**
   * One representative per distinct person (see `representativeKey` in core): the first row, by
   * file then row, of each; ordered by file and row. Equal to every row when all rows differ.
   * Persons the index gives back (here and in DtksNikChange) have `noKk` null: reconciliation never
   * reads a DTKS row's No. KK (householdsByKk answers by KK), so the index does not keep it.
   */
  readonly persons: DtksPerson[];
  /** How many rows of the release hold the NIK. */
  readonly rows: number;
}

/** What adding DTKS rows did to one NIK. */
export interface DtksNikChange {
  /** Rows holding the NIK after the add, and before it (rows of this call already indexed, i.e. redelivered, count as before). */
  readonly rows: number;
  readonly rowsBefore: number;
  /** DUPLICATE_IN_DTKS detail after and before the add; null while one row holds the NIK. */
  readonly detail: DuplicateDetail | null;
  readonly detailBefore: DuplicateDetail | null;
  /** Some row of this call was already indexed: the call is a redelivery (after a crash), at least in part. */
  readonly redelivered: boolean;
  /** The row that holds the NIK first (by arrival), whose result changes when a second row arrives. */
  readonly first: DtksPerson;
  /**
   * Every row holding the NIK, in arrival order, only when this call must re-emit them all: the
   * detail became DIFFERENT_PERSON in this call, or the call is a redelivery and the detail is
   * DIFFERENT_PERSON (the first delivery may have died before publishing them). Otherwise null, so
   * a NIK repeated 10 000 times costs one row per add, not the whole group.
   */
  readonly all: DtksPerson[] | null;
}

/** The occurrences of a valid NIK in a program: the first by (file, row) and how many there are. */
export interface OccurrenceSummary {
  readonly first: Occurrence | null;
  readonly count: number;
}

/** What adding occurrences did to one `program|nik`. */
export interface OccurrenceChange extends OccurrenceSummary {
  readonly first: Occurrence;
  /**
   * Every occurrence, only when an occurrence of this call is the first (by file, row) and others
   * exist: their DUPLICATE_IN_PROGRAM detail names the first, so they are re-emitted. Whether the
   * occurrence was added now or redelivered does not matter: the answer depends only on the state,
   * so a redelivered batch re-emits what its first delivery may have failed to publish.
   */
  readonly all: Occurrence[] | null;
}

/** A family: how many records it has and the programs they are listed in. */
export interface FamilySummary {
  readonly members: number;
  readonly programs: ReadonlySet<Source>;
}

/** Per family, the records of each program it receives. */
export type FamilyMembers = ReadonlyMap<Source, readonly string[]>;

/** What adding members did to one family. */
export interface FamilyChange extends FamilySummary {
  /**
   * Every member by program, only when a member of this call is the first (by file, row) of its
   * program in the family: a program new to the family puts the records of the programs it excludes
   * in conflict. As for occurrences, the answer depends only on the state (redelivery-safe).
   */
  readonly all: FamilyMembers | null;
  /** The programs of this call's members that are first of their program in the family. */
  readonly firstOf: ReadonlySet<Source>;
}

/**
 * The state port of the match stage: the versioned DTKS index and the per-period evidence.
 * Every method takes a whole batch (one round trip per batch in Redis, never one per record) and
 * every write has set semantics, so a redelivered batch changes nothing. No method returns or
 * rewrites data that grows with how often one NIK, person or family repeats, except the `all`
 * lists, which are returned only when every member's result changes anyway.
 */
export interface MatchState {
  /**
   * Adds valid DTKS rows to the period's release and marks them seen (see markDtksRowsSeen).
   * Returns one change per NIK touched.
   */
  addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksNikChange>>;
  /** Marks DTKS rows as seen (rows that are not indexed: invalid NIKs) and returns how many distinct rows of the file are seen. */
  markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number>;
  dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksGroup>>;
  /** Per birth date, the DTKS persons born that day: the candidates of a NIK suggestion. */
  dtksByBirthDate(period: string, dates: readonly string[]): Promise<Map<string, SuggestionCandidate[]>>;
  householdsByKk(period: string, kks: readonly string[]): Promise<Map<string, string[]>>;

  /** DTKS completeness: the release files announced for the period and whether all their rows are in. */
  setDtksExpected(period: string, file: string, rows: number): Promise<void>;
  dtksExpected(period: string): Promise<Map<string, number>>;

  /** Program batches that arrived before the period's DTKS release was complete. */
  holdBatch(period: string, batch: NormalizedBatch): Promise<void>;
  /**
   * The held batches, oldest first, with their ids. They stay held until `ackHeld`: a batch is
   * acknowledged only after its results are published, so a crash in between loses nothing (a
   * batch reconciled twice gives the same results). With `limit`, at most about that many (the
   * oldest): a caller that reconciles them page by page holds one page in memory, not the backlog.
   */
  peekHeld(period: string, limit?: number): Promise<{ id: string; batch: NormalizedBatch }[]>;
  ackHeld(period: string, ids: readonly string[]): Promise<void>;

  putBase(period: string, bases: readonly BaseResult[]): Promise<void>;
  getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>>;

  /** Adds occurrences of valid NIKs; returns one change per `program|nik` touched. */
  addOccurrences(period: string, items: readonly { program: Source; nik: string; occ: Occurrence }[]): Promise<Map<string, OccurrenceChange>>;
  occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, OccurrenceSummary>>;

  /** Adds records to families; returns one change per family touched. */
  addFamilyMembers(period: string, items: readonly FamilyItem[]): Promise<Map<string, FamilyChange>>;
  familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilySummary>>;
}

/** A program record joining a family; file and row order the members of one program. */
export interface FamilyItem {
  readonly family: string;
  readonly program: Source;
  readonly key: string;
  readonly file: string;
  readonly row: number;
}

export function occurrenceKey(program: string, nik: string): string {
  return `${program}|${nik}`;
}
