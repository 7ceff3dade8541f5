/** Today's date in Asia/Jakarta (WIB), where the provincial offices work: `YYYY-MM-DD`. */
export function jakartaDate(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
