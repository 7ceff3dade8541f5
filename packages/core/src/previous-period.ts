/** The period before `period` (YYYY-MM): the one a month is compared with. */
export function previousPeriod(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 1 ? `${String(y - 1).padStart(4, '0')}-12` : `${period.slice(0, 4)}-${String(m - 1).padStart(2, '0')}`;
}
