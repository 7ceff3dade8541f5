import type { DtksPerson, SuggestionCandidate } from '@padan/core';
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

/** Per family, the records of each program it receives. */
export type FamilyMembers = ReadonlyMap<Source, readonly string[]>;

/**
 * The state port of the match stage: the versioned DTKS index and the per-period evidence.
 * Every method takes a whole batch (one round trip per batch in Redis, never one per record) and
 * every write has set semantics, so a redelivered batch changes nothing.
 */
export interface MatchState {
  /**
   * Adds DTKS rows to the period's release. Returns, for each NIK touched that is now held by more
   * than one row, all rows holding it (their results change: DUPLICATE_IN_DTKS). A NIK held by one
   * row only is left out: its result is the row's own.
   */
  addDtksPersons(period: string, persons: readonly DtksPerson[]): Promise<Map<string, DtksPerson[]>>;
  /** Marks DTKS rows as seen (valid or not) and returns how many distinct rows of the file are seen. */
  markDtksRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number>;
  dtksByNik(period: string, niks: readonly string[]): Promise<Map<string, DtksPerson[]>>;
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
   * batch reconciled twice gives the same results).
   */
  peekHeld(period: string): Promise<{ id: string; batch: NormalizedBatch }[]>;
  ackHeld(period: string, ids: readonly string[]): Promise<void>;

  putBase(period: string, bases: readonly BaseResult[]): Promise<void>;
  getBase(period: string, keys: readonly string[]): Promise<Map<string, BaseResult>>;

  /** Adds occurrences; returns per `program|nik` the first occurrence before the add and the full sorted list after. */
  addOccurrences(
    period: string,
    items: readonly { program: Source; nik: string; occ: Occurrence }[],
  ): Promise<Map<string, { firstBefore: Occurrence | null; all: Occurrence[] }>>;
  occurrences(period: string, pairs: readonly { program: Source; nik: string }[]): Promise<Map<string, Occurrence[]>>;

  /** Adds records to families; returns per family the programs it had before the add and its members after. */
  addFamilyMembers(
    period: string,
    items: readonly { family: string; program: Source; key: string }[],
  ): Promise<Map<string, { programsBefore: Set<Source>; members: FamilyMembers }>>;
  familyMembers(period: string, families: readonly string[]): Promise<Map<string, FamilyMembers>>;
}

export function occurrenceKey(program: string, nik: string): string {
  return `${program}|${nik}`;
}
