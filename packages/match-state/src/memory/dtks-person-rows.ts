import { nextCapacity } from './capacity.js';
import type { DtksPerson } from '@padan/core';
import { clean } from '../codec/state-codec.js';
import { dateOfDay, dayNumber } from '../codec/packed-bytes.js';
import { half, isNik16, nikOfHalves } from './nik-table.js';
import { StringIds } from './string-ids.js';
import { TextHeap } from './text-heap.js';

const DECEASED = 1;
const OWN_NAME_KEY = 2;
const NIK_RAW = 4;
const BIRTH_DAY = 8;
const BIRTH_TEXT = 16;
const WARNINGS = 32;
const NO_REGENCY = -1;

/**
 * The DTKS persons of one release as rows of typed columns, numbered in arrival order: no object
 * and no string per person. The few-valued fields (file, regency) are ids, the birth date a day
 * number, the row and NIK numbers; the texts (household id, name, name key when it differs, and
 * the rare raw NIK, odd birth date and warnings) are packed in one TextHeap.
 *
 * A row decodes to exactly what unpackPerson(nik, packPerson(p)) gave, the format this adapter
 * stored before (the same clean() of texts, empty-is-null and raw-NIK rules), so the answers did
 * not change with the layout: no No. KK (reconciliation never reads a DTKS row's), and the NIK
 * is the caller's.
 */
export class DtksPersonRows {
  private capacity = 1024;
  private count = 0;
  /** The NIK's high half + 1, or 0 when the NIK is not 16 digits (then nikLo indexes otherNiks). */
  private nikHi = new Uint32Array(this.capacity);
  private nikLo = new Uint32Array(this.capacity);
  private fileId = new Int32Array(this.capacity);
  // Rows of a file and offsets in the text heap (a Buffer, at most 4 GiB) fit 32 bits.
  private rowNo = new Uint32Array(this.capacity);
  private textAt = new Uint32Array(this.capacity);
  private flags = new Uint8Array(this.capacity);
  private day = new Uint16Array(this.capacity);
  private regency = new Int32Array(this.capacity);
  private readonly otherNiks: string[] = [];
  private readonly files = new StringIds();
  private readonly regencies = new StringIds();
  private readonly heap = new TextHeap(1 << 20);

  get size(): number {
    return this.count;
  }

  /** Appends a person; returns its row number in this table. */
  add(p: DtksPerson): number {
    if (this.count === this.capacity) this.grow();
    const r = this.count++;
    if (isNik16(p.nik)) {
      this.nikHi[r] = half(p.nik, 0) + 1;
      this.nikLo[r] = half(p.nik, 8);
    } else {
      this.nikHi[r] = 0;
      this.nikLo[r] = this.otherNiks.length;
      this.otherNiks.push(Buffer.from(p.nik, 'utf8').toString('utf8'));
    }
    this.fileId[r] = this.files.idOf(clean(p.file));
    this.rowNo[r] = p.row;
    this.regency[r] = p.regency ? this.regencies.idOf(p.regency) : NO_REGENCY;
    const nikRaw = p.nikRaw === p.nik ? '' : clean(p.nikRaw);
    const nama = clean(p.nama);
    const ownNameKey = p.nameKey !== p.nama;
    const day = p.birthDate ? dayNumber(p.birthDate) : null;
    // packPerson joined the warnings and split them again: one empty warning came back as none.
    const warnings = p.warnings.length === 1 && p.warnings[0] === '' ? 0 : p.warnings.length;
    let f = 0;
    if (p.deceased) f |= DECEASED;
    if (ownNameKey) f |= OWN_NAME_KEY;
    if (nikRaw !== '') f |= NIK_RAW;
    if (day !== null) f |= BIRTH_DAY;
    else if (p.birthDate) f |= BIRTH_TEXT;
    if (warnings > 0) f |= WARNINGS;
    this.flags[r] = f;
    this.day[r] = day ?? 0;
    const h = this.heap;
    this.textAt[r] = h.end;
    if (nikRaw !== '') h.text(nikRaw);
    h.text(clean(p.householdId));
    h.text(nama);
    if (ownNameKey) h.text(clean(p.nameKey));
    if (day === null && p.birthDate) h.text(p.birthDate);
    if (warnings > 0) {
      h.varint(warnings);
      for (const w of p.warnings) h.text(w);
    }
    return r;
  }

  nik(r: number): string {
    const hi = this.nikHi[r] as number;
    return hi === 0 ? (this.otherNiks[this.nikLo[r] as number] as string) : nikOfHalves(hi - 1, this.nikLo[r] as number);
  }

  /** Whether row `r`'s NIK is 16 digits (nik(r) then has 16 characters). */
  hasNik16(r: number): boolean {
    return this.nikHi[r] !== 0;
  }

  file(r: number): string {
    return this.files.text(this.fileId[r] as number);
  }

  row(r: number): number {
    return this.rowNo[r] as number;
  }

  /** The person of row `r` (its NIK is `nik`), as unpackPerson(nik, packPerson(p)) gave it. */
  person(nik: string, r: number): DtksPerson {
    const f = this.flags[r] as number;
    const h = this.heap.seek(this.textAt[r] as number);
    const nikRaw = f & NIK_RAW ? h.readText() : '';
    const householdId = h.readText();
    const nama = h.readText();
    const nameKey = f & OWN_NAME_KEY ? h.readText() : nama;
    const birthDate = f & BIRTH_DAY ? dateOfDay(this.day[r] as number) : f & BIRTH_TEXT ? h.readText() : null;
    const warnings: string[] = [];
    if (f & WARNINGS) for (let n = h.readVarint(); n > 0; n--) warnings.push(h.readText());
    const regency = this.regency[r] as number;
    return {
      nik,
      nikRaw: nikRaw || nik,
      file: this.file(r),
      row: this.rowNo[r] as number,
      householdId: householdId === '' ? null : householdId,
      noKk: null,
      nama: nama === '' ? null : nama,
      nameKey,
      birthDate,
      regency: regency === NO_REGENCY ? null : this.regencies.text(regency),
      deceased: (f & DECEASED) !== 0,
      warnings,
    };
  }

  /** The name key of row `r` alone (the birth-date index's candidates), without decoding the rest. */
  nameKey(r: number): string {
    const f = this.flags[r] as number;
    const h = this.heap.seek(this.textAt[r] as number);
    if (f & NIK_RAW) h.skipText();
    h.skipText();
    if (!(f & OWN_NAME_KEY)) return h.readText();
    h.skipText();
    return h.readText();
  }

  private grow(): void {
    const n = nextCapacity(this.capacity, this.capacity + 1);
    this.nikHi = grown(this.nikHi, new Uint32Array(n));
    this.nikLo = grown(this.nikLo, new Uint32Array(n));
    this.fileId = grown(this.fileId, new Int32Array(n));
    this.rowNo = grown(this.rowNo, new Uint32Array(n));
    this.textAt = grown(this.textAt, new Uint32Array(n));
    this.flags = grown(this.flags, new Uint8Array(n));
    this.day = grown(this.day, new Uint16Array(n));
    this.regency = grown(this.regency, new Int32Array(n));
    this.capacity = n;
  }
}

function grown<T extends Uint32Array | Int32Array | Float64Array | Uint8Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
