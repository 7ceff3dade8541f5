// @ts-check
/**
 * A live tally of padan's mismatch events (padan.mismatches.v1): flagged records per period,
 * regency and outcome, and per reason. No Kafka here, so it can be tested and reused alone.
 *
 * The topic's semantics (contracts/asyncapi.yaml) decide how to count:
 * - an event is published for a flagged record once its period is complete, and again whenever its
 *   finding changes: the LATEST event of a record replaces the earlier one, never adds to it;
 * - a restarted padan may publish a period's events again (at least once): the same event twice
 *   counts once;
 * - a record identifies itself by `period/program/file#row`, also the message key, so all events
 *   of one record arrive on one partition, in order.
 * A record that becomes clean gets no event, so it stays counted here until the period is run
 * again; the snapshot's summary.json has the exact counts of a snapshot.
 */

/**
 * @typedef {object} MismatchEvent A message of padan.mismatches.v1 (contracts/json-schema/mismatch-event.v1.schema.json).
 * @property {1} v
 * @property {string} period
 * @property {string} program
 * @property {string} file
 * @property {number} row
 * @property {string} nikMasked
 * @property {string} nikHash
 * @property {string} outcome
 * @property {string[]} reasons
 * @property {string[]} details
 * @property {string | null} regency
 * @property {boolean} hasSuggestion
 */

/** The regency shown for records without one (no region code in the file nor in DTKS). */
export const NO_REGENCY = '(none)';

/** @param {Pick<MismatchEvent, 'period' | 'program' | 'file' | 'row'>} e */
export function recordKey(e) {
  return `${e.period}/${e.program}/${e.file}#${e.row}`;
}

/**
 * @typedef {object} RegencyCount
 * @property {number} flagged records flagged in this regency
 * @property {Map<string, number>} byOutcome records per outcome (each record once: the counts add up to `flagged`)
 *
 * @typedef {object} PeriodCount
 * @property {number} flagged
 * @property {Map<string, RegencyCount>} byRegency
 * @property {Map<string, number>} byReason records per reason (a record with two reasons counts under both)
 */

/** @param {Map<string, number>} m @param {string} k @param {number} d */
function bump(m, k, d) {
  const n = (m.get(k) ?? 0) + d;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

export class MismatchTally {
  /** @type {Map<string, MismatchEvent>} the latest event of every record */
  #latest = new Map();
  /** @type {Map<string, PeriodCount>} */
  #periods = new Map();
  /** Events applied, duplicates included. */
  events = 0;
  /** Messages refused (not JSON, wrong contract, not satisfying the schema). */
  invalid = 0;

  /**
   * Applies a record's latest event; returns whether the tally changed.
   * @param {MismatchEvent} e
   */
  apply(e) {
    this.events++;
    const key = recordKey(e);
    const before = this.#latest.get(key);
    this.#latest.set(key, e);
    if (before && sameFinding(before, e)) return false;
    if (before) this.#count(before, -1);
    this.#count(e, +1);
    return true;
  }

  /** Counts a refused message. */
  refuse() {
    this.invalid++;
  }

  /** @param {MismatchEvent} e @param {1 | -1} d */
  #count(e, d) {
    let p = this.#periods.get(e.period);
    if (!p) this.#periods.set(e.period, (p = { flagged: 0, byRegency: new Map(), byReason: new Map() }));
    p.flagged += d;
    const regency = e.regency ?? NO_REGENCY;
    let r = p.byRegency.get(regency);
    if (!r) p.byRegency.set(regency, (r = { flagged: 0, byOutcome: new Map() }));
    r.flagged += d;
    bump(r.byOutcome, e.outcome, d);
    if (r.flagged === 0) p.byRegency.delete(regency);
    for (const reason of new Set(e.reasons)) bump(p.byReason, reason, d);
    if (p.flagged === 0) this.#periods.delete(e.period);
  }

  /** Periods, ascending. */
  periods() {
    return [...this.#periods.keys()].sort();
  }

  /**
   * The counts of a period (undefined when nothing of it is flagged).
   * @param {string} period
   * @returns {PeriodCount | undefined}
   */
  period(period) {
    return this.#periods.get(period);
  }

  /** Records counted (every period). */
  get records() {
    return this.#latest.size;
  }
}

/** @param {MismatchEvent} a @param {MismatchEvent} b */
function sameFinding(a, b) {
  return a.outcome === b.outcome && a.regency === b.regency && a.reasons.join(';') === b.reasons.join(';');
}

/**
 * The tally as text, one table per period: regencies ascending, a column per outcome seen.
 * @param {MismatchTally} tally
 */
export function renderTally(tally) {
  const lines = [];
  for (const period of tally.periods()) {
    const p = /** @type {PeriodCount} */ (tally.period(period));
    lines.push(`period ${period}: ${p.flagged} flagged records`);
    const outcomes = [...new Set([...p.byRegency.values()].flatMap((r) => [...r.byOutcome.keys()]))].sort();
    const header = ['regency', 'flagged', ...outcomes];
    const rows = [...p.byRegency.keys()].sort().map((regency) => {
      const r = /** @type {RegencyCount} */ (p.byRegency.get(regency));
      return [regency, String(r.flagged), ...outcomes.map((o) => String(r.byOutcome.get(o) ?? 0))];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (/** @type {string[]} */ cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    lines.push(fmt(header), ...rows.map(fmt));
    const reasons = [...p.byReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`);
    lines.push(`by reason (a record counts once per reason): ${reasons.join(', ')}`, '');
  }
  lines.push(`${tally.records} records from ${tally.events} events; ${tally.invalid} messages refused`);
  return lines.join('\n');
}
