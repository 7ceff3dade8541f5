import { CHECKS, WARNINGS } from '@padan/contracts';
import type { Check, Warning } from '@padan/contracts';

/** What the summary needs of a clean record: its regency, warnings and the checks not done. */
export interface CleanInfo {
  readonly regency: string | null;
  readonly warnings: readonly Warning[];
  readonly notChecked: readonly Check[];
}

const WARNING_BIT = new Map<string, number>(WARNINGS.map((w, i) => [w, 1 << i]));
const CHECK_BIT = new Map<string, number>(CHECKS.map((c, i) => [c, 1 << i]));
/** Both catalogs' bits side by side in one small integer: a numeric profile key is regency id × this + bits. */
const BITS_SPAN = 2 ** (WARNINGS.length + CHECKS.length);

/**
 * The distinct CleanInfo values seen, each under a small id (from 1), so that report keeps a clean
 * record as that id instead of a spilled entry: clean records are most of a period and are only
 * counted, and a period holds few distinct profiles (a few hundred regencies times the warnings
 * and checks that occur together). Ids never change meaning, so counts taken at one instant can be
 * read back later.
 */
export class CleanProfiles {
  private readonly regencyIds = new Map<string | null, number>();
  /** Regency id + 1 by the value of a 4-digit code (0: not seen yet). */
  private readonly byCode = new Int32Array(10_000);
  private readonly ids = new Map<number | string, number>();
  /** By id; index 0 is unused (0 means "no clean result" in RowAccounting). */
  private readonly infos: CleanInfo[] = [{ regency: null, warnings: [], notChecked: [] }];

  /** The id of a clean result's profile, interned on first sight. */
  idOf(regency: string | null, warnings: readonly Warning[], notChecked: readonly Check[]): number {
    const key = profileKey(this.regencyId(regency), warnings, notChecked);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.infos.length;
      this.infos.push({ regency, warnings: warnings.slice(), notChecked: notChecked.slice() });
      this.ids.set(key, id);
    }
    return id;
  }

  /**
   * A regency's id. A Kemendagri regency code is 4 digits: those are looked up in a table by
   * their value, with no string hashing (this runs once per clean result, most of a period); any
   * other text through a map.
   */
  private regencyId(regency: string | null): number {
    const code = regency === null ? -1 : fourDigits(regency);
    if (code >= 0) {
      const known = this.byCode[code] as number;
      if (known !== 0) return known - 1;
    }
    let id = this.regencyIds.get(regency);
    if (id === undefined) {
      this.regencyIds.set(regency, (id = this.regencyIds.size));
      if (code >= 0) this.byCode[code] = id + 1;
    }
    return id;
  }

  info(id: number): CleanInfo {
    const info = this.infos[id];
    if (id === 0 || info === undefined) throw new Error(`clean profile ${id} does not exist (ids come from idOf)`);
    return info;
  }

  /** Distinct profiles seen. */
  get size(): number {
    return this.infos.length - 1;
  }
}

/**
 * A number when each warning and check occurs at most once (what match writes), so the common
 * case interns without building a string; a string otherwise, so a repeated code still counts as
 * often as it is written, as the summary counted it from the result itself.
 */
function profileKey(regencyId: number, warnings: readonly Warning[], notChecked: readonly Check[]): number | string {
  let bits = 0;
  for (const w of warnings) {
    const b = WARNING_BIT.get(w) ?? 0;
    if (b === 0 || (bits & b) !== 0) return slowKey(regencyId, warnings, notChecked);
    bits |= b;
  }
  for (const c of notChecked) {
    const b = (CHECK_BIT.get(c) ?? 0) << WARNINGS.length;
    if (b === 0 || (bits & b) !== 0) return slowKey(regencyId, warnings, notChecked);
    bits |= b;
  }
  return regencyId * BITS_SPAN + bits;
}

/** The value of a 4-digit text, else -1. */
function fourDigits(s: string): number {
  if (s.length !== 4) return -1;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function slowKey(regencyId: number, warnings: readonly Warning[], notChecked: readonly Check[]): string {
  return `${regencyId}|${warnings.slice().sort().join(',')}|${notChecked.slice().sort().join(',')}`;
}
