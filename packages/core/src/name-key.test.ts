import { describe, expect, it } from 'vitest';
import { MUHAMMAD_SPELLINGS, nameKey } from './name-key.js';

describe('nameKey: case, accents, punctuation, spacing', () => {
  it.each([
    ['Siti Aminah', 'SITI AMINAH'],
    ['  SITI   AMINAH.  ', 'SITI AMINAH'],
    ['siti\taminah\n', 'SITI AMINAH'],
    ['JOSÉ', 'JOSE'],
    ['Nurhayatì', 'NURHAYATI'],
    ['ＳＩＴＩ　ＡＭＩＮＡＨ', 'SITI AMINAH'], // full-width letters and ideographic space
    ['SITI\u00a0AMINAH', 'SITI AMINAH'], // no-break space
    ['SI\u00adTI AMINAH', 'SITI AMINAH'], // soft hyphen
    ['SITI-AMINAH', 'SITI AMINAH'],
    ['SITI (AMINAH)', 'SITI AMINAH'],
    ["MA'RUF", 'MARUF'], // apostrophe deleted, not a word break
    ['MA’RUF AMIN', 'MARUF AMIN'],
    ['...', ''],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });
});

describe('nameKey: degrees after a comma', () => {
  it.each([
    ['NURHAYATI, S.PD', 'NURHAYATI'],
    ['ERNAWATI, S.E., M.M.', 'ERNAWATI'],
    ['Muhammad Yusuf, S.Pd', 'MUHAMMAD YUSUF'],
    ['HJ. SITI AMINAH, S.PD', 'SITI AMINAH'],
    [', S.PD', ''],
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });
});

describe('nameKey: leading titles', () => {
  it.each([
    ['H. RUSLI', 'RUSLI'],
    ['H RUSLI', 'RUSLI'],
    ['HJ. SITI AMINAH', 'SITI AMINAH'],
    ['HJ.SITI AMINAH', 'SITI AMINAH'], // no space after the dot
    ['HAJI RUSLI', 'RUSLI'],
    ['HAJJAH FATIMAH', 'FATIMAH'],
    ['DRS. ZULKIFLI HASAN', 'ZULKIFLI HASAN'],
    ['DRA. SRI WAHYUNI', 'SRI WAHYUNI'],
    ['DR. IR. H. BUDI SANTOSO', 'BUDI SANTOSO'],
    ['PROF. DR. AHMAD', 'AHMAD'],
    ['KH. AHMAD DAHLAN', 'AHMAD DAHLAN'],
    ['USTADZ ABDUL SOMAD', 'ABDUL SOMAD'],
    ['NY. SITI AMINAH', 'SITI AMINAH'],
    ['NY. HJ. SITI AMINAH', 'SITI AMINAH'],
    ['ALM. H. RUSLI', 'RUSLI'],
    ['IBU SITI AMINAH', 'SITI AMINAH'],
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });

  it('keeps title words that are not at the start', () => {
    expect(nameKey('RUSLI H')).toBe('RUSLI H');
    expect(nameKey('ABDUL HAJI')).toBe('ABDUL HAJI');
  });

  it.each(['H.', 'HJ.', 'DRS.', 'PROF. DR. H.', 'NY.', 'H', 'S.PD', 'HJ., S.PD'])(
    'titles and degrees only: %j → empty',
    (raw) => {
      expect(nameKey(raw)).toBe('');
    },
  );
});

describe('nameKey: trailing degrees without a comma', () => {
  it.each([
    ['NURHAYATI S.PD', 'NURHAYATI'],
    ['NURHAYATI S.Pd.I', 'NURHAYATI'],
    ['ERNAWATI S.E. M.M.', 'ERNAWATI'],
    ['BUDI A.MD', 'BUDI'],
    ['BUDI A.Md.Keb', 'BUDI'],
    ['BUDI SANTOSO SE', 'BUDI SANTOSO'],
    ['BUDI SANTOSO SE MM', 'BUDI SANTOSO'],
    ['BUDI SANTOSO S. PD', 'BUDI SANTOSO'], // a degree split by a space
    ['H. RUSLI SH', 'RUSLI'],
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });

  it('keeps degree-like words inside a name (not in degree position)', () => {
    expect(nameKey('SE MARIA')).toBe('SE MARIA');
    expect(nameKey('BUDI SE SANTOSO')).toBe('BUDI SE SANTOSO');
    expect(nameKey('MM RAHMAN')).toBe('MM RAHMAN');
  });

  it('keeps a bare degree-like word that is the whole name', () => {
    expect(nameKey('SE')).toBe('SE');
    expect(nameKey('H. SE')).toBe(''); // SE ends a two-token name (degree), then H. is a title
  });

  it('does not mistake dotted initials at the start for a degree', () => {
    // M.H. could be Magister Hukum, but at the start it is Muhammad H.
    expect(nameKey('M.H. THAMRIN')).toBe('MUHAMMAD H THAMRIN');
  });
});

describe('nameKey: MUHAMMAD and SITI at the start', () => {
  it.each([
    ['M. YUSUF', 'MUHAMMAD YUSUF'],
    ['M YUSUF', 'MUHAMMAD YUSUF'],
    ['M.YUSUF', 'MUHAMMAD YUSUF'],
    ['MUH YUSUF', 'MUHAMMAD YUSUF'],
    ['MUH. YUSUF', 'MUHAMMAD YUSUF'],
    ['MOH. YUSUF', 'MUHAMMAD YUSUF'],
    ['MOH YUSUF', 'MUHAMMAD YUSUF'],
    ['MHD YUSUF', 'MUHAMMAD YUSUF'],
    ['MUHD. YUSUF', 'MUHAMMAD YUSUF'],
    ['MOCH. YUSUF', 'MUHAMMAD YUSUF'],
    ['MOCH YUSUF', 'MUHAMMAD YUSUF'],
    ['H. M. YUSUF', 'MUHAMMAD YUSUF'],
    ['H.M.YUSUF', 'MUHAMMAD YUSUF'],
    ['ST. AMINAH', 'SITI AMINAH'],
    ['ST AMINAH', 'SITI AMINAH'],
    ['HJ. ST. AMINAH', 'SITI AMINAH'],
    ['ST.', 'SITI'], // the dot marks the abbreviation
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });

  it('expands only at the start of the name', () => {
    expect(nameKey('ABDUL M. YUSUF')).toBe('ABDUL M YUSUF');
    expect(nameKey('NUR ST AMINAH')).toBe('NUR ST AMINAH');
    expect(nameKey('AMINAH ST')).toBe('AMINAH'); // at the end, ST is a degree (S.T.)
  });

  it('leaves a lone undotted abbreviation alone', () => {
    expect(nameKey('M')).toBe('M');
    expect(nameKey('ST')).toBe('ST');
    expect(nameKey('MUH')).toBe('MUH');
  });
});

describe('nameKey: spellings of MUHAMMAD anywhere', () => {
  it.each([
    'MUHAMAD', 'MOHAMMAD', 'MOHAMAD', 'MOHAMMED', 'MUHAMMED', 'MUHAMMAT', 'MUHAMAT', 'MOCHAMMAD',
  ])('%s → MUHAMMAD, at the start and further on', (spelling) => {
    expect(nameKey(`${spelling} YUSUF`)).toBe('MUHAMMAD YUSUF');
    expect(nameKey(`ABDUL ${spelling}`)).toBe('ABDUL MUHAMMAD');
  });

  it('does not touch words that merely contain it', () => {
    expect(nameKey('MUHAMMADIYAH')).toBe('MUHAMMADIYAH');
  });
});

describe('nameKey: BIN / BINTI', () => {
  it.each([
    ['MUHAMMAD YUSUF BIN ISMAIL', 'MUHAMMAD YUSUF BIN ISMAIL'],
    ['FATIMAH BINTI ABDULLAH', 'FATIMAH BINTI ABDULLAH'],
    ['FATIMAH BT ABDULLAH', 'FATIMAH BINTI ABDULLAH'],
    ['FATIMAH BT. ABDULLAH', 'FATIMAH BINTI ABDULLAH'],
    ['YUSUF B. ISMAIL', 'YUSUF BIN ISMAIL'],
    ['FATIMAH BINTI H. ABDULLAH', 'FATIMAH BINTI ABDULLAH'], // title at the start of the father's name
    ['YUSUF BIN M. ISMAIL', 'YUSUF BIN MUHAMMAD ISMAIL'],
    ['YUSUF BIN MOH ISMAIL', 'YUSUF BIN MUHAMMAD ISMAIL'],
    ['FATIMAH BT. H. ABDULLAH, S.PD', 'FATIMAH BINTI ABDULLAH'],
  ])('%j → %j', (raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });

  it('is conservative with B. and BT', () => {
    expect(nameKey('YUSUF B ISMAIL')).toBe('YUSUF B ISMAIL'); // no dot: an initial
    expect(nameKey('YUSUF B. I')).toBe('YUSUF B I'); // followed by an initial only
    expect(nameKey('YUSUF B.')).toBe('YUSUF B'); // nothing follows
    expect(nameKey('BT. ABDULLAH')).toBe('BT ABDULLAH'); // first word
    expect(nameKey('FATIMAH BT')).toBe('FATIMAH BT');
  });
});

describe('nameKey: the variants of one person (DOMAIN notes)', () => {
  it.each(['MUHAMMAD YUSUF', 'M. YUSUF', 'MUH YUSUF', 'H. MUHAMMAD YUSUF', 'Muhammad Yusuf, S.Pd'])(
    '%j → MUHAMMAD YUSUF',
    (raw) => {
      expect(nameKey(raw)).toBe('MUHAMMAD YUSUF');
    },
  );
});

describe('nameKey: idempotent', () => {
  it.each([
    'Hj. Siti Aminah, S.Pd', 'H. M. YUSUF', 'M.H. THAMRIN', 'ST. AMINAH', 'NUR ST. SE',
    'FATIMAH BT. H. ABDULLAH', 'YUSUF BIN M', 'YUSUF B. ISMAIL', 'BT. ABDULLAH', 'H. SE', 'M',
    'ERNAWATI S.E. M.M.', "MA'RUF", 'JOSÉ', 'BUDI SANTOSO S. PD', 'ABDUL M. YUSUF', 'SITI BINTI ST. AMINAH',
  ])('nameKey(nameKey(%j)) = nameKey(%j)', (raw) => {
    const key = nameKey(raw);
    expect(nameKey(key)).toBe(key);
  });
});

describe('nameKey: every listed spelling of MUHAMMAD is recognised', () => {
  // nameKey skips the set lookup for words not starting with M: a spelling added to the set
  // must start with M to be found.
  it.each([...MUHAMMAD_SPELLINGS])('%s, alone and inside a name', (spelling) => {
    expect(spelling.charAt(0)).toBe('M');
    expect(nameKey(`ABDUL ${spelling} YUSUF`)).toBe('ABDUL MUHAMMAD YUSUF');
  });
});
