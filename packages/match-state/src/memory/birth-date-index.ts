import type { SuggestionCandidate } from '@padan/core';
import { detach } from './detach.js';
import type { DtksPersonRows } from './dtks-person-rows.js';

/** Ends one candidate in a packed date: the NIK's 16 digits, the name key, this (clean() keeps it out of name keys). */
const END = '\u001e';

/**
 * Birth date → the DTKS persons born that day (rows of DtksPersonRows): the candidates of a NIK
 * suggestion. Rows are kept as numbers; a date's candidates are decoded from the rows once, on the
 * first query after the date changed, into one flat string (`nik nameKey END` each), which later
 * queries cut, as cheap as the strings the index once held, with one string per date instead of
 * one per person. A date holding a NIK that is not 16 digits is decoded row by row instead.
 */
export class BirthDateIndex {
  private readonly rows = new Map<string, number[]>();
  private readonly packed = new Map<string, string>();

  constructor(private readonly persons: DtksPersonRows) {}

  add(date: string, row: number): void {
    const rows = this.rows.get(date);
    if (!rows) this.rows.set(detach(date), [row]);
    else {
      rows.push(row);
      // While the release loads nothing is packed yet: no second lookup per row.
      if (this.packed.size > 0) this.packed.delete(date);
    }
  }

  /** The candidates born on `date`, in the order they were added; undefined when none. */
  candidates(date: string): SuggestionCandidate[] | undefined {
    const rows = this.rows.get(date);
    if (!rows) return undefined;
    let packed = this.packed.get(date);
    if (packed === undefined) {
      const p = this.pack(rows);
      if (p === null) return rows.map((r) => ({ nik: this.persons.nik(r), nameKey: this.persons.nameKey(r) }));
      this.packed.set(detach(date), (packed = p));
    }
    const out: SuggestionCandidate[] = [];
    for (let at = 0; at < packed.length; ) {
      const end = packed.indexOf(END, at + 16);
      out.push({ nik: packed.slice(at, at + 16), nameKey: packed.slice(at + 16, end) });
      at = end + 1;
    }
    return out;
  }

  private pack(rows: readonly number[]): string | null {
    const parts: string[] = [];
    for (const r of rows) {
      if (!this.persons.hasNik16(r)) return null;
      parts.push(this.persons.nik(r), this.persons.nameKey(r), END);
    }
    return parts.join('');
  }
}
