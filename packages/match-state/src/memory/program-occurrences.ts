import { compareByFileRow } from '@padan/core';
import type { Occurrence } from '../port/match-state.js';
import { detach } from './detach.js';
import { ABSENT, NikTable } from './nik-table.js';
import { StringIds } from './string-ids.js';

/** A NIK with several occurrences in the program. */
interface OccurrenceGroup {
  first: Occurrence;
  readonly all: Occurrence[];
}

/**
 * The occurrences of valid NIKs in one program of one period. A NIK occurring once (nearly every
 * one) is a NikTable entry pointing at a (file id, row) in typed columns: no string, object or Map
 * entry per record. Its occurrence is rebuilt on demand, key included (`period/program/file#row`,
 * the record key the stage gives). A NIK occurring several times becomes a small group whose
 * update costs O(1): a NIK repeated 20 000 times is as cheap per row as a fresh one.
 */
export class ProgramOccurrences {
  private readonly byNik = new NikTable();
  private readonly files = new StringIds();
  private fileId = new Int32Array(1024);
  private rowNo = new Float64Array(1024);
  private singles = 0;
  private readonly groups: OccurrenceGroup[] = [];

  constructor(
    private readonly period: string,
    private readonly program: string,
  ) {}

  /** NIKs with an occurrence. */
  get size(): number {
    return this.byNik.size;
  }

  /** Adds an occurrence the caller knows is new (its row was not counted before). */
  add(nik: string, occ: Occurrence): void {
    const v = this.byNik.get(nik);
    if (v === ABSENT) {
      if (this.singles === this.fileId.length) this.grow();
      this.fileId[this.singles] = this.files.idOf(occ.file);
      this.rowNo[this.singles] = occ.row;
      this.byNik.set(nik, this.singles++);
      return;
    }
    let group: OccurrenceGroup;
    if (v >= 0) {
      const first = this.single(v);
      group = { first, all: [first] };
      this.groups.push(group);
      this.byNik.set(nik, -this.groups.length);
    } else group = this.groups[-v - 1] as OccurrenceGroup;
    const added = { file: detach(occ.file), row: occ.row, key: detach(occ.key) };
    group.all.push(added);
    if (compareByFileRow(added, group.first) < 0) group.first = added;
  }

  /**
   * The NIK's first occurrence (by file, row) and count; with `all`, its every occurrence, by
   * file and row, when it has several and the first is in `own` (see OccurrenceChange.all).
   * Null when the NIK has none.
   */
  summary(nik: string, own?: ReadonlySet<string>): { first: Occurrence; count: number; all: Occurrence[] | null } | null {
    const v = this.byNik.get(nik);
    if (v === ABSENT) return null;
    if (v >= 0) return { first: this.single(v), count: 1, all: null };
    const g = this.groups[-v - 1] as OccurrenceGroup;
    return { first: g.first, count: g.all.length, all: own?.has(g.first.key) ? [...g.all].sort(compareByFileRow) : null };
  }

  private single(i: number): Occurrence {
    const file = this.files.text(this.fileId[i] as number);
    const row = this.rowNo[i] as number;
    return { file, row, key: `${this.period}/${this.program}/${file}#${row}` };
  }

  private grow(): void {
    const f = new Int32Array(this.fileId.length * 2);
    f.set(this.fileId);
    this.fileId = f;
    const r = new Float64Array(this.rowNo.length * 2);
    r.set(this.rowNo);
    this.rowNo = r;
  }
}
