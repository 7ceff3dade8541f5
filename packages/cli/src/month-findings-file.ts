import { latestSnapshot, snapshotFile } from './snapshot-folder.js';

/** The findings.csv of a period's current snapshot under an embedded `--out` (the one `latest.json` names, `restricted/`). */
export async function monthFindingsFile(outDir: string, period: string): Promise<string> {
  const snapshot = await latestSnapshot(outDir, period);
  return snapshotFile(snapshot.dir, snapshot.manifest, 'findings.csv');
}
