import type { Source } from '@padan/contracts';
import { compareByFileRow } from '@padan/core';
import type { FamilyMembers } from '../port/match-state.js';
import { StringIds } from './string-ids.js';

const NONE = -1;

/**
 * The families of one period and their members, as typed columns: a member is its program's id,
 * file id and row, chained to the next member of its family in arrival order; a family is its
 * head, tail, count and, per program, its first member by (file, row). A member's record key is
 * rebuilt (`period/program/file#row`, the stage's record key) and stored only when it has another
 * shape. One Map entry per family (its key), no object or string per member: in a Jambi month
 * most of the 0.75 M program records share a household with another, which as small objects
 * with Maps and lists of keys cost some 150 MB.
 *
 * Every update costs O(1) and the answers O(programs), except `all`, which walks the family:
 * asked only when a program is new to the family (see FamilyChange.all).
 */
export class FamilyTable {
  private readonly ids = new Map<string, number>();
  private readonly files = new StringIds();
  private readonly programs = new StringIds();
  // Per family.
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private count = new Int32Array(1024);
  /** Per program id, per family: its first member by (file, row), NONE if none. */
  private firstOf: Int32Array[] = [];
  /** Per program id, per family: its member that arrived first (members are numbered in arrival order). */
  private arrived: Int32Array[] = [];
  private families = 0;
  // Per member.
  private program = new Uint8Array(4096);
  private fileId = new Int32Array(4096);
  private rowNo = new Float64Array(4096);
  private next = new Int32Array(4096);
  private members = 0;
  /** Member → its key, for the keys that are not `period/program/file#row`. */
  private readonly oddKeys = new Map<number, string>();

  constructor(private readonly period: string) {}

  /** Families with a member. */
  get size(): number {
    return this.families;
  }

  /** Adds a member the caller knows is new (its row was not counted before). */
  add(family: string, program: Source, file: string, row: number, key: string): void {
    let f = this.ids.get(family);
    if (f === undefined) f = this.newFamily(family);
    const m = this.newMember(program, file, row, key);
    const t = this.tail[f] as number;
    if (t === NONE) this.head[f] = m;
    else this.next[t] = m;
    this.tail[f] = m;
    this.count[f]!++;
    const p = this.program[m] as number;
    while (this.firstOf.length <= p) {
      this.firstOf.push(new Int32Array(this.head.length).fill(NONE));
      this.arrived.push(new Int32Array(this.head.length).fill(NONE));
    }
    const firsts = this.firstOf[p] as Int32Array;
    const arrived = this.arrived[p] as Int32Array;
    if (arrived[f] === NONE) arrived[f] = m;
    const first = firsts[f] as number;
    if (first === NONE || compareByFileRow({ file, row }, { file: this.fileOf(first), row: this.rowNo[first] as number }) < 0) firsts[f] = m;
  }

  /** Members and programs of a family; null when it has none. */
  summary(family: string): { members: number; programs: Set<Source> } | null {
    const f = this.ids.get(family);
    if (f === undefined) return null;
    return { members: this.count[f] as number, programs: this.programsOf(f) };
  }

  /**
   * A family's change for a call whose members' keys are `own` (see FamilyChange): the programs
   * whose first member is in `own`, and then every member by program. A family of one member
   * answers it as first of its program whatever `own` holds (as the packed-string state did).
   */
  change(family: string, own: ReadonlySet<string>): { members: number; programs: Set<Source>; firstOf: Set<Source>; all: FamilyMembers | null } | null {
    const f = this.ids.get(family);
    if (f === undefined) return null;
    const order = this.programOrder(f);
    const programs = new Set<Source>();
    const firstOf = new Set<Source>();
    const members = this.count[f] as number;
    for (const p of order) {
      const program = this.programs.text(p) as Source;
      programs.add(program);
      if (members === 1 || own.has(this.keyOf((this.firstOf[p] as Int32Array)[f] as number))) firstOf.add(program);
    }
    return { members, programs, firstOf, all: firstOf.size > 0 ? this.all(f) : null };
  }

  private programsOf(f: number): Set<Source> {
    const out = new Set<Source>();
    for (const p of this.programOrder(f)) out.add(this.programs.text(p) as Source);
    return out;
  }

  /** The program ids of family `f`, in the order they joined it (as a Map of programs kept them): O(programs), never O(members). */
  private programOrder(f: number): number[] {
    const seen: number[] = [];
    for (let p = 0; p < this.arrived.length; p++) if (((this.arrived[p] as Int32Array)[f] as number) !== NONE) seen.push(p);
    return seen.sort((a, b) => ((this.arrived[a] as Int32Array)[f] as number) - ((this.arrived[b] as Int32Array)[f] as number));
  }

  private all(f: number): FamilyMembers {
    const out = new Map<Source, string[]>();
    for (let m = this.head[f] as number; m !== NONE; m = this.next[m] as number) {
      const program = this.programs.text(this.program[m] as number) as Source;
      const keys = out.get(program);
      if (keys) keys.push(this.keyOf(m));
      else out.set(program, [this.keyOf(m)]);
    }
    return out;
  }

  private keyOf(m: number): string {
    const odd = this.oddKeys.get(m);
    if (odd !== undefined) return odd;
    return `${this.period}/${this.programs.text(this.program[m] as number)}/${this.fileOf(m)}#${this.rowNo[m] as number}`;
  }

  private fileOf(m: number): string {
    return this.files.text(this.fileId[m] as number);
  }

  private newFamily(family: string): number {
    if (this.families === this.head.length) {
      const n = this.families * 2;
      this.head = grown(this.head, n);
      this.tail = grown(this.tail, n);
      this.count = grown(this.count, n);
      this.firstOf = this.firstOf.map((a) => grown(a, n));
      this.arrived = this.arrived.map((a) => grown(a, n));
    }
    const f = this.families++;
    this.head[f] = NONE;
    this.tail[f] = NONE;
    this.count[f] = 0;
    // A Map key must not pin the line it was cut from (see detach.ts).
    this.ids.set(Buffer.from(family, 'utf8').toString('utf8'), f);
    return f;
  }

  private newMember(program: Source, file: string, row: number, key: string): number {
    if (this.members === this.next.length) {
      const n = this.members * 2;
      const p = new Uint8Array(n);
      p.set(this.program);
      this.program = p;
      this.fileId = grown(this.fileId, n);
      const r = new Float64Array(n);
      r.set(this.rowNo);
      this.rowNo = r;
      this.next = grown(this.next, n);
    }
    const m = this.members++;
    const p = this.programs.idOf(program);
    if (p > 0xff) throw new Error('memory match state: more than 256 programs in one period; the program list is closed (contracts SOURCES)');
    this.program[m] = p;
    this.fileId[m] = this.files.idOf(file);
    this.rowNo[m] = row;
    this.next[m] = NONE;
    if (key !== `${this.period}/${program}/${file}#${row}`) this.oddKeys.set(m, Buffer.from(key, 'utf8').toString('utf8'));
    return m;
  }
}

/** A copy of `a` in `n` slots; new slots are NONE. */
function grown(a: Int32Array, n: number) {
  const out = new Int32Array(n).fill(NONE);
  out.set(a);
  return out;
}
