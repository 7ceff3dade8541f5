import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registryName } from './registry-name.js';
import { recordedPeriods } from './reprocess-command.js';
import { readRunRecord } from './run-record.js';
import { latestSnapshot, snapshotFile, SnapshotError } from './snapshot-folder.js';
import type { SnapshotManifest } from './snapshot-folder.js';

interface SummaryTotals {
  readonly totals?: { readonly rows_read?: number; readonly clean?: number; readonly flagged?: number; readonly rejected?: number };
}

/**
 * `padan status` (embedded): per period under `--out`, the files it is made of (checksums), the
 * rows accounted for, the current snapshot and the release and rules behind it. An embedded run
 * holds no rows waiting for a DTKS release: it reads the release before reconciling.
 */
export async function statusCommand(args: { out: string; period?: string }, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<void> {
  const outDir = resolve(args.out);
  const periods = args.period ? [args.period] : recordedPeriods(outDir);
  if (periods.length === 0) throw new SnapshotError(`no period has been run under ${outDir}; run padan run --out ${outDir} first`);
  for (const p of periods) {
    const record = readRunRecord(outDir, p);
    log(`period ${p}`);
    let manifest: SnapshotManifest | null = null;
    try {
      const snap = await latestSnapshot(outDir, p);
      manifest = snap.manifest;
      const summary = JSON.parse(readFileSync(snapshotFile(snap.dir, snap.manifest, 'summary.json'), 'utf8')) as SummaryTotals;
      const t = summary.totals ?? {};
      log(`  snapshot   ${snap.dir} (run ${manifest?.run_id ?? '?'}, written ${manifest?.created_at ?? '?'})`);
      log(`  rows       ${t.rows_read ?? '?'} read = ${t.clean ?? '?'} clean + ${t.flagged ?? '?'} flagged + ${t.rejected ?? '?'} rejected`);
    } catch (e) {
      log(`  snapshot   none usable (${(e as Error).message})`);
    }
    log(`  ${`${registryName()} release`.padEnd(10)} ${record.release ? `${record.release.id} (from ${record.release.from})` : 'not recorded (a run before releases)'}`);
    log(`  rules      ${manifest?.rules ? `${manifest.rules.version} sha256 ${manifest.rules.sha256.slice(0, 12)}` : record.rules ?? 'shipped'}`);
    log(`  history    ${historyCount(outDir, p)} superseded snapshot(s) under history/period=${p}/`);
    for (const i of record.inputs) log(`  input      ${i.source.padEnd(7)} ${i.file}  sha256 ${i.sha256.slice(0, 12)}  ${!i.key ? `not archived (${i.path})` : existsSync(join(outDir, ...i.key.split('/'))) ? 'archived' : 'expired from the archive (padan retention apply): the period cannot be reprocessed'}`);
    if (record.fixes.length > 0) log(`  fixes      ${record.fixes.map((f) => f.file).join(', ')}`);
  }
}

function historyCount(outDir: string, period: string): number {
  try {
    return readdirSync(join(outDir, 'history', `period=${period}`), { recursive: true }).filter((n) => String(n).endsWith('manifest.json')).length;
  } catch {
    return 0;
  }
}
