import { createHmac } from 'node:crypto';
import type { MatchResult, MismatchEvent } from '@padan/contracts';
import { maskNik } from '@padan/core';

/**
 * Dashboard events carry a masked NIK and a keyed hash (HMAC-SHA256 with the deployment's secret),
 * so dashboards can count and link records without ever holding an identity.
 */
export function mismatchEvent(r: MatchResult, hashKey: string): MismatchEvent {
  const digits = /^\d+$/.test(r.nik);
  return {
    v: 1,
    period: r.period,
    program: r.source,
    file: r.file,
    row: r.row,
    nikMasked: digits ? maskNik(r.nik) : '',
    nikHash: createHmac('sha256', hashKey).update(r.nik).digest('hex'),
    outcome: r.outcome as MismatchEvent['outcome'],
    reasons: r.reasons,
    details: r.details,
    regency: r.regency,
    hasSuggestion: r.suggestedNik !== null,
  };
}
