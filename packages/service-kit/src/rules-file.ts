import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FIELDS, PROGRAMS, SOURCES } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import { programRulesProblems } from '@padan/core';
import type { ColumnMapping, ProgramRules } from '@padan/core';

/** The shipped program rules: rules/program-rules.json at the repository root. */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../../../rules/program-rules.json', import.meta.url));

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

export function readJsonFile(path: string): unknown {
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

export function zodIssues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Program exclusivity rules (`--rules`, PADAN_RULES_FILE); the version and checksum go into manifests. */
export function loadRules(path: string = DEFAULT_RULES_PATH): { rules: ProgramRules; sha256: string } {
  const raw = readJsonFile(path);
  // The domain rules first: their messages name the program and the rule broken, which zod's do not.
  if (typeof raw === 'object' && raw !== null && 'excludes' in raw) {
    const problems = programRulesProblems((raw as { excludes: unknown }).excludes);
    if (problems.length > 0) throw new ConfigFileError(path, `not a rules file: ${problems.join('; ')} [rule PROGRAM_RULES]; see README "Program rules"`);
  }
  const parsed = rulesSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigFileError(path, `not a rules file: ${zodIssues(parsed.error)}; see README "Program rules"`);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { rules: { version: parsed.data.version, excludes: parsed.data.excludes }, sha256 };
}

const mappingSchema = z.partialRecord(z.enum(SOURCES), z.partialRecord(z.enum(FIELDS), z.string().min(1)));

/** Column mapping (`--mapping`, PADAN_MAPPING_FILE): `{ "PKH": { "nik": "NIK_KPM" } }`, field → column name per source. */
export function loadMapping(path: string | undefined): Partial<Record<Source, ColumnMapping>> {
  if (!path) return {};
  const parsed = mappingSchema.safeParse(readJsonFile(path));
  if (!parsed.success) throw new ConfigFileError(path, `not a mapping file: ${zodIssues(parsed.error)}; expected {"PKH": {"nik": "column name"}}`);
  return parsed.data as Partial<Record<Source, ColumnMapping>>;
}
