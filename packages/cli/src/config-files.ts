import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FIELDS, PROGRAMS, SOURCES } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import type { ColumnMapping, ProgramRules } from '@padan/core';

export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../rules/program-rules.json', import.meta.url));

const rulesSchema = z
  .object({
    version: z.string().min(1),
    description: z.string().optional(),
    excludes: z.partialRecord(z.enum(PROGRAMS), z.array(z.enum(PROGRAMS))),
  })
  .strict();

/** Thrown when a rules or mapping file is unusable; names the file and the rule broken. */
export class ConfigFileError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ConfigFileError';
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigFileError(path, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(path, `not valid JSON (${(e as Error).message})`);
  }
}

function issues(e: z.ZodError): string {
  return e.issues.map((i: z.core.$ZodIssue) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Program exclusivity rules (`--rules`); the shipped default is rules/program-rules.json. */
export function loadRules(path = DEFAULT_RULES_PATH): { rules: ProgramRules; sha256: string } {
  const parsed = rulesSchema.safeParse(readJson(path));
  if (!parsed.success) throw new ConfigFileError(path, `not a rules file: ${issues(parsed.error)}; see README "Program rules"`);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { rules: { version: parsed.data.version, excludes: parsed.data.excludes }, sha256 };
}

const mappingSchema = z.partialRecord(z.enum(SOURCES), z.partialRecord(z.enum(FIELDS), z.string().min(1)));

/** Column mapping (`--mapping`): `{ "PKH": { "nik": "NIK_KPM" } }`, field → column name per source. */
export function loadMapping(path: string | undefined): Partial<Record<Source, ColumnMapping>> {
  if (!path) return {};
  const parsed = mappingSchema.safeParse(readJson(path));
  if (!parsed.success) throw new ConfigFileError(path, `not a mapping file: ${issues(parsed.error)}; expected {"PKH": {"nik": "column name"}}`);
  return parsed.data as Partial<Record<Source, ColumnMapping>>;
}
