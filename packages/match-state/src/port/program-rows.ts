/**
 * Which program rows a period's evidence holds, against the rows ingest announced per program file.
 *
 * Why: after a closed period is reopened, or a rebuild asked for periods past the topics'
 * retention, the period's rows come back from the raw archive over seconds to minutes, and until
 * all are back a result may lack the evidence (an earlier duplicate, a PKH record of the family)
 * that changes it. Match says the period is held on padan.match-status.v1 until every announced
 * program row is in the evidence again, so report writes no snapshot from a partial period. The
 * same completeness as the DTKS release's (markDtksRowsSeen, dtksExpected), for program files.
 *
 * Files are named `<source>/<file>` (two programs may list files of one name). The seen rows are
 * evidence (closing a period drops them); the announced rows are not (nothing announces them again).
 */
export interface ProgramRows {
  setProgramExpected(period: string, file: string, rows: number): Promise<void>;
  /** Announced program files of the period and their rows. */
  programExpected(period: string): Promise<Map<string, number>>;
  /** Marks program rows as in the evidence; returns how many distinct rows of the file are. */
  markProgramRowsSeen(period: string, file: string, rows: readonly number[]): Promise<number>;
}

/** The name ProgramRows gives a program file. */
export function programFileName(source: string, file: string): string {
  return `${source}/${file}`;
}
