import type { Reason } from '@padan/contracts';
import { byPrecedence } from '@padan/contracts';

/** Sorts reasons by precedence and removes repeats; the first is the record's outcome. */
export function orderReasons(reasons: Iterable<Reason>): Reason[] {
  return [...new Set(reasons)].sort(byPrecedence);
}

/** Details sorted by their reason's precedence, then text, so equal inputs give equal strings. */
export function orderDetails(details: Iterable<string>): string[] {
  return [...new Set(details)].sort((a, b) => {
    const ra = a.slice(0, a.indexOf(':')) as Reason;
    const rb = b.slice(0, b.indexOf(':')) as Reason;
    return byPrecedence(ra, rb) || (a < b ? -1 : a > b ? 1 : 0);
  });
}
