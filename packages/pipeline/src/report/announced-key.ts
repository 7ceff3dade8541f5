import { PERIOD_PATTERN, parseSource } from '@padan/contracts';
import type { Source } from '@padan/contracts';

// The landing key layout ingest keys its progress records by (README "Feeding the services"):
// landing/period=YYYY-MM/source=DTKS|PKH|SEMBAKO|BST|PBI/<file>.
const LANDING = /^landing\/period=([^/]+)\/source=([^/]+)\/([^/]+)$/;

/** The file a progress record (padan.ingest-progress.v1, keyed by landing key) announces; null for another key. */
export function parseAnnouncedKey(key: string): { period: string; source: Source; file: string } | null {
  const m = LANDING.exec(key);
  if (!m) return null;
  const source = parseSource(m[2] as string);
  if (!source || !PERIOD_PATTERN.test(m[1] as string)) return null;
  return { period: m[1] as string, source, file: m[3] as string };
}
