import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';

/**
 * Object keys of the ingest flow:
 * - `landing/period=YYYY-MM/source=PKH|SEMBAKO|BST|PBI|DTKS/<file>`: where files are dropped;
 * - `raw/period=…/source=…/sha256=<hex>/<file>`: the archived original;
 * - `ingest/done/<landing key>.json`: a marker for operators that the file is done (ingest itself
 *   trusts the progress it commits to Kafka with the rows, padan.ingest-progress.v1).
 */
export const LANDING_PREFIX = 'landing/';

export interface LandingObject {
  readonly key: string;
  readonly period: string;
  readonly source: Source;
  readonly file: string;
}

const LANDING = /^landing\/period=([^/]+)\/source=([^/]+)\/([^/]+)$/;

export function parseLandingKey(key: string): LandingObject | null {
  const m = LANDING.exec(key);
  if (!m) return null;
  const source = parseSource(m[2] as string);
  if (!source || !PERIOD_PATTERN.test(m[1] as string)) return null;
  return { key, period: m[1] as string, source, file: m[3] as string };
}

export function landingKey(period: string, source: Source, file: string): string {
  return `${LANDING_PREFIX}period=${period}/source=${source}/${file}`;
}

export function rawArchiveKey(o: LandingObject, sha256: string): string {
  return `raw/period=${o.period}/source=${o.source}/sha256=${sha256}/${o.file}`;
}

export function doneKey(o: LandingObject): string {
  return `ingest/done/${o.key}.json`;
}
