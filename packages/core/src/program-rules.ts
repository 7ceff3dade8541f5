import { PROGRAMS } from '@padan/contracts';
import type { Program } from '@padan/contracts';

/**
 * Which programs exclude each other within a period. `excludes[A] = [B, C]` means a family that
 * receives A must not receive B or C; the conflict is raised on the record of A (the excluded
 * program, e.g. BST, which was meant for DTKS families receiving neither PKH nor Sembako).
 */
export interface ProgramRules {
  readonly version: string;
  readonly excludes: Readonly<Partial<Record<Program, readonly Program[]>>>;
}

export const DEFAULT_PROGRAM_RULES: ProgramRules = {
  version: 'default-2021-1',
  excludes: { BST: ['PKH', 'SEMBAKO'] },
};

/** Programs whose presence in a family puts a record of `program` in conflict. */
export function excludersOf(rules: ProgramRules, program: Program): readonly Program[] {
  return rules.excludes[program] ?? [];
}

/** Programs whose records are put in conflict when a family gains `program`. */
export function excludedBy(rules: ProgramRules, program: Program): Program[] {
  const out: Program[] = [];
  for (const [excluded, excluders] of Object.entries(rules.excludes) as [Program, readonly Program[]][]) {
    if (excluders.includes(program)) out.push(excluded);
  }
  return out;
}

/**
 * What makes a rules object unusable, one message per broken rule (empty when it is sound): keys
 * and values must be known programs, values lists, and a program cannot exclude itself (every
 * family receiving it would be in conflict with itself).
 */
export function programRulesProblems(excludes: unknown): string[] {
  const problems: string[] = [];
  if (typeof excludes !== 'object' || excludes === null || Array.isArray(excludes)) return ['excludes: must be an object {"PROGRAM": ["PROGRAM", ...]}'];
  const known = new Set<string>(PROGRAMS);
  for (const [program, excluders] of Object.entries(excludes)) {
    if (!known.has(program)) problems.push(`excludes.${program}: unknown program; use one of ${PROGRAMS.join(', ')}`);
    if (!Array.isArray(excluders)) {
      problems.push(`excludes.${program}: must be a list of programs, e.g. ["PKH"]`);
      continue;
    }
    for (const e of excluders as unknown[]) {
      if (typeof e !== 'string' || !known.has(e)) problems.push(`excludes.${program}: unknown program ${JSON.stringify(e)}; use one of ${PROGRAMS.join(', ')}`);
      else if (e === program) problems.push(`excludes.${program}: a program cannot exclude itself`);
    }
  }
  return problems;
}
