import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nameKey } from './name-key.js';
import { NAME_MATCH_RULE, namesMatch } from './name-match.js';

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

interface Pair {
  a: string;
  b: string;
  same: boolean;
  why: string;
}

function loadPairs(): Pair[] {
  const source = readFileSync(new URL('./__fixtures__/name-pairs.csv', import.meta.url), 'utf8');
  const [header, ...rows] = parseCsv(source);
  expect(header).toEqual(['a', 'b', 'same', 'why']);
  return rows.map((r, i) => {
    const [a, b, same, why] = r;
    if (r.length !== 4 || a === undefined || b === undefined || why === undefined) {
      throw new Error(`name-pairs.csv row ${i + 2}: expected 4 fields, found ${r.length}`);
    }
    if (same !== 'yes' && same !== 'no') {
      throw new Error(`name-pairs.csv row ${i + 2}, column same: expected yes or no`);
    }
    return { a, b, same: same === 'yes', why };
  });
}

const pairs = loadPairs();

function match(a: string, b: string): boolean {
  return namesMatch(nameKey(a), nameKey(b));
}

describe('parseCsv', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi"""\r\nz,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['z', ''],
    ]);
  });
});

describe('name-pairs.csv', () => {
  it('has both kinds of pairs, and the quoted rows', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(30);
    expect(pairs.some((p) => p.same)).toBe(true);
    expect(pairs.some((p) => !p.same)).toBe(true);
    expect(pairs.some((p) => p.b === 'ERNAWATI, S.E., M.M.')).toBe(true);
  });

  it('keys every fixture name idempotently', () => {
    for (const { a, b } of pairs) {
      for (const name of [a, b]) expect(nameKey(nameKey(name)), name).toBe(nameKey(name));
    }
  });

  describe.each(pairs)('$a / $b ($why)', ({ a, b, same, why }) => {
    it(`${same ? 'match' : 'no match'}: ${why} (a, b)`, () => {
      expect(match(a, b)).toBe(same);
    });
    it(`${same ? 'match' : 'no match'}: ${why} (b, a)`, () => {
      expect(match(b, a)).toBe(same);
    });
  });
});

/** Each row is checked in both directions. */
function expectMatch(a: string, b: string, same: boolean): void {
  expect(match(a, b), `${a} / ${b}`).toBe(same);
  expect(match(b, a), `${b} / ${a}`).toBe(same);
}

describe('namesMatch: edge cases', () => {
  it('never matches an empty key, not even another empty one', () => {
    expect(namesMatch('', '')).toBe(false);
    expect(namesMatch('', 'RUSLI')).toBe(false);
    expect(namesMatch('RUSLI', '')).toBe(false);
    expectMatch('', '', false);
    expectMatch('H.', 'HJ.', false); // titles only
    expectMatch('S.PD', 'RUSLI', false);
    expectMatch('  ', ' ', false);
  });

  it('matches identical single names, not different ones', () => {
    expectMatch('ROSNAH', 'ROSNAH', true);
    expectMatch('ROSNAH', 'ROSMAH', true); // one letter in a word of 6
    expectMatch('ROSNAH', 'ROSNAH ISMAIL', false);
  });

  it('expands abbreviations', () => {
    expectMatch('M. YUSUF', 'MUHAMMAD YUSUF', true);
    expectMatch('MUH. YUSUF', 'MOHAMMAD YUSUF', true);
    expectMatch('H. M. YUSUF, S.PD', 'MUHAMMAD YUSUF', true);
    expectMatch('ST. AMINAH', 'SITI AMINAH', true);
    expectMatch('ST AMINAH', 'SITI AMINAH', true);
    expectMatch('ABDUL M. YUSUF', 'ABDUL MUHAMMAD YUSUF', false); // only at the start
  });

  it('ignores titles, degrees, case, accents, width and spacing', () => {
    expectMatch('HJ. SITI AMINAH, S.PD', 'SITI AMINAH', true);
    expectMatch('Hj. Siti  Aminah S.Pd.I', 'SITI AMINAH', true);
    expectMatch('JOSÉ', 'JOSE', true);
    expectMatch('ＳＩＴＩ　ＡＭＩＮＡＨ', 'SITI AMINAH', true);
    expectMatch('  SITI    AMINAH  ', 'SITI AMINAH', true);
  });

  it("handles the father's name", () => {
    expectMatch('MUHAMMAD YUSUF BIN ISMAIL', 'MUHAMMAD YUSUF BIN ISMAIL', true);
    expectMatch('MUHAMMAD YUSUF BIN ISMAIL', 'MUHAMMAD YUSUF BIN ABDULLAH', false); // different fathers
    expectMatch('FATIMAH BINTI ABDULLAH', 'FATIMAH BIN ABDULLAH', false);
    expectMatch('FATIMAH BT. ABDULLAH', 'FATIMAH BINTI ABDULLAH', true);
    expectMatch('FATIMAH BT. H. ABDULLAH', 'FATIMAH BINTI ABDULLAH', true);
    expectMatch('YUSUF BIN M. ISMAIL', 'YUSUF BIN MUHAMMAD ISMAIL', true);
    expectMatch('YUSUF BIN ISMAIL', 'YUSUF BIN ISMAEL', true); // the one edit, in the father's name
    expectMatch('YUSUF BIN ISMAIL', 'YUSUP', true); // father dropped, then final F/P
    expectMatch('SITI BINTI YUSUF', 'SITI AMINAH', false); // dropped part is not replaced by a guess
    expectMatch('SITI AMINAH BINTI YUSUF', 'SITI AMINA', true);
    expectMatch('BINTANG SAPUTRA', 'BINTANG', false); // BINTANG is not BINTI
  });

  it('collapses doubled letters, also across a joined compound', () => {
    expectMatch('HASSAN', 'HASAN', true);
    expectMatch('ANNA', 'ANA', true);
    expectMatch('NUR HAYATI', 'NURHAYATI', true);
    expectMatch('NUR RAHMAN', 'NURAHMAN', true);
    expectMatch('SRI WAHYUNI', 'SRIWAHYUNI', true);
    expectMatch('NUR HAYATI', 'NURHAYATY', false); // joined and edited: two differences
  });

  it('allows one edit in the whole name, not two', () => {
    expectMatch('SUPARMAN HIDAYAT', 'SUPARMEN HIDAYAT', true);
    expectMatch('SUPARMAN HIDAYAT', 'SUPARMEN HIDAYAD', false);
    expectMatch('SUPARMAN', 'SUPRAMAN', true); // swap of adjacent letters
    expectMatch('BAHARUDDIN', 'BAHARUDIN', true);
    expectMatch('BAHARUDDIN SUPARMAN', 'BAHARUDIN SUPARMEN', true); // doubling is free
    expectMatch('NURHAYATI', 'NURHAYTI', true); // deletion
    expectMatch('NURHAYATI', 'NURHAYAATI', true); // a doubled letter, collapsed
    expectMatch('NURHAYATI', 'NURHAIYATI', true); // insertion
  });

  // Regression (issue 8): collapsing doubled letters turned one typo into two. HIDAYAT typed
  // HIDAAAT collapses to HIDAT, two letters short of HIDAYAT, so the pair was a NAME_MISMATCH;
  // likewise a letter dropped between two equal letters (KARTINI typed KARTII collapses to KARTI).
  it('keeps a typo that lands beside the same letter one edit', () => {
    expectMatch('HIDAYAT', 'HIDAAAT', true); // Y typed A between two As
    expectMatch('KARTINI', 'KARTIII', true); // N typed I between two Is, at the end
    expectMatch('KARTINI', 'KARTII', true); // N dropped between two Is
    expectMatch('HIDAYAT', 'HIDAAT', true); // Y dropped between two As
    expectMatch('RAHAYU', 'RAAAYU', true); // RAYU once collapsed, but RAHAYU has 6 letters
    expectMatch('ANANDA', 'AANNDA', true); // N and A swapped: ANAN → AANN
    expectMatch('NUR HIDAYAT', 'NUR HIDAAAT', true);
    expectMatch('NURHIDAYAT', 'NUR HIDAAAT', false); // joined and edited: two differences
    expectMatch('HIDDAYAT', 'HIDAAAT', true); // doubling is free here too
    // A repeated pair: KABABAN less two letters is KABAN at three places; the doubled B marks one.
    expectMatch('KABABAN', 'KABBBAN', true);
    expectMatch('KABABAN', 'KABAAN', true);
  });

  it('keeps every such typo one edit, and the same letters missing without a trace two', () => {
    const names = ['HIDAYAT', 'KARTINI', 'NURHAYATI', 'SUSILAWATI', 'MUNAWAROH', 'ROHANAH', 'JUNAIDI', 'SETIAWATI', 'SUPARMAN', 'SALAMAH'];
    let cases = 0;
    for (const name of names) {
      // Interior letters between two equal letters, the last letter excluded (its own rules apply).
      for (let i = 1; i + 1 < name.length; i++) {
        const c = name[i - 1] as string;
        if (name[i + 1] !== c || name[i] === c) continue;
        const typed = name.slice(0, i) + c + name.slice(i + 1); // HIDAYAT → HIDAAAT
        const dropped = name.slice(0, i) + name.slice(i + 1); // HIDAYAT → HIDAAT
        const missing = name.slice(0, i) + name.slice(i + 2); // HIDAYAT → HIDAT
        expectMatch(name, typed, true);
        expectMatch(name, dropped, true);
        expectMatch(name, missing, false);
        cases++;
      }
    }
    expect(cases).toBeGreaterThanOrEqual(10);
  });

  it('keeps names that differ by two letters apart when nothing was doubled', () => {
    expectMatch('HIDAYAT', 'HIDAT', false);
    expectMatch('KARTINI', 'KARTI', false);
    expectMatch('YULIANA', 'YULIA', false);
    expectMatch('MARIANA', 'MARIA', false);
    expectMatch('RAHAYU', 'RAYU', false);
    expectMatch('SUPARMAN HIDAYAT', 'SUPARMEN HIDAAAT', false); // two edits in the name
    expectMatch('HIDAYAT', 'HIDAAAD', false); // the typo and a final D: two edits
    expectMatch('RINI', 'RIII', false); // too short
  });

  it('allows no edit in words shorter than 5 letters', () => {
    expectMatch('ANI', 'ANA', false);
    expectMatch('YANI', 'YANTI', false);
    expectMatch('SITI AMINAH', 'SITU AMINAH', false);
  });

  it('never edits the first letter of a word', () => {
    expectMatch('HARYANTO', 'SARYANTO', false);
    expectMatch('HASANUDIN', 'ASANUDIN', false);
    expectMatch('SUPARMAN', 'USPARMAN', false);
  });

  it('edits the last letter only for a spelling variant', () => {
    expectMatch('NURHAYATI', 'NURHAYATY', true);
    expectMatch('AHMAD SUPRIADI', 'AHMAT SUPRIADI', true);
    expectMatch('YUSUF', 'YUSUP', true);
    expectMatch('TAUFIK', 'TAUFIQ', true);
    expectMatch('FAIRUS', 'FAIRUZ', true);
    expectMatch('FATIMA', 'FATIMAH', true);
    expectMatch('RAHMAN', 'RAHMAT', false);
    expectMatch('SUPARMAN', 'SUPARMAM', false);
    expectMatch('SUSANTI', 'SUSANIT', false); // swap that moves the last letter
  });

  it('keeps male and female forms apart', () => {
    expectMatch('JUNAIDI', 'JUNAIDA', false);
    expectMatch('JUNAIDI', 'JUNAIDAH', false);
    expectMatch('PUTRA', 'PUTRI', false);
    expectMatch('EKO SAPUTRA', 'EKO SAPUTRI', false);
    expectMatch('SUMARNO', 'SUMARNI', false);
    expectMatch('HARYANTO', 'HARYANTI', false);
    expectMatch('MARIO', 'MARIA', false);
    expectMatch('KARIM', 'KARIMA', false);
    expectMatch('FAUZI', 'FAUZIA', false);
    expectMatch('MULYADI', 'MULYATI', false);
    expectMatch('SUPRIYADI', 'SUPRIYATI', false);
    expectMatch('KURNIAWAN', 'KURNIAWATI', false);
  });

  it('states its rule in one paragraph', () => {
    expect(NAME_MATCH_RULE).not.toContain('\n');
    expect(NAME_MATCH_RULE.length).toBeGreaterThan(200);
  });
});
