import { CHECKS, REASONS, WARNINGS } from '@padan/contracts';
import type { Check, MatchResult, Reason, Warning } from '@padan/contracts';
import type { CleanInfo } from './clean-profiles.js';
import type { FileState } from './result-store.js';
import { fileCounts } from './result-store.js';

/**
 * summary.json: dashboard-facing counts, so no NIK, name or birth date, only codes and counts.
 * A record counts once under its outcome and once under each of its reasons.
 */
export interface Summary {
  readonly period: string;
  readonly totals: Counts;
  readonly files: readonly FileSummary[];
  readonly programs: readonly ProgramSummary[];
  readonly regencies: readonly RegencySummary[];
}

interface Counts {
  rows_read: number;
  clean: number;
  flagged: number;
  rejected: number;
}

interface FileSummary extends Counts {
  program: string;
  source_file: string;
  format: string;
  sha256: string;
  accounted: boolean;
}

interface ProgramSummary extends Counts {
  program: string;
  outcomes: Record<string, number>;
  reasons: Record<string, number>;
  warnings: Record<string, number>;
  /** Per check, records where it was skipped because a field was absent or empty. */
  not_checked: Record<string, number>;
  suggestions: number;
}

interface RegencySummary {
  program: string;
  regency_code: string;
  regency_name: string;
  records: number;
  flagged: number;
  outcomes: Record<string, number>;
  reasons: Record<string, number>;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function dropZeros(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v > 0));
}

/**
 * Builds summary.json in one pass: per-file counts come from the files' accounting, the rest from
 * each flagged row's latest result, streamed (`addFlagged`), and from the clean rows' counts per
 * clean profile, read from the files' accounting by the constructor (so at the instant the
 * caller takes the files' counts and starts its merge of the flagged rows).
 */
export class SummaryBuilder {
  private readonly totals: Counts = { rows_read: 0, clean: 0, flagged: 0, rejected: 0 };
  private readonly fileSummaries: FileSummary[] = [];
  private readonly programs = new Map<string, ProgramSummary>();
  private readonly regencies = new Map<string, RegencySummary>();

  constructor(
    private readonly period: string,
    files: readonly FileState[],
    private readonly regencyName: (code: string) => string | undefined,
    cleanInfo: (profile: number) => CleanInfo,
  ) {
    for (const f of files) {
      const c = fileCounts(f);
      const counts: Counts = { rows_read: c.rowsRead ?? 0, clean: c.clean, flagged: c.flagged, rejected: c.rejected };
      this.fileSummaries.push({
        program: f.source,
        source_file: f.file,
        format: f.completed?.format ?? '',
        sha256: f.completed?.sha256 ?? '',
        ...counts,
        accounted: c.accounted,
      });
      for (const k of Object.keys(this.totals) as (keyof Counts)[]) this.totals[k] += counts[k];

      let p = this.programs.get(f.source);
      if (!p) {
        p = {
          program: f.source,
          rows_read: 0,
          clean: 0,
          flagged: 0,
          rejected: 0,
          outcomes: zeros<Reason>(REASONS),
          reasons: zeros<Reason>(REASONS),
          warnings: zeros<Warning>(WARNINGS),
          not_checked: zeros<Check>(CHECKS),
          suggestions: 0,
        };
        this.programs.set(f.source, p);
      }
      for (const k of Object.keys(this.totals) as (keyof Counts)[]) p[k] += counts[k];
      for (const [profile, rows] of f.rows.cleanByProfile()) this.addClean(f.source, cleanInfo(profile), rows);
    }
  }

  /** The latest result of one row of a file given to the constructor, when it is flagged. */
  addFlagged(source: string, m: MatchResult): void {
    const { p, r } = this.tally(source, m, 1);
    r.flagged++;
    if (m.outcome) {
      p.outcomes[m.outcome] = (p.outcomes[m.outcome] ?? 0) + 1;
      r.outcomes[m.outcome] = (r.outcomes[m.outcome] ?? 0) + 1;
    }
    for (const reason of m.reasons) {
      p.reasons[reason] = (p.reasons[reason] ?? 0) + 1;
      r.reasons[reason] = (r.reasons[reason] ?? 0) + 1;
    }
    if (m.suggestedNik) p.suggestions++;
  }

  /** `rows` rows of a file given to the constructor whose latest result is clean with `info`. */
  addClean(source: string, info: CleanInfo, rows: number): void {
    this.tally(source, info, rows);
  }

  /** Counts what clean and flagged records share: records per regency, warnings, checks not done. */
  private tally(source: string, info: CleanInfo, rows: number): { p: ProgramSummary; r: RegencySummary } {
    const p = this.programs.get(source) as ProgramSummary;
    const regency = info.regency ?? '';
    for (const w of info.warnings) p.warnings[w] = (p.warnings[w] ?? 0) + rows;
    for (const n of info.notChecked) p.not_checked[n] = (p.not_checked[n] ?? 0) + rows;
    const rk = `${source}|${regency}`;
    let r = this.regencies.get(rk);
    if (!r) {
      r = { program: source, regency_code: regency, regency_name: this.regencyName(regency) ?? '', records: 0, flagged: 0, outcomes: {}, reasons: {} };
      this.regencies.set(rk, r);
    }
    r.records += rows;
    return { p, r };
  }

  build(): Summary {
    const sortedRegencies = [...this.regencies.values()]
      .sort((a, b) => (a.program !== b.program ? (a.program < b.program ? -1 : 1) : a.regency_code < b.regency_code ? -1 : a.regency_code > b.regency_code ? 1 : 0))
      .map((r) => ({ ...r, outcomes: sortByCatalog(r.outcomes), reasons: sortByCatalog(r.reasons) }));

    return {
      period: this.period,
      totals: this.totals,
      files: this.fileSummaries,
      programs: [...this.programs.values()].map((p) => ({ ...p, warnings: dropZeros(p.warnings) })),
      regencies: sortedRegencies,
    };
  }
}

function sortByCatalog(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of REASONS) if (r[k]) out[k] = r[k];
  return out;
}
