import { FIELD_ALIASES, normalizeHeader } from './header-mapping.js';
import type { ColumnMapping } from './header-mapping.js';
import type { GuardrailWarning } from './guardrail-warning.js';

/**
 * Whether a file looks like what it was given as, from its header. A DTKS release lists people by
 * household (IDDTKS) with a life status (STATUS); program lists carry neither (their family key is
 * the No. KK, which both have). So a "DTKS" with neither column is most likely a program list, and
 * a program file with both is most likely a DTKS release: the two files were swapped or mixed up,
 * and the run would flag nearly every recipient NOT_IN_DTKS. Either column alone proves nothing
 * (a DTKS extract may drop STATUS; a program list may keep an ID_DTKS reference), so it takes both.
 */
export interface SourceShape {
  /** The header's household id column (IDDTKS, ID_DTKS), as written, if any. */
  readonly householdId: string | null;
  /** The header's status column (STATUS), as written, if any. */
  readonly status: string | null;
}

/** `dtksMapping`: the `--mapping` choices for DTKS, whose column names count too. */
export function sourceShape(headerNames: readonly string[], dtksMapping: ColumnMapping = {}): SourceShape {
  const find = (field: 'id_dtks' | 'status'): string | null => {
    const names = new Set(FIELD_ALIASES[field]);
    const chosen = dtksMapping[field];
    if (chosen !== undefined) names.add(normalizeHeader(chosen));
    const hit = headerNames.find((h) => names.has(normalizeHeader(h)));
    return hit === undefined ? null : hit.trim();
  };
  return { householdId: find('id_dtks'), status: find('status') };
}

/** A warning when a file's header does not fit the role it was given (`source`: DTKS or a program). */
export function checkSourceShape(source: string, file: string, headerNames: readonly string[], dtksMapping: ColumnMapping = {}): GuardrailWarning | null {
  const shape = sourceShape(headerNames, dtksMapping);
  if (source === 'DTKS') {
    if (shape.householdId !== null || shape.status !== null) return null;
    return {
      check: 'DTKS_LOOKS_LIKE_PROGRAM',
      source,
      file,
      message:
        `given as the DTKS release but its header has no household id column (${FIELD_ALIASES.id_dtks.join(', ')}) and no status column (${FIELD_ALIASES.status.join(', ')}): ` +
        `it looks like a program list; check that the DTKS and program files were not swapped (a program list as DTKS flags nearly every recipient NOT_IN_DTKS)`,
    };
  }
  if (shape.householdId === null || shape.status === null) return null;
  return {
    check: 'PROGRAM_LOOKS_LIKE_DTKS',
    source,
    file,
    message:
      `given as the ${source} list but its header has a household id column ("${shape.householdId}") and a status column ("${shape.status}"), which only DTKS releases carry: ` +
      `it looks like a DTKS release; check that the DTKS and program files were not swapped`,
  };
}
