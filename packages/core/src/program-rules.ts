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
