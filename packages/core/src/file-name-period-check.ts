import { fileNamePeriodLabel, periodInFileName } from './file-name-period.js';
import type { GuardrailWarning } from './guardrail-warning.js';

/**
 * A file whose name gives another period than the run's: a July DTKS run against a September
 * program list flags most recipients NOT_IN_DTKS without a word. Nothing when the name gives no
 * period (or an ambiguous one); a month without a year is compared by month only.
 */
export function checkFileNamePeriod(source: string, file: string, period: string): GuardrailWarning | null {
  const found = periodInFileName(file);
  if (!found) return null;
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  if (found.month === month && (found.year === null || found.year === year)) return null;
  return {
    check: 'PERIOD_IN_FILE_NAME',
    source,
    file,
    message:
      `the file name says ${fileNamePeriodLabel(found)} ("${found.text}") but the run's period is ${period}; ` +
      (source === 'DTKS'
        ? `check that this is the DTKS release in force for ${period} (an older or newer release flags the recipients added or removed since as NOT_IN_DTKS), or rename the file if its name is wrong`
        : `check that this is the ${source} list for ${period}, or rename the file if its name is wrong`),
  };
}
