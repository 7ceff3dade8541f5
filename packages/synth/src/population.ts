import { civilFromDays, daysFromCivil, daysInMonth, isoOfDays, nikDateDigits } from './dates.js';
import { cosmeticVariant, invalidVariant, isValidNik, nikDatePlausible } from './nik-tools.js';
import type { InvalidKind } from './nik-tools.js';
import { FEMALE_FIRST, FEMALE_SECOND, FEMALE_SINGLE, nameVariant, personName, similarName } from './names.js';
import type { Sex } from './names.js';
import { Rng } from './prng.js';
import { flat, Interner } from './strings.js';
import type { JambiRegions } from './regions.js';

/**
 * The synthetic DTKS population, held as compact parallel arrays (one slot per DTKS row) so that
 * 1.2 M rows fit in a few hundred MB. A "row" is one DTKS row: usually one person; a SAME_PERSON
 * duplicate is a second row copying the first (copyOf >= 0).
 */

export const STATUS_VALUES = [
  'HIDUP', 'Hidup', 'AKTIF',
  'MENINGGAL', 'MENINGGAL DUNIA', 'WAFAT', 'MD', 'Meninggal Dunia',
  'PINDAH', 'TIDAK DITEMUKAN', 'PINDAH DOMISILI', 'MENGUNDURKAN DIRI',
] as const;
/** 0 alive, 1 deceased, 2 unknown, per STATUS_VALUES index. */
export const STATUS_KIND = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2] as const;

export const RELATIONS = ['PENGURUS', 'SUAMI', 'ISTRI', 'ANAK', 'ORANG TUA', 'FAMILI LAIN'] as const;
const REL_PENGURUS = 0;
const REL_SUAMI = 1;
const REL_ISTRI = 2;
const REL_ANAK = 3;
const REL_ORTU = 4;
const REL_FAMILI = 5;

export const INVALID_KINDS: readonly InvalidKind[] = ['EMPTY', 'EXCEL_SCIENTIFIC', 'LENGTH', 'PROVINCE', 'BIRTHDATE', 'SERIAL'];

export interface PopulationOptions {
  readonly households: number;
  readonly seed: number;
  /** Day number of the first day of the period (ages are computed at this day). */
  readonly refDay: number;
}

export class Population {
  readonly hhCount: number;
  readonly hhId: string[] = [];
  /** The household's No. KK (16 digits), as programs copy it. */
  readonly hhKk: string[] = [];
  /** The No. KK as written in DTKS (damaged for a few households). */
  readonly hhKkRaw: string[] = [];
  /** 1 when the DTKS No. KK cleans to 16 digits. */
  readonly hhKkValid: Uint8Array;
  readonly hhVillage: Int32Array;
  readonly hhAddress: string[] = [];
  readonly hhFirst: Int32Array;
  readonly hhSize: Uint8Array;
  /** Rows appended to a household after its own members (duplicates). */
  readonly hhExtra = new Map<number, number[]>();

  n = 0;
  readonly rowHh: Int32Array;
  /** The NIK as DTKS records it, cleaned: 16 digits, or '' when DTKS has an invalid NIK. */
  readonly nik: string[] = [];
  readonly nikRaw: string[] = [];
  /** 0 valid, else 1 + index in INVALID_KINDS. */
  readonly nikInvalid: Uint8Array;
  /** The NIK programs list for this person (their real NIK when DTKS has a damaged one). */
  readonly trueNik: string[] = [];
  readonly name: string[] = [];
  readonly sex: Uint8Array;
  readonly birth: Int32Array;
  readonly mother: string[] = [];
  readonly status: Uint8Array;
  readonly rel: Uint8Array;
  readonly copyOf: Int32Array;
  /** 1 when the row takes part in a DTKS duplicate (either side). */
  readonly dup: Uint8Array;
  /** 1 for the caretakers of "twin" households: born the same day, NIKs one serial apart. */
  readonly twin: Uint8Array;
  /** Row number in the DTKS file (set when the file is written). */
  readonly fileRow: Int32Array;

  /** Every NIK generated for a real person (to keep synthetic typos and strangers away from them). */
  readonly allNiks = new Set<string>();
  readonly allKks = new Set<string>();

  readonly stats: Record<string, number> = {};

  constructor(readonly regions: JambiRegions, readonly opts: PopulationOptions) {
    this.hhCount = opts.households;
    const cap = opts.households * 7 + Math.ceil(opts.households / 20) + 64;
    this.hhKkValid = new Uint8Array(opts.households);
    this.hhVillage = new Int32Array(opts.households);
    this.hhFirst = new Int32Array(opts.households);
    this.hhSize = new Uint8Array(opts.households);
    this.rowHh = new Int32Array(cap);
    this.nikInvalid = new Uint8Array(cap);
    this.sex = new Uint8Array(cap);
    this.birth = new Int32Array(cap);
    this.status = new Uint8Array(cap);
    this.rel = new Uint8Array(cap);
    this.copyOf = new Int32Array(cap).fill(-1);
    this.dup = new Uint8Array(cap);
    this.twin = new Uint8Array(cap);
    this.fileRow = new Int32Array(cap);
  }

  isValid(r: number): boolean {
    return this.nikInvalid[r] === 0;
  }

  invalidKind(r: number): InvalidKind | null {
    const k = this.nikInvalid[r] as number;
    return k === 0 ? null : (INVALID_KINDS[k - 1] as InvalidKind);
  }

  deceased(r: number): boolean {
    return STATUS_KIND[this.status[r] as number] === 1;
  }

  statusUnknown(r: number): boolean {
    return STATUS_KIND[this.status[r] as number] === 2;
  }

  regencyOf(r: number): string {
    return (this.regions.villages[this.hhVillage[this.rowHh[r] as number] as number] as { code: string }).code.slice(0, 4);
  }

  /** Rows of household h in file order: its members, then appended duplicates. */
  rowsOf(h: number): number[] {
    const out: number[] = [];
    const first = this.hhFirst[h] as number;
    for (let i = 0; i < (this.hhSize[h] as number); i++) out.push(first + i);
    const extra = this.hhExtra.get(h);
    if (extra) for (const p of extra) out.push(p);
    return out;
  }

  /**
   * Once DTKS is indexed, `allNiks` only needs the real NIKs DTKS does not hold (people whose DTKS
   * NIK is damaged): the index answers for the rest. Frees a million-entry set.
   */
  forgetIndexedNiks(index: { has(nik: string): boolean }): void {
    const keep: string[] = [];
    for (let r = 0; r < this.n; r++) {
      const t = this.trueNik[r] as string;
      if (!index.has(t)) keep.push(t);
    }
    this.allNiks.clear();
    for (const t of keep) this.allNiks.add(t);
  }

  count(key: string, by = 1): void {
    this.stats[key] = (this.stats[key] ?? 0) + by;
  }
}

interface Member {
  sex: Sex;
  birth: number;
  rel: number;
  name: string;
  mother: string;
}

function ageAt(birth: number, ref: number): number {
  return Math.floor((ref - birth) / 365.25);
}

function birthForAge(rng: Rng, age: number, ref: number): number {
  // A day within the year of life `age` before ref.
  return ref - Math.floor(age * 365.25) - rng.int(365) - 1;
}

function olderMotherName(rng: Rng): string {
  if (rng.chance(0.4)) return rng.pick(FEMALE_SINGLE);
  const a = rng.pick(FEMALE_FIRST);
  let b = rng.pick(FEMALE_SECOND);
  if (b === a) b = rng.pick(FEMALE_SECOND);
  return `${a} ${b}`;
}

/** Builds the population: households, members, NIKs, then the DTKS defects. */
export function buildPopulation(regions: JambiRegions, opts: PopulationOptions): Population {
  const pop = new Population(regions, opts);
  const rng = new Rng(opts.seed, 'population');
  const ref = opts.refDay;
  const H = opts.households;

  // Domicile villages, households sorted by village (DTKS exports come ordered by region).
  const regWeights = regions.regencies.map((r) => r.weight);
  const villages = new Int32Array(H);
  for (let h = 0; h < H; h++) {
    const reg = regions.regencies[rng.weighted(regWeights)] as JambiRegions['regencies'][number];
    villages[h] = rng.pick(reg.villages);
  }
  villages.sort();

  const ids = new Set<number>();
  const names = new Interner();
  const serialsUsed = pop.allNiks;

  const makeNik = (prefix6: string, dateDays: number, female: boolean): string => nikWithHead(prefix6 + nikDateDigits(dateDays, female));

  /** A unique NIK starting with the 12-digit `head`, with `preferSerial` when it is free. */
  const nikWithHead = (head: string, preferSerial?: number): string => {
    if (preferSerial !== undefined && preferSerial >= 1 && preferSerial <= 9999) {
      const nik = flat(head + String(preferSerial).padStart(4, '0'));
      if (!serialsUsed.has(nik)) {
        serialsUsed.add(nik);
        return nik;
      }
    }
    for (;;) {
      const serial = rng.chance(0.85) ? 1 + rng.int(250) : 1 + rng.int(9999);
      const nik = flat(head + String(serial).padStart(4, '0'));
      if (!serialsUsed.has(nik)) {
        serialsUsed.add(nik);
        return nik;
      }
    }
  };

  const registrationKecamatan = (villageIdx: number): string => {
    const v = regions.villages[villageIdx] as JambiRegions['villages'][number];
    const x = rng.float();
    if (x < 0.94) return (regions.kecamatan[v.kecamatan] as { code: string }).code;
    if (x < 0.99) return (rng.pick(regions.kecamatan) as { code: string }).code;
    pop.count('dtks_nik_old_region');
    // Kota Sungai Penuh split from Kerinci in 2008: older residents keep 1501xx NIKs.
    if ((regions.regencies[v.regency] as { code: string }).code === '1572' && regions.kerinciSplitKecamatan.length > 0) {
      return rng.pick(regions.kerinciSplitKecamatan);
    }
    // Elsewhere: people first registered in a region since renumbered (old Papua codes), or in the
    // Kerinci kecamatan that went to Sungai Penuh (an unknown code today).
    if (regions.retiredKecamatan.length > 0 && (rng.chance(0.7) || regions.kerinciSplitKecamatan.length === 0)) return rng.pick(regions.retiredKecamatan);
    return regions.kerinciSplitKecamatan.length > 0 ? rng.pick(regions.kerinciSplitKecamatan) : (regions.kecamatan[v.kecamatan] as { code: string }).code;
  };

  /** The date a NIK encodes: usually the birth date, for ~2 % an earlier, uncorrected one. */
  const nikDateOf = (birth: number): number => {
    if (!rng.chance(0.02)) return birth;
    const { y, m, d } = civilFromDays(birth);
    for (let i = 0; i < 10; i++) {
      const form = rng.int(4);
      let alt: number;
      if (form === 0) alt = daysFromCivil(y, 1, 1);
      else if (form === 1) alt = daysFromCivil(y, 12, 31);
      else if (form === 2) alt = d <= 12 && m <= daysInMonth(y, d) ? daysFromCivil(y, d, m) : birth + rng.range(1, 40);
      else alt = birth + (rng.chance(0.5) ? -1 : 1) * rng.range(300, 800);
      if (alt !== birth && alt < ref) {
        pop.count('dtks_nik_date_differs');
        return alt;
      }
    }
    return birth;
  };

  const statusFor = (age: number): number => {
    const x = rng.float();
    const pDead = age >= 70 ? 0.07 : age >= 55 ? 0.028 : age >= 35 ? 0.008 : 0.004;
    if (x < pDead) return rng.pickWeighted<number>([[3, 4], [4, 3], [5, 1], [6, 1], [7, 1]]);
    if (x < pDead + 0.003) return rng.range(8, 11);
    return rng.pickWeighted<number>([[0, 90], [1, 6], [2, 4]]);
  };

  const addRow = (h: number, m: Member, nik: string): number => {
    const r = pop.n++;
    pop.rowHh[r] = h;
    pop.nik[r] = nik;
    pop.nikRaw[r] = nik;
    pop.trueNik[r] = nik;
    pop.name[r] = names.intern(m.name);
    pop.sex[r] = m.sex;
    pop.birth[r] = m.birth;
    pop.mother[r] = names.intern(m.mother);
    pop.rel[r] = m.rel;
    pop.status[r] = statusFor(ageAt(m.birth, ref));
    return r;
  };

  const newHousehold = (h: number, village: number): void => {
    let id: number;
    do id = 1_000_000_000 + rng.int(8_999_999_999 - 1_000_000_000); while (ids.has(id));
    ids.add(id);
    pop.hhId[h] = flat(`DTKS15${id}`);
    const v = regions.villages[village] as JambiRegions['villages'][number];
    const kec = (regions.kecamatan[v.kecamatan] as { code: string }).code;
    let kk: string;
    do {
      const issued = daysFromCivil(2005, 1, 1) + rng.int(ref - daysFromCivil(2005, 1, 1));
      kk = kec + nikDateDigits(issued, false) + String(1 + rng.int(9999)).padStart(4, '0');
      kk = flat(kk);
    } while (pop.allKks.has(kk));
    pop.allKks.add(kk);
    pop.hhKk[h] = kk;
    pop.hhKkRaw[h] = kk;
    pop.hhKkValid[h] = 1;
    pop.hhVillage[h] = village;
    const rt = String(1 + rng.int(rng.chance(0.7) ? 12 : 40)).padStart(3, '0');
    const rw = String(1 + rng.int(rng.chance(0.8) ? 6 : 15)).padStart(3, '0');
    const place = `${v.kelurahan ? rng.pick(['KEL.', 'KELURAHAN']) : rng.pick(['DESA', 'DS.'])} ${v.name}`;
    const style = rng.int(5);
    let addr =
      style === 0 ? `RT ${rt} RW ${rw} ${place}`
      : style === 1 ? `RT.${rt.slice(1)}/RW.${rw.slice(1)} ${place}`
      : style === 2 ? `JL. ${rng.pick(['PERINTIS', 'SIMPANG', 'LINTAS', 'KENANGA', 'MELATI', 'SUNGAI', 'PAHLAWAN', 'PADAT KARYA'])} RT ${rt} ${place}`
      : style === 3 ? `DUSUN ${rng.pick(['I', 'II', 'III', 'IV', 'V'])} RT ${rt} ${place}`
      : `RT ${rt} RW ${rw}, ${place}`;
    if (rng.chance(0.001)) {
      // An address typed with a line break inside the cell: the CSV row spans two lines.
      addr = addr.replace(` ${place}`, `\n${place}`);
      pop.count('dtks_multiline_rows');
    }
    pop.hhAddress[h] = flat(addr);
  };

  const membersOf = (): Member[] => {
    const size = 1 + rng.weighted([8, 15, 20, 25, 17, 10, 5]);
    const out: Member[] = [];
    if (size === 1) {
      const sex: Sex = rng.chance(0.62) ? 1 : 0;
      const age = rng.range(30, 88);
      out.push({ sex, birth: birthForAge(rng, age, ref), rel: REL_PENGURUS, name: personName(rng, sex, age), mother: olderMotherName(rng) });
      return out;
    }
    let motherAge: number | null = null;
    let motherName: string | null = null;
    if (rng.chance(0.85)) {
      const hAge = 22 + Math.floor(Math.pow(rng.float(), 1.3) * 53);
      const wAge = Math.max(19, hAge - rng.int(11) + (rng.chance(0.15) ? rng.int(4) : 0));
      const husband: Member = { sex: 0, birth: birthForAge(rng, hAge, ref), rel: REL_SUAMI, name: personName(rng, 0, hAge), mother: olderMotherName(rng) };
      const wife: Member = { sex: 1, birth: birthForAge(rng, wAge, ref), rel: REL_ISTRI, name: personName(rng, 1, wAge), mother: olderMotherName(rng) };
      // PKH and Sembako name the mother as caretaker (pengurus) in most families.
      if (rng.chance(0.7)) {
        wife.rel = REL_PENGURUS;
        out.push(wife, husband);
      } else {
        husband.rel = REL_PENGURUS;
        out.push(husband, wife);
      }
      motherAge = wAge;
      motherName = wife.name;
    } else {
      const sex: Sex = rng.chance(0.8) ? 1 : 0;
      const age = rng.range(26, 70);
      const parent: Member = { sex, birth: birthForAge(rng, age, ref), rel: REL_PENGURUS, name: personName(rng, sex, age), mother: olderMotherName(rng) };
      out.push(parent);
      motherAge = sex === 1 ? age : age - rng.int(6);
      motherName = sex === 1 ? parent.name : olderMotherName(rng);
    }
    if (size >= 4 && rng.chance(0.2) && motherAge < 62) {
      const sex: Sex = rng.chance(0.65) ? 1 : 0;
      const age = Math.min(96, motherAge + rng.range(22, 34));
      out.push({ sex, birth: birthForAge(rng, age, ref), rel: REL_ORTU, name: personName(rng, sex, age), mother: olderMotherName(rng) });
    }
    const children: Member[] = [];
    while (out.length + children.length < size) {
      const atBirth = rng.range(18, 44);
      const age = motherAge - atBirth;
      if (age < 0) {
        if (motherAge < 18) break;
        continue;
      }
      const sex: Sex = rng.chance(0.5) ? 1 : 0;
      children.push({ sex, birth: age === 0 ? ref - 1 - rng.int(300) : birthForAge(rng, age, ref), rel: REL_ANAK, name: personName(rng, sex, age), mother: motherName ?? olderMotherName(rng) });
    }
    children.sort((a, b) => a.birth - b.birth);
    for (const c of children) out.push(c);
    return out;
  };

  const titled = (m: Member): string => {
    const age = ageAt(m.birth, ref);
    if (age >= 45 && rng.chance(0.02)) return `${m.sex === 0 ? 'H.' : 'HJ.'} ${m.name}`;
    return m.name;
  };

  let h = 0;
  while (h < H) {
    const village = villages[h] as number;
    newHousehold(h, village);
    pop.hhFirst[h] = pop.n;
    const members = membersOf();
    let caretakerRow = -1;
    for (const m of members) {
      m.name = titled(m);
      const nikDate = nikDateOf(m.birth);
      const r = addRow(h, m, makeNik(registrationKecamatan(village), nikDate, m.sex === 1));
      if (caretakerRow < 0) caretakerRow = r;
    }
    pop.hhSize[h] = members.length;
    h++;
    // Hard case: a neighbouring household whose caretaker was born the same day, registered in
    // the same kecamatan on the same date (NIKs one serial apart), with a similar name.
    if (h < H && rng.chance(0.004)) {
      const src = caretakerRow;
      newHousehold(h, village);
      pop.hhFirst[h] = pop.n;
      const sex = pop.sex[src] as Sex;
      const srcName = pop.name[src] as string;
      let twinName = similarName(rng, srcName, sex);
      let matching = false;
      if (rng.chance(0.3)) {
        const spelled = nameVariant(rng, srcName, sex, ['typo', 'double', 'join']);
        if (spelled !== srcName) {
          twinName = spelled;
          matching = true;
        }
      }
      pop.count(matching ? 'dtks_twin_matching_names' : 'dtks_twin_similar_names');
      const srcNik = pop.nik[src] as string;
      const serial = Number(srcNik.slice(12));
      const nik = nikWithHead(srcNik.slice(0, 12), serial + (serial < 9999 ? 1 : -1));
      const members2 = membersOf();
      const care = members2[0] as Member;
      care.sex = sex;
      care.birth = pop.birth[src] as number;
      care.name = twinName;
      pop.hhSize[h] = members2.length;
      pop.twin[src] = 1;
      members2.forEach((m, i) => {
        if (i === 0) pop.twin[addRow(h, m, nik)] = 1;
        else addRow(h, m, makeNik(registrationKecamatan(village), nikDateOf(m.birth), m.sex === 1));
      });
      h++;
    }
  }
  pop.count('households', H);
  pop.count('persons', pop.n);

  applyDtksDefects(pop, new Rng(opts.seed, 'dtks-defects'), names);
  return pop;
}

/** DTKS duplicates (same person twice, or one NIK for two people), invalid NIKs, raw variants, bad No. KK. */
function applyDtksDefects(pop: Population, rng: Rng, names: Interner): void {
  const base = pop.n;
  const provinces = pop.regions.provinces;
  for (let r = 0; r < base; r++) {
    if (pop.dup[r] || !rng.chance(0.005)) continue;
    const h = pop.rowHh[r] as number;
    if (rng.chance(0.8)) {
      // The same person entered twice: in the same household, or again in another one.
      const target = rng.chance(0.4) ? h : rng.int(pop.hhCount);
      const c = pop.n++;
      pop.rowHh[c] = target;
      pop.nik[c] = pop.nik[r] as string;
      pop.nikRaw[c] = rng.chance(0.2) ? cosmeticVariant(rng, pop.nik[r] as string) : (pop.nik[r] as string);
      pop.trueNik[c] = pop.nik[r] as string;
      pop.name[c] = rng.chance(0.6) ? (pop.name[r] as string) : names.intern(nameVariant(rng, pop.name[r] as string, pop.sex[r] as Sex, ['typo', 'double', 'muh', 'st', 'title', 'space', 'spelling']).toUpperCase());
      pop.sex[c] = pop.sex[r] as number;
      pop.birth[c] = pop.birth[r] as number;
      pop.mother[c] = pop.mother[r] as string;
      pop.status[c] = pop.status[r] as number;
      pop.rel[c] = target === h ? (pop.rel[r] as number) : REL_FAMILI;
      pop.copyOf[c] = r;
      pop.dup[r] = 1;
      pop.dup[c] = 1;
      const list = pop.hhExtra.get(target);
      if (list) list.push(c);
      else pop.hhExtra.set(target, [c]);
      pop.count('dtks_dup_same_person_planned');
    } else {
      // One NIK recorded for two different people in two households.
      for (let i = 0; i < 20; i++) {
        const b = rng.int(base);
        if (b === r || pop.dup[b] || pop.rowHh[b] === h) continue;
        pop.nik[b] = pop.nik[r] as string;
        pop.nikRaw[b] = pop.nik[r] as string;
        pop.trueNik[b] = pop.nik[r] as string;
        pop.dup[r] = 1;
        pop.dup[b] = 1;
        pop.count('dtks_dup_different_person_planned');
        break;
      }
    }
  }
  for (let r = 0; r < base; r++) {
    if (pop.dup[r]) continue;
    const x = rng.float();
    if (x < 0.01) {
      const kind = rng.pickWeighted<InvalidKind>([['EMPTY', 35], ['EXCEL_SCIENTIFIC', 20], ['LENGTH', 25], ['PROVINCE', 5], ['BIRTHDATE', 10], ['SERIAL', 5]]);
      const v = invalidVariant(rng, pop.nik[r] as string, kind, provinces, true);
      pop.nikRaw[r] = v.raw;
      pop.nik[r] = '';
      pop.nikInvalid[r] = 1 + INVALID_KINDS.indexOf(kind);
    } else if (x < 0.02) {
      pop.nikRaw[r] = cosmeticVariant(rng, pop.nik[r] as string);
    }
  }
  for (let h = 0; h < pop.hhCount; h++) {
    const x = rng.float();
    const kk = pop.hhKk[h] as string;
    if (x < 0.003) {
      pop.hhKkRaw[h] = `${kk.charAt(0)},${kk.slice(1, 6)}E+15`;
      pop.hhKkValid[h] = 0;
      pop.count('dtks_kk_invalid_households');
    } else if (x < 0.01) {
      pop.hhKkRaw[h] = rng.pick([`'${kk}`, `${kk.slice(0, 6)} ${kk.slice(6, 12)} ${kk.slice(12)}`, `${kk}.0`]);
    }
  }
  // Sanity: every recorded valid NIK is structurally valid (generated that way).
  for (let r = 0; r < pop.n; r++) {
    if (pop.nikInvalid[r] === 0 && !isValidNik(pop.nik[r] as string, provinces)) {
      throw new Error(`generator bug: DTKS row ${r} has invalid NIK ${pop.nik[r]} (${isoOfDays(pop.birth[r] as number)}, plausible=${nikDatePlausible(pop.nik[r] as string)})`);
    }
  }
}
