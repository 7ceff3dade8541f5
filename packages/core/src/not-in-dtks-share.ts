import type { GuardrailWarning } from './guardrail-warning.js';

/** One program's records of a period and how many came out NOT_IN_DTKS. */
export interface NotInDtksCount {
  readonly program: string;
  /** The program's files, for the message. */
  readonly files: readonly string[];
  /** Records that were matched (clean + flagged; dead letters never reach DTKS). */
  readonly records: number;
  readonly notInDtks: number;
}

export interface NotInDtksLimits {
  /** The highest plausible share of a program's records NOT_IN_DTKS (0 to 1). */
  readonly maxShare: number;
  /** A share more than this many times last month's ... */
  readonly jumpRatio: number;
  /** ... and at least this much higher (0 to 1), is a jump. */
  readonly jumpPoints: number;
}

/**
 * Programs draw their recipients from DTKS, so most of a list is found there even in bad months:
 * audits put the worst data problems at about a sixth of records (KPK, 2021: ~17 % of DTKS without
 * a valid NIK), and those come out INVALID_NIK, not NOT_IN_DTKS. Half a list missing from DTKS is
 * not a data-quality finding but the wrong release, the wrong period or swapped files (issue 9's
 * swapped run: 675 of 689 records). Month to month a list changes by a few percent; tripling the
 * share is a new kind of failure, and the 10-point floor keeps small shares (1 % → 4 %) quiet.
 */
export const DEFAULT_NOT_IN_DTKS_LIMITS: NotInDtksLimits = { maxShare: 0.5, jumpRatio: 3, jumpPoints: 0.1 };

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/**
 * Per program, a warning when its NOT_IN_DTKS share is above `limits.maxShare`, or jumped from the
 * previous period's (`previous`: that period's counts, null when there is no snapshot of it).
 * `flag` names the option that sets the limit, for the message.
 */
export function checkNotInDtksShare(
  current: readonly NotInDtksCount[],
  previous: { readonly period: string; readonly counts: readonly NotInDtksCount[] } | null,
  limits: NotInDtksLimits = DEFAULT_NOT_IN_DTKS_LIMITS,
  flag = 'the limit',
): GuardrailWarning[] {
  const warnings: GuardrailWarning[] = [];
  const advice = 'check that the DTKS release is the one for this period and that the DTKS and program files were not swapped';
  for (const c of current) {
    if (c.records === 0) continue;
    const share = c.notInDtks / c.records;
    const before = previous?.counts.find((p) => p.program === c.program && p.records > 0);
    const beforeShare = before ? before.notInDtks / before.records : null;
    const last = beforeShare === null || !previous ? '' : ` (${previous.period}: ${percent(beforeShare)})`;
    const file = c.files.join(', ') || null;
    const counted = `${c.notInDtks} of ${c.records} ${c.program} records (${percent(share)}) are NOT_IN_DTKS`;
    if (share > limits.maxShare) {
      warnings.push({ check: 'NOT_IN_DTKS_SHARE', source: c.program, file, message: `${counted}${last}, above ${percent(limits.maxShare)} (${flag}); ${advice}` });
    } else if (beforeShare !== null && previous && share > beforeShare * limits.jumpRatio && share - beforeShare >= limits.jumpPoints) {
      warnings.push({
        check: 'NOT_IN_DTKS_JUMP',
        source: c.program,
        file,
        message: `${counted}, more than ${limits.jumpRatio} times the ${percent(beforeShare)} of ${previous.period}; ${advice}`,
      });
    }
  }
  return warnings;
}
