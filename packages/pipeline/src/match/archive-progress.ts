import type { MatchState, ProgramRows } from '@padan/match-state';

/** How many of a period's announced rows (DTKS release and program files) its state holds. */
export interface ArchiveProgress {
  readonly seen: number;
  readonly want: number;
  /** Every announced row is in (and at least the DTKS release was announced). */
  readonly complete: boolean;
}

/**
 * Whether a period whose input comes back from the raw archive has all of it again: every row
 * ingest announced for the period's DTKS files (the release's seen rows) and program files (the
 * evidence's seen rows, ProgramRows). Rows a file holds twice or a redelivery brings again count
 * once (bitmaps). Until then match reports the period as held, so report writes no snapshot of it.
 */
export async function archiveProgress(state: MatchState & ProgramRows, period: string): Promise<ArchiveProgress> {
  let seen = 0;
  let want = 0;
  const dtks = await state.dtksExpected(period);
  for (const [file, rows] of dtks) {
    want += rows;
    seen += Math.min(rows, await state.markDtksRowsSeen(period, file, []));
  }
  for (const [file, rows] of await state.programExpected(period)) {
    want += rows;
    seen += Math.min(rows, await state.markProgramRowsSeen(period, file, []));
  }
  return { seen, want, complete: dtks.size > 0 && seen >= want };
}
