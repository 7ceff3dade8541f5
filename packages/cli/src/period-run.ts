import { existsSync } from 'node:fs';
import { previousPeriod } from '@padan/core';
import { join } from 'node:path';
import { latestSnapshot, snapshotFile } from './snapshot-folder.js';
import type { EmbeddedRunOptions, EmbeddedRunResult } from '@padan/pipeline';
import { loadMapping, loadRules } from './config-files.js';
import { recordReleaseRows } from './dtks-releases.js';
import { runAndReport } from './run-command.js';
import { configPath, inputPath, writeRunRecord } from './run-record.js';
import type { RunRecord } from './run-record.js';
import { UsageError } from './usage-error.js';

/** The previous period's current findings under `--out`, when it has a snapshot: the run writes the changes against it. */
async function previousFindings(outDir: string, period: string): Promise<{ changesFrom?: { period: string; findings: string } }> {
  const before = previousPeriod(period);
  if (!existsSync(join(outDir, 'snapshots', `period=${before}`))) return {};
  const snap = await latestSnapshot(outDir, before);
  return { changesFrom: { period: before, findings: snapshotFile(snap.dir, snap.manifest, 'findings.csv') } };
}

export interface PeriodRunOptions {
  readonly date: string;
  /** The run id the manifest records (a reprocess has its own); default: the inputs' run ids. */
  readonly snapshotRunId?: string;
  /** A rules file replacing the record's (reprocess --rules); archived and recorded. */
  readonly rules?: string | null;
  readonly allowSmallDtks?: boolean;
  readonly fixes?: EmbeddedRunOptions['fixes'];
  /** The inputs were archived by this command (padan run): their recorded checksums are fresh. */
  readonly justArchived?: boolean;
}

/**
 * Runs a period as its record under `--out` describes it, from the archived inputs only, writes
 * the snapshot (superseding the current one) and then the record: the one path of `padan run`,
 * `reprocess`, `withdraw` and `dlq redrive`, so they cannot drift apart.
 */
export async function runPeriod(outDir: string, record: RunRecord, o: PeriodRunOptions, log: (s: string) => void, warn: (s: string) => void): Promise<EmbeddedRunResult> {
  for (const i of record.inputs) {
    const path = inputPath(outDir, i);
    if (!existsSync(path)) {
      throw new UsageError(`the input ${i.source}/${i.file} of period ${record.period} is missing from ${i.key !== null ? 'the archive' : 'where it was given'} (${path}); run padan run --period ${record.period} --out ${outDir} with the file again`);
    }
  }
  const rulesKey = o.rules !== undefined ? o.rules : record.rules;
  const result = await runAndReport(
    {
      period: record.period,
      inputs: record.inputs.map((i) => ({ source: i.source, path: inputPath(outDir, i) })),
      // Inputs archived by this command: their checksums were just computed. A replay reads them again,
      // so a damaged archive is not vouched for by the manifest.
      ...(o.justArchived ? { checksums: record.inputs.map((i) => ({ sha256: i.sha256, bytes: i.bytes })) } : {}),
      outDir,
      date: o.date,
      rules: loadRules(configPath(outDir, rulesKey)),
      mapping: loadMapping(configPath(outDir, record.mapping)),
      allowSmallDtks: o.allowSmallDtks ?? record.allowSmallDtks,
      ...(o.fixes ? { fixes: o.fixes } : {}),
      ...(o.snapshotRunId ? { snapshotRunId: o.snapshotRunId } : {}),
      ...(record.release ? { dtksRelease: record.release } : {}),
      ...(await previousFindings(outDir, record.period)),
    },
    log,
    warn,
  );
  writeRunRecord(outDir, { ...record, date: o.date, rules: rulesKey, allowSmallDtks: o.allowSmallDtks ?? record.allowSmallDtks });
  if (record.release) {
    const rows = result.status.files.filter((f) => f.program === 'DTKS').reduce((n, f) => n + (f.rowsRead ?? 0), 0);
    recordReleaseRows(outDir, record.release.id, rows);
  }
  return result;
}
