import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  byPrecedence,
  DETAIL_DESCRIPTIONS,
  INVALID_NIK_DETAILS,
  MESSAGE_REJECT_DESCRIPTIONS,
  MESSAGE_REJECT_REASONS,
  REASON_DESCRIPTIONS,
  REASONS,
  REJECT_DESCRIPTIONS,
  REJECT_REASONS,
  WARNING_DESCRIPTIONS,
  WARNINGS,
} from './reason-codes.js';
import type { Reason } from './reason-codes.js';
import { PROGRAMS } from './sources.js';

/** The precedence list of the issue, verbatim. */
const ISSUE_PRECEDENCE = [
  'INVALID_NIK',
  'NOT_IN_DTKS',
  'DECEASED',
  'NAME_MISMATCH',
  'BIRTHDATE_MISMATCH',
  'REGION_MISMATCH',
  'PROGRAM_CONFLICT',
  'DUPLICATE_IN_PROGRAM',
  'DUPLICATE_IN_DTKS',
];

describe('reason catalog', () => {
  it('the reasons, in order, are the issue\'s precedence list', () => {
    expect([...REASONS]).toEqual(ISSUE_PRECEDENCE);
  });

  it('every REASON has a non-empty description, and there is none for an unknown reason', () => {
    for (const r of REASONS) expect(REASON_DESCRIPTIONS[r]?.trim(), r).toBeTruthy();
    expect(Object.keys(REASON_DESCRIPTIONS).sort()).toEqual([...REASONS].sort());
  });

  it('the INVALID_NIK details are EMPTY, EXCEL_SCIENTIFIC, LENGTH, PROVINCE, BIRTHDATE, SERIAL', () => {
    expect([...INVALID_NIK_DETAILS].sort()).toEqual(['BIRTHDATE', 'EMPTY', 'EXCEL_SCIENTIFIC', 'LENGTH', 'PROVINCE', 'SERIAL']);
  });

  it('every INVALID_NIK detail has a description under INVALID_NIK:<detail>', () => {
    for (const d of INVALID_NIK_DETAILS) expect(DETAIL_DESCRIPTIONS[`INVALID_NIK:${d}`]?.trim(), d).toBeTruthy();
  });

  it('the EXCEL_SCIENTIFIC description tells the user to re-export the column as text', () => {
    expect(DETAIL_DESCRIPTIONS['INVALID_NIK:EXCEL_SCIENTIFIC']).toMatch(/re-?export/i);
    expect(DETAIL_DESCRIPTIONS['INVALID_NIK:EXCEL_SCIENTIFIC']).toMatch(/text/i);
  });

  it('DUPLICATE_IN_DTKS details SAME_PERSON and DIFFERENT_PERSON are described', () => {
    expect(DETAIL_DESCRIPTIONS['DUPLICATE_IN_DTKS:SAME_PERSON']).toBeTruthy();
    expect(DETAIL_DESCRIPTIONS['DUPLICATE_IN_DTKS:DIFFERENT_PERSON']).toBeTruthy();
  });

  it('every detail key starts with a known reason', () => {
    for (const k of Object.keys(DETAIL_DESCRIPTIONS)) expect(REASONS as readonly string[], k).toContain(k.slice(0, k.indexOf(':')));
  });

  it('the warnings include NIK_REGION_UNKNOWN and STATUS_UNKNOWN from the issue', () => {
    expect(WARNINGS).toContain('NIK_REGION_UNKNOWN');
    expect(WARNINGS).toContain('STATUS_UNKNOWN');
  });

  it('every WARNING has a non-empty description', () => {
    for (const w of WARNINGS) expect(WARNING_DESCRIPTIONS[w]?.trim(), w).toBeTruthy();
    expect(Object.keys(WARNING_DESCRIPTIONS).sort()).toEqual([...WARNINGS].sort());
  });

  it('every REJECT_REASON has a non-empty description; ragged rows and undecodable text are dead letters', () => {
    for (const r of REJECT_REASONS) expect(REJECT_DESCRIPTIONS[r]?.trim(), r).toBeTruthy();
    expect(REJECT_REASONS).toContain('RAGGED_ROW');
    expect(REJECT_REASONS).toContain('UNDECODABLE_TEXT');
  });

  it('every MESSAGE_REJECT_REASON has a non-empty description', () => {
    for (const r of MESSAGE_REJECT_REASONS) expect(MESSAGE_REJECT_DESCRIPTIONS[r]?.trim(), r).toBeTruthy();
    expect(Object.keys(MESSAGE_REJECT_DESCRIPTIONS).sort()).toEqual([...MESSAGE_REJECT_REASONS].sort());
  });

  it('no code appears in two catalogs', () => {
    const all = [...REASONS, ...WARNINGS, ...REJECT_REASONS, ...MESSAGE_REJECT_REASONS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('byPrecedence', () => {
  it('sorts reasons into the precedence order', () => {
    const shuffled: Reason[] = ['DUPLICATE_IN_DTKS', 'REGION_MISMATCH', 'INVALID_NIK', 'PROGRAM_CONFLICT', 'DECEASED', 'NOT_IN_DTKS', 'DUPLICATE_IN_PROGRAM', 'BIRTHDATE_MISMATCH', 'NAME_MISMATCH'];
    expect(shuffled.sort(byPrecedence)).toEqual(ISSUE_PRECEDENCE);
  });

  it('the first sorted reason is the outcome: DECEASED before NAME_MISMATCH', () => {
    expect((['NAME_MISMATCH', 'DECEASED'] as Reason[]).sort(byPrecedence)[0]).toBe('DECEASED');
  });

  it('PROGRAM_CONFLICT comes before DUPLICATE_IN_PROGRAM', () => {
    expect(byPrecedence('PROGRAM_CONFLICT', 'DUPLICATE_IN_PROGRAM')).toBeLessThan(0);
    expect(byPrecedence('DUPLICATE_IN_PROGRAM', 'PROGRAM_CONFLICT')).toBeGreaterThan(0);
  });

  it('equal reasons compare as 0', () => {
    for (const r of REASONS) expect(byPrecedence(r, r)).toBe(0);
  });

  it('every adjacent pair of the list is strictly ordered', () => {
    for (let i = 1; i < REASONS.length; i++) expect(byPrecedence(REASONS[i - 1] as Reason, REASONS[i] as Reason)).toBeLessThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// README.md at the repo root documents the catalog, and its "Reason codes" section names nothing
// that is not in it.

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

function readme(): string {
  expect(existsSync(README), `README.md at the repo root (${README})`).toBe(true);
  return readFileSync(README, 'utf8');
}

/** The text under the first heading that starts with "Reason codes", up to the next heading of the same or a higher level. */
function reasonCodesSection(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#{1,6}\s+Reason codes\b/i.test(l));
  expect(start, 'README.md has a "Reason codes" heading').toBeGreaterThanOrEqual(0);
  const level = (/^#+/.exec(lines[start] as string) as RegExpExecArray)[0].length;
  let end = lines.length;
  let fenced = false;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6})\s/.exec(l);
    if (m && (m[1] as string).length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

const backticked = (text: string): string[] => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => (m[1] as string).trim());

/**
 * Code-like: upper-case words joined by `_` (`NOT_IN_DTKS`), optionally with a `:DETAIL`
 * (`INVALID_NIK:LENGTH`, `DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#12`). Single upper-case words
 * (`DECEASED`, `PKH`, `HIDUP`) cannot be told from ordinary words and are not checked here; every
 * catalog code, one-word ones included, is checked the other way round.
 */
const CODE_LIKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?::\S+)?$|^[A-Z][A-Z0-9]*:\S+$/;

const PLAIN_CODES = new Set<string>([
  ...REASONS,
  ...WARNINGS,
  ...REJECT_REASONS,
  ...MESSAGE_REJECT_REASONS,
  ...INVALID_NIK_DETAILS,
  ...Object.keys(DETAIL_DESCRIPTIONS)
    .map((k) => k.slice(k.indexOf(':') + 1))
    .filter((d) => !d.includes('<')),
]);

/** DETAIL_DESCRIPTIONS keys as patterns: `<PROGRAM>` is a program code, other placeholders any text. */
const DETAIL_PATTERNS = Object.keys(DETAIL_DESCRIPTIONS).map(
  (k) =>
    new RegExp(
      `^${k
        .split(/(<[^>]+>)/)
        .map((part) => (part === '<PROGRAM>' ? `(?:${PROGRAMS.join('|')}|<PROGRAM>)` : part.startsWith('<') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
    ),
);

/** How the README may spell the format of the `details` column itself. */
const FORMAT_TEMPLATES = new Set(['REASON:DETAIL']);

function inCatalog(token: string): boolean {
  if (FORMAT_TEMPLATES.has(token)) return true;
  if (!token.includes(':')) return PLAIN_CODES.has(token);
  return DETAIL_PATTERNS.some((p) => p.test(token));
}

describe('README.md documents the catalog', () => {
  it('README.md exists at the repo root', () => {
    expect(existsSync(README), `README.md at the repo root (${README})`).toBe(true);
  });

  it('documents every REASON in backticks', () => {
    const text = readme();
    const missing = REASONS.filter((r) => !text.includes(`\`${r}\``));
    expect(missing, 'reasons not documented in README.md').toEqual([]);
  });

  it('documents every INVALID_NIK detail in backticks (`DETAIL` or `INVALID_NIK:DETAIL`)', () => {
    const text = readme();
    const missing = INVALID_NIK_DETAILS.filter((d) => !text.includes(`\`${d}\``) && !text.includes(`\`INVALID_NIK:${d}\``));
    expect(missing, 'INVALID_NIK details not documented in README.md').toEqual([]);
  });

  it('documents every WARNING in backticks', () => {
    const text = readme();
    const missing = WARNINGS.filter((w) => !text.includes(`\`${w}\``));
    expect(missing, 'warnings not documented in README.md').toEqual([]);
  });

  it('documents every REJECT_REASON in backticks', () => {
    const text = readme();
    const missing = REJECT_REASONS.filter((r) => !text.includes(`\`${r}\``));
    expect(missing, 'dead-letter reasons not documented in README.md').toEqual([]);
  });

  it('documents every MESSAGE_REJECT_REASON in backticks', () => {
    const text = readme();
    const missing = MESSAGE_REJECT_REASONS.filter((r) => !text.includes(`\`${r}\``));
    expect(missing, 'message dead-letter reasons not documented in README.md').toEqual([]);
  });

  it('documents the DUPLICATE_IN_DTKS details SAME_PERSON and DIFFERENT_PERSON', () => {
    const text = readme();
    for (const d of ['SAME_PERSON', 'DIFFERENT_PERSON']) {
      expect(text.includes(`\`${d}\``) || text.includes(`\`DUPLICATE_IN_DTKS:${d}\``), d).toBe(true);
    }
  });

  it('has a "Reason codes" section that names the reasons', () => {
    const section = reasonCodesSection(readme());
    const missing = REASONS.filter((r) => !section.includes(`\`${r}\``));
    expect(missing, 'reasons missing from the "Reason codes" section').toEqual([]);
  });

  it('every code-like token in the "Reason codes" section exists in the catalog', () => {
    const section = reasonCodesSection(readme());
    const unknown = [...new Set(backticked(section).filter((t) => CODE_LIKE.test(t) && !inCatalog(t)))];
    expect(unknown, 'codes in README "Reason codes" that are not in reason-codes.ts').toEqual([]);
  });
});

describe('README checker helpers (on a sample, so they are known to work before README exists)', () => {
  const sample = [
    '# padan',
    '## Reason codes',
    '| code | meaning |',
    '|---|---|',
    '| `INVALID_NIK` | bad; detail `INVALID_NIK:LENGTH`, `EXCEL_SCIENTIFIC` |',
    '| `DECEASED` | dead; status `MENINGGAL` |',
    '| `PROGRAM_CONFLICT` | e.g. `PROGRAM_CONFLICT:PKH` |',
    '| `NOT_A_CODE` | typo |',
    '```',
    '# not a heading inside a fence',
    '```',
    '`NIK_REGION_UNKNOWN` warning',
    '## Next section',
    '`ALSO_NOT_A_CODE`',
  ].join('\n');

  it('finds the section and stops at the next heading of the same level, not at a # inside a code fence', () => {
    const s = reasonCodesSection(sample);
    expect(s).toContain('NIK_REGION_UNKNOWN');
    expect(s).not.toContain('ALSO_NOT_A_CODE');
  });

  it('flags only code-like tokens that are not in the catalog', () => {
    const s = reasonCodesSection(sample);
    expect([...new Set(backticked(s).filter((t) => CODE_LIKE.test(t) && !inCatalog(t)))]).toEqual(['NOT_A_CODE']);
  });

  it('accepts REASON:DETAIL forms of the catalog and rejects unknown details', () => {
    expect(inCatalog('INVALID_NIK:LENGTH')).toBe(true);
    expect(inCatalog('DUPLICATE_IN_DTKS:SAME_PERSON')).toBe(true);
    expect(inCatalog('PROGRAM_CONFLICT:PKH')).toBe(true);
    expect(inCatalog('DUPLICATE_IN_PROGRAM:FIRST=pkh.csv#12')).toBe(true);
    expect(inCatalog('REASON:DETAIL')).toBe(true);
    expect(inCatalog('INVALID_NIK:CHECKSUM')).toBe(false);
    expect(inCatalog('PROGRAM_CONFLICT:XYZ')).toBe(false);
  });
});
