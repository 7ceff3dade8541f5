import { PERIOD_PATTERN } from '@padan/contracts';

/**
 * What retention knows of an object from its key alone (keys hold no NIK):
 * - `input`: `raw/` and `landing/` (the period's input files), and embedded `runs/fixes/` (corrected full rows);
 * - `snapshot`: `snapshots/period=P/...` (the current snapshot and its `latest.json` pointer);
 * - `history`: `history/period=P/date=D/snapshot=<id>/...` (a superseded snapshot);
 * - `kept`: everything else (ingest markers, run records, releases, config copies: no personal data), never deleted.
 */
export type RetainedObject =
  | { readonly kind: 'input'; readonly prefix: 'raw/' | 'landing/' | 'runs/fixes/'; readonly periods: readonly string[] }
  | { readonly kind: 'snapshot'; readonly period: string; readonly role: 'manifest' | 'file' | 'latest' }
  | { readonly kind: 'history'; readonly period: string; readonly date: string; readonly role: 'manifest' | 'file' }
  | { readonly kind: 'kept' };

const INPUT = /^(raw|landing)\/period=([^/]+)\/source=[^/]+\/.+$/;
const SNAPSHOT = /^snapshots\/period=([^/]+)\/(latest\.json|date=\d{4}-\d{2}-\d{2}\/(.+))$/;
const HISTORY = /^history\/period=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/snapshot=[^/]+\/(.+)$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Classifies a key. `fixesPeriods` names the periods each embedded fixes copy (`runs/fixes/<sha>.<ext>`)
 * was applied to, from the run records: its key carries no period. A fixes copy no record names is kept
 * (whose rows it holds is unknown; the operator decides).
 */
export function retainedObject(key: string, fixesPeriods: ReadonlyMap<string, readonly string[]> = new Map()): RetainedObject {
  const input = INPUT.exec(key);
  if (input && PERIOD_PATTERN.test(input[2] as string)) return { kind: 'input', prefix: `${input[1] as 'raw' | 'landing'}/`, periods: [input[2] as string] };
  if (key.startsWith('runs/fixes/')) {
    const periods = fixesPeriods.get(key);
    return periods && periods.length > 0 ? { kind: 'input', prefix: 'runs/fixes/', periods } : { kind: 'kept' };
  }
  const snap = SNAPSHOT.exec(key);
  if (snap && PERIOD_PATTERN.test(snap[1] as string)) {
    const role = snap[2] === 'latest.json' ? 'latest' : snap[3] === 'manifest.json' ? 'manifest' : 'file';
    return { kind: 'snapshot', period: snap[1] as string, role };
  }
  const hist = HISTORY.exec(key);
  if (hist && PERIOD_PATTERN.test(hist[1] as string) && DATE.test(hist[2] as string)) {
    return { kind: 'history', period: hist[1] as string, date: hist[2] as string, role: hist[3] === 'manifest.json' ? 'manifest' : 'file' };
  }
  return { kind: 'kept' };
}
