import { nameKey, namesMatch } from '@padan/core';
import type { Rng } from './prng.js';

/** Indonesian names as they appear in Jambi registers (Malay, Javanese and Arabic-derived). */

export const MALE_FIRST = [
  'MUHAMMAD', 'MUHAMMAD', 'MUHAMMAD', 'AHMAD', 'AHMAD', 'ABDUL', 'ARIF', 'BUDI', 'DEDI', 'EDI', 'FAJAR',
  'HASAN', 'HENDRA', 'IRWAN', 'JOKO', 'RUDI', 'SYAMSUL', 'ZULKIFLI', 'AGUS', 'BAMBANG', 'DARMAWAN',
  'EFENDI', 'FIRDAUS', 'HERMAN', 'ISKANDAR', 'JUNAIDI', 'KHAIRUL', 'LUKMAN', 'MAHMUD', 'NASRUL',
  'RIDWAN', 'SAIFUL', 'TAUFIK', 'USMAN', 'WAHYU', 'YUSUF', 'ZAINAL', 'BAHARUDDIN', 'SYAHRIAL',
  'RAHMAT', 'HAMDAN', 'ANWAR', 'AMIRUDDIN', 'SUDIRMAN', 'SUPRIADI', 'HERI', 'ANDI', 'SAMSUL',
  'NURDIN', 'JAMALUDDIN', 'ERWIN', 'YULIANTO', 'HARDI', 'ZULHELMI', 'ILHAM', 'MISRAN', 'SUHAIMI',
];

export const MALE_SECOND = [
  'YUSUF', 'RAHMAN', 'HIDAYAT', 'SAPUTRA', 'SETIAWAN', 'HAKIM', 'FAUZI', 'RIZAL', 'SANTOSO',
  'HARAHAP', 'NASUTION', 'SIREGAR', 'KURNIAWAN', 'PRATAMA', 'RAMADHAN', 'SAFRUDDIN', 'ALI',
  'IBRAHIM', 'ISMAIL', 'HUSIN', 'SYAHPUTRA', 'HASIBUAN', 'EFENDI', 'HAMZAH', 'ARIFIN', 'MANSUR',
  'SYAFRI', 'AZHARI', 'NURDIN', 'SULAIMAN', 'WIJAYA', 'GUNAWAN', 'HERMANTO', 'SUPRAPTO', 'ZAKARIA',
  'RIDHO', 'SAMAD', 'JAMIL', 'TANJUNG', 'LUBIS', 'FIRMANSYAH', 'HABIBI', 'MUSTAFA', 'ABIDIN',
];

export const FEMALE_FIRST = [
  'SITI', 'SITI', 'SITI', 'NUR', 'NUR', 'SRI', 'SRI', 'DEWI', 'RINA', 'YULI', 'ERNA', 'FITRI',
  'LINDA', 'MAYA', 'NURUL', 'RATNA', 'ROSMIATI', 'SUMARNI', 'WATI', 'YANTI', 'AISYAH', 'FATIMAH',
  'HALIMAH', 'AMINAH', 'MARIANI', 'ASNIDAR', 'DESI', 'EVI', 'HERLINA', 'IDA', 'JUMIATI', 'KARTINI',
  'LENI', 'MASNAH', 'NOVI', 'PUJI', 'RAHMAWATI', 'SUSI', 'TITIN', 'UMI', 'WIDYA', 'YUSNIDAR',
  'ZURAIDA', 'ROSNANI', 'MISNAWATI', 'NURHAYATI', 'ELIDA', 'YUNI',
];

export const FEMALE_SECOND = [
  'AMINAH', 'HALIMAH', 'FATIMAH', 'RAHMAWATI', 'WAHYUNI', 'LESTARI', 'SUSANTI', 'HANDAYANI',
  'KARTIKA', 'PUSPITA', 'SARI', 'YULIANA', 'NURHAYATI', 'MARLINA', 'ROSMALA', 'HASANAH', 'ZUBAIDAH',
  'KHADIJAH', 'MARYAM', 'ANGGRAINI', 'RAHAYU', 'PURNAMASARI', 'SUSILAWATI', 'NINGSIH', 'FITRIANI',
  'OKTAVIA', 'SAFITRI', 'MULYANI', 'ARYANI', 'RAMADHANI', 'APRILIANI', 'KURNIASIH', 'SULASTRI',
  'ROHANI', 'MARDIANA', 'SYAFITRI', 'HAYATI', 'ZAHARA', 'JUWITA', 'RUSMINI',
];

/** One-word names, common among older people. */
export const MALE_SINGLE = [
  'SUPARMAN', 'SAMSUDIN', 'ABDULLAH', 'JAMALUDIN', 'MUKHTAR', 'SAMAN', 'DULMANAN', 'KASIM', 'SARIMAN',
  'ROSLAN', 'BUSTAMI', 'MARZUKI', 'SUKIMAN', 'TUGIMAN', 'DARWIS', 'JAMIN', 'ZAKARIA', 'BASRI',
  'SYAMSUDDIN', 'RUSLI', 'ISMAIL', 'ZAINUDDIN', 'KAMALUDDIN', 'HASYIM', 'SUPRIYONO', 'PAIMAN',
];

export const FEMALE_SINGLE = [
  'SAMSIAH', 'MARYAM', 'SUMIATI', 'JUHAIRIAH', 'ROSNAH', 'SALMAH', 'KHADIJAH', 'ZAINAB', 'MAIMUNAH',
  'SITI', 'JUBAIDAH', 'RUKIAH', 'SAMIAH', 'TUMINAH', 'PONIEM', 'SUKINEM', 'HABSAH', 'MASITAH', 'NURMALA',
  'ASIAH', 'RAMLAH', 'SAUDAH', 'ROHAYA', 'FATIMAH', 'HALIMAH', 'AMINAH',
];

/** Names given to children born since the 1990s. */
export const CHILD_MALE = [
  'RIZKY', 'DIMAS', 'FARHAN', 'ALIF', 'RAFI', 'FAHRI', 'ADITYA', 'BAYU', 'REZA', 'ARDIANSYAH', 'IQBAL',
  'FIKRI', 'HAFIZ', 'ZIDAN', 'RANGGA', 'ILHAM', 'AKBAR', 'DAFFA', 'RAIHAN', 'NAUFAL', 'MUHAMMAD', 'AHMAD',
];

export const CHILD_FEMALE = [
  'AULIA', 'PUTRI', 'NAYLA', 'ZAHRA', 'SALSABILA', 'AZZAHRA', 'KEISYA', 'DINDA', 'TIARA', 'NABILA',
  'ANISA', 'FITRIA', 'RARA', 'INTAN', 'NADIA', 'AMELIA', 'SYAKILA', 'KHAIRUNNISA', 'SITI', 'NUR',
];

export const CHILD_SECOND_MALE = ['PRATAMA', 'SAPUTRA', 'RAMADHAN', 'FIRMANSYAH', 'HIDAYAT', 'AL FATIH', 'MAULANA', 'AKBAR', 'SYAHPUTRA', 'ALFARIZI'];
export const CHILD_SECOND_FEMALE = ['RAMADHANI', 'PUTRI', 'AZZAHRA', 'SAFITRI', 'LESTARI', 'ANGGRAINI', 'KHAIRUNNISA', 'AULIA', 'SARI', 'NURAINI'];

export type Sex = 0 | 1; // 0 = L (male), 1 = P (female)

function twoWords(rng: Rng, first: readonly string[], second: readonly string[]): string {
  const a = rng.pick(first);
  let b = rng.pick(second);
  for (let i = 0; i < 5 && b === a; i++) b = rng.pick(second);
  return `${a} ${b}`;
}

/** A person's registered name: older people more often have one word. */
export function personName(rng: Rng, sex: Sex, age: number): string {
  if (age < 25) {
    const name = sex === 0 ? twoWords(rng, CHILD_MALE, CHILD_SECOND_MALE) : twoWords(rng, CHILD_FEMALE, CHILD_SECOND_FEMALE);
    if (rng.chance(0.08)) return `${sex === 0 ? 'MUHAMMAD' : 'SITI'} ${name}`.replace(/^(MUHAMMAD|SITI) (MUHAMMAD|SITI) /, '$1 ');
    return name;
  }
  if (age >= 50 && rng.chance(0.2)) return rng.pick(sex === 0 ? MALE_SINGLE : FEMALE_SINGLE);
  return sex === 0 ? twoWords(rng, MALE_FIRST, MALE_SECOND) : twoWords(rng, FEMALE_FIRST, FEMALE_SECOND);
}

/** A name of the same sex with the same first word and a different, non-matching rest (SITI AMINAH → SITI HALIMAH). */
export function similarName(rng: Rng, name: string, sex: Sex): string {
  const words = name.split(' ');
  const first = words[0] as string;
  const key = nameKey(name);
  for (let i = 0; i < 20; i++) {
    const candidate = `${first} ${rng.pick(sex === 0 ? MALE_SECOND : FEMALE_SECOND)}`;
    if (candidate !== name && !namesMatch(nameKey(candidate), key)) return candidate;
  }
  return personName(rng, sex, 40);
}

const MUHAMMAD_SHORT = ['M.', 'MUH', 'MUH.', 'MOH.', 'MHD', 'MHD.', 'M'];
const MUHAMMAD_SPELLED = ['MUHAMAD', 'MOHAMMAD', 'MOCHAMAD', 'MUHAMMED'];
const DEGREES = [', S.PD', ', S.Pd', ', S.E', ', S.PD.I', ', A.MD', ', S.SOS', ', S.H', ', S.KM', ', AMK'];

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s.'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function oneLetterTypo(rng: Rng, name: string): string {
  const words = name.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Z]{5,}$/.test(w));
  if (long.length === 0) return name;
  const [w, idx] = rng.pick(long);
  // Inside the word: never the first letter, never the last.
  const at = rng.range(1, w.length - 2);
  const form = rng.int(3);
  let typed: string;
  if (form === 0) {
    const letters = 'AEIOUNRSTLMKHGDBJY';
    let c = rng.pick([...letters]);
    if (c === w[at]) c = c === 'A' ? 'E' : 'A';
    typed = w.slice(0, at) + c + w.slice(at + 1);
  } else if (form === 1) {
    typed = w.slice(0, at) + w.slice(at + 1);
  } else {
    typed = at + 1 < w.length - 1 ? w.slice(0, at) + (w[at + 1] as string) + (w[at] as string) + w.slice(at + 2) : w;
  }
  words[idx] = typed;
  return words.join(' ');
}

export type VariantForm = 'case' | 'title' | 'degree' | 'space' | 'typo' | 'father' | 'punct' | 'muh' | 'spelling' | 'st' | 'double' | 'join';

/** First words written joined to the next one as often as apart (NUR HAYATI / NURHAYATI). */
const JOINABLE: ReadonlySet<string> = new Set(['NUR', 'NURUL', 'SRI', 'ABDUL']);

/**
 * The same person's name as another clerk would write it: abbreviations (M., MUH, ST.), titles,
 * degrees, case, spacing, one typo, a dropped doubled letter, BIN/BINTI + father's name, a joined
 * compound. Each variant is checked with padan's own name rule; when it does not match, the
 * original is returned.
 */
export function nameVariant(rng: Rng, name: string, sex: Sex, only?: readonly VariantForm[], young = false): string {
  const words = name.split(' ');
  let forms: VariantForm[] = ['case', 'title', 'degree', 'space', 'typo', 'father', 'punct'];
  if (words[0] === 'MUHAMMAD' && words.length > 1) forms.push('muh', 'muh', 'muh');
  if (words.includes('MUHAMMAD')) forms.push('spelling');
  if (words[0] === 'SITI' && words.length > 1) forms.push('st', 'st');
  if (/([A-Z])\1/.test(name)) forms.push('double', 'double');
  if (words.length === 2 && JOINABLE.has(words[0] as string)) forms.push('join');
  if (only) forms = forms.filter((f) => only.includes(f));
  // Pilgrimage titles and degrees belong to adults.
  if (young) forms = forms.filter((f) => f !== 'title' && f !== 'degree');
  if (forms.length === 0) return name;
  let v = name;
  switch (rng.pick(forms)) {
    case 'case':
      v = rng.chance(0.5) ? name.toLowerCase() : titleCase(name);
      break;
    case 'title':
      v = `${sex === 0 ? rng.pick(['H.', 'H', 'DRS.', 'H.']) : rng.pick(['HJ.', 'HJ', 'DRA.', 'HJ.'])} ${name}`;
      break;
    case 'degree':
      v = name + rng.pick(DEGREES);
      break;
    case 'space':
      v = rng.pick([`  ${name}`, `${name} `, words.join('  '), ` ${words.join('   ')} `]);
      break;
    case 'typo':
      v = oneLetterTypo(rng, name);
      break;
    case 'father':
      v = `${name} ${sex === 0 ? 'BIN' : 'BINTI'} ${rng.pick(MALE_SINGLE)}`;
      break;
    case 'punct':
      v = rng.pick([`${name}.`, words.join('. '), `${name},`, `'${name}'`]);
      break;
    case 'muh':
      v = [rng.pick(MUHAMMAD_SHORT), ...words.slice(1)].join(' ');
      break;
    case 'spelling':
      v = words.map((w) => (w === 'MUHAMMAD' ? rng.pick(MUHAMMAD_SPELLED) : w)).join(' ');
      break;
    case 'st':
      v = ['ST.', ...words.slice(1)].join(' ');
      break;
    case 'double':
      v = name.replace(/([A-Z])\1/, '$1');
      break;
    case 'join':
      v = words.join('');
      break;
  }
  if (v === name) return name;
  return namesMatch(nameKey(v), nameKey(name)) ? v : name;
}

/** The file's way of writing names. */
export type NameCase = 'UPPER' | 'TITLE';

export function applyCase(name: string, style: NameCase): string {
  return style === 'UPPER' ? name : titleCase(name);
}

export const FATHER_NAMES = MALE_SINGLE;
