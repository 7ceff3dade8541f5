import { join } from 'node:path';
import { latestSnapshot } from './snapshot-folder.js';

/**
 * The findings.csv of a period's current snapshot under an embedded `--out`. The one place that
 * knows where it is: today the latest `snapshots/period=P/date=D/` folder, flat; the snapshot
 * layout of issue 9 (`latest.json`, `restricted/`) changes only this function.
 */
export async function monthFindingsFile(outDir: string, period: string): Promise<string> {
  const snapshot = await latestSnapshot(outDir, period);
  return join(snapshot.dir, 'findings.csv');
}
