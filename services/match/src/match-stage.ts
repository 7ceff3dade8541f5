import type { DtksIndexEntry, FileCompleted, MatchResult, NormalizedBatch, NormalizedRecord, Program, Source } from '@padan/contracts';
import { recordKey } from '@padan/contracts';
import {
  cleanNik,
  dtksDuplicateDetail,
  excludedBy,
  excludersOf,
  familyKey,
  namesMatch,
  orderDetails,
  orderReasons,
  reconcileRecord,
  suggestNik,
} from '@padan/core';
import type { DtksPerson, ProgramRules } from '@padan/core';
import type { BaseResult, FamilyMembers, MatchState, Occurrence } from './match-state.js';
import { occurrenceKey } from './match-state.js';
import { packPerson } from './state-codec.js';

/**
 * The match stage: reconciles program records against the DTKS release of their period.
 *
 * Results form a changelog keyed by record identity. When a record's result depends on other
 * records (an earlier duplicate, a family's other programs), match re-emits every result the new
 * evidence changes, so the latest result per key is the same whatever the arrival order.
 * `seq` is the size of the evidence a result was computed from; evidence only grows, so a
 * consumer keeping the highest `seq` per key keeps the most informed result.
 *
 * Program records wait until the period's DTKS release is completely loaded: reconciling against
 * a half-loaded index would publish false NOT_IN_DTKS findings.
 */
export class MatchStage {
  private changelog: DtksIndexEntry[] = [];
  private readonly toAck = new Map<string, string[]>();
  private readonly reevaluations = new Map<number, BaseResult[]>();

  /**
   * @param changelog collect DTKS index changes (see takeIndexChanges) for the compacted changelog
   *   topic, from which a lost Redis index can be rebuilt. Off in the embedded run.
   */
  constructor(
    private readonly state: MatchState,
    private readonly rules: ProgramRules,
    private readonly options: {
      readonly changelog?: boolean;
      /**
       * The partition that owns a record (distributed). When set, results that other records'
       * evidence changes are not emitted here but queued for their owner (takeReevaluations), so
       * every record's results come from one writer, in order.
       */
      readonly owner?: (base: BaseResult) => number;
    } = {},
  ) {}

  /** Records whose owners must recompute them, grouped by owning partition (see `options.owner`). */
  takeReevaluations(): { partition: number; bases: BaseResult[] }[] {
    const out = [...this.reevaluations].map(([partition, bases]) => ({ partition, bases }));
    this.reevaluations.clear();
    return out;
  }

  /** DTKS index entries changed since the last call, one per NIK: publish them keyed period/NIK. */
  takeIndexChanges(): DtksIndexEntry[] {
    const out = this.changelog;
    this.changelog = [];
    return out;
  }

  async onFileCompleted(fc: FileCompleted): Promise<MatchResult[]> {
    if (fc.source !== 'DTKS') return [];
    await this.state.setDtksExpected(fc.period, fc.file, fc.rowsEmitted);
    return this.releaseHeldIfComplete(fc.period);
  }

  async onNormalized(batch: NormalizedBatch): Promise<MatchResult[]> {
    if (batch.reevaluate && batch.reevaluate.length > 0) {
      const bases = await this.state.getBase(batch.period, batch.reevaluate);
      return this.finalize(batch.period, [...bases.values()]);
    }
    if (batch.source === 'DTKS') {
      const out = await this.onDtks(batch);
      out.push(...(await this.releaseHeldIfComplete(batch.period)));
      return out;
    }
    if (!(await this.dtksComplete(batch.period))) {
      await this.state.holdBatch(batch.period, batch);
      // Another instance may have completed the release between the check and the hold, and
      // taken the held batches before this one was added: check again, so none is left behind.
      return this.releaseHeldIfComplete(batch.period);
    }
    return this.onProgram(batch);
  }

  /**
   * Reconciles held program batches if the period's DTKS release is now complete. Services call
   * it on a timer as a safety net; every other path calls it already.
   */
  poll(period: string): Promise<MatchResult[]> {
    return this.releaseHeldIfComplete(period);
  }

  private async dtksComplete(period: string): Promise<boolean> {
    const expected = await this.state.dtksExpected(period);
    if (expected.size === 0) return false;
    for (const [file, rows] of expected) {
      if ((await this.state.markDtksRowsSeen(period, file, [])) < rows) return false;
    }
    return true;
  }

  private async releaseHeldIfComplete(period: string): Promise<MatchResult[]> {
    if (!(await this.dtksComplete(period))) return [];
    const out: MatchResult[] = [];
    const acks = this.toAck.get(period) ?? [];
    for (const { id, batch } of await this.state.peekHeld(period)) {
      out.push(...(await this.onProgram(batch)));
      acks.push(id);
    }
    if (acks.length > 0) this.toAck.set(period, acks);
    return out;
  }

  /**
   * Forgets the held batches reconciled since the last call. Call it once the results returned
   * for them are published: until then they stay held, so a crash loses none.
   */
  async acknowledge(): Promise<void> {
    for (const [period, ids] of this.toAck) {
      this.toAck.delete(period);
      await this.state.ackHeld(period, [...new Set(ids)]);
    }
  }

  private async onDtks(batch: NormalizedBatch): Promise<MatchResult[]> {
    const { period, file } = batch;
    await this.state.markDtksRowsSeen(period, file, batch.records.map((r) => r.row));
    const out: MatchResult[] = [];
    const persons: DtksPerson[] = [];
    for (const rec of batch.records) {
      if (rec.nikInvalid !== null) {
        out.push(dtksResult(batch, rec, ['INVALID_NIK'], [`INVALID_NIK:${rec.nikInvalid}`], 1));
        continue;
      }
      persons.push({
        nik: rec.nik,
        nikRaw: rec.nikRaw,
        file,
        row: rec.row,
        householdId: rec.householdId,
        noKk: rec.noKk,
        nama: rec.nama,
        nameKey: rec.nameKey ?? '',
        birthDate: rec.birthDate,
        regency: rec.regency,
        deceased: rec.deceased ?? false,
        warnings: rec.warnings,
      });
    }
    const groups = await this.state.addDtksPersons(period, persons);
    if (this.options.changelog) {
      const seen = new Set<string>();
      for (const p of persons) {
        if (seen.has(p.nik)) continue;
        seen.add(p.nik);
        this.changelog.push({ v: 1, period, nik: p.nik, persons: (groups.get(p.nik) ?? [p]).map(packPerson) });
      }
    }
    const byRow = new Map(batch.records.map((r) => [r.row, r]));
    for (const p of persons) {
      if (groups.has(p.nik)) continue;
      out.push(dtksResult(batch, byRow.get(p.row) as NormalizedRecord, [], [], 1));
    }
    for (const group of groups.values()) {
      const detail = dtksDuplicateDetail(group);
      for (const p of group) {
        // Rows of other batches in the group are re-emitted from the index: their result changes too.
        const rec = p.file === file ? byRow.get(p.row) : undefined;
        const details = [`DUPLICATE_IN_DTKS:${detail}`];
        out.push(rec ? dtksResult(batch, rec, ['DUPLICATE_IN_DTKS'], details, group.length) : dtksPersonResult(batch, p, ['DUPLICATE_IN_DTKS'], details, group.length));
      }
    }
    return out;
  }

  private async onProgram(batch: NormalizedBatch): Promise<MatchResult[]> {
    const { period } = batch;
    const program = batch.source as Program;
    const valid = batch.records.filter((r) => r.nikInvalid === null);
    const byNik = await this.state.dtksByNik(period, [...new Set(valid.map((r) => r.nik))]);

    const needsSuggestion = batch.records.filter((r) => (r.nikInvalid !== null || !byNik.has(r.nik)) && r.birthDate && r.nameKey);
    const byBirth = await this.state.dtksByBirthDate(period, [...new Set(needsSuggestion.map((r) => r.birthDate as string))]);

    const kks = batch.records.filter((r) => r.noKk && !(r.nikInvalid === null && byNik.get(r.nik)?.some((p) => p.householdId)));
    const kkHouseholds = await this.state.householdsByKk(period, [...new Set(kks.map((r) => r.noKk as string))]);

    const bases: BaseResult[] = [];
    for (const rec of batch.records) {
      const sameNik = rec.nikInvalid === null ? (byNik.get(rec.nik) ?? []) : [];
      const verdict = reconcileRecord(rec, sameNik);
      let suggestedNik: string | null = null;
      if ((verdict.reasons.includes('INVALID_NIK') || verdict.reasons.includes('NOT_IN_DTKS')) && rec.birthDate) {
        const cleaned = cleanNik(rec.nikRaw);
        suggestedNik = suggestNik(
          { nik: rec.nik, survivingDigits: cleaned.survivingDigits },
          rec.nameKey,
          byBirth.get(rec.birthDate) ?? [],
          namesMatch,
        );
      }
      const family = familyKey(verdict.matched, rec.noKk, rec.noKk ? (kkHouseholds.get(rec.noKk) ?? []) : []);
      bases.push({
        key: recordKey(batch, rec.row),
        period,
        source: batch.source,
        file: batch.file,
        row: rec.row,
        runId: batch.runId,
        format: batch.format,
        nikRaw: rec.nikRaw,
        nik: rec.nik,
        nikValid: rec.nikInvalid === null,
        nama: rec.nama,
        reasons: verdict.reasons,
        details: verdict.details,
        warnings: [...rec.warnings, ...verdict.warnings],
        suggestedNik,
        householdId: verdict.matched?.householdId ?? (family?.startsWith('H:') ? family.slice(2) : null),
        regency: rec.regency ?? verdict.matched?.regency ?? null,
        notChecked: family ? verdict.notChecked : [...verdict.notChecked, 'FAMILY'],
        family,
      });
    }
    await this.state.putBase(period, bases);

    // Evidence that other records depend on: re-emit every record whose result it bears on, not
    // only those it changed. A redelivered batch (after a crash between the state update and the
    // publish) then re-emits what the first delivery may not have published; equal evidence gives
    // equal results with equal seq, so the extra emissions change nothing downstream.
    const affected = new Set<string>();
    const occ = await this.state.addOccurrences(
      period,
      bases.filter((b) => b.nikValid).map((b) => ({ program, nik: b.nik, occ: { file: b.file, row: b.row, key: b.key } })),
    );
    for (const { all } of occ.values()) if (all.length > 1) for (const o of all) affected.add(o.key);
    const fams = await this.state.addFamilyMembers(
      period,
      bases.filter((b) => b.family).map((b) => ({ family: b.family as string, program, key: b.key })),
    );
    for (const { members } of fams.values()) {
      for (const excluded of excludedBy(this.rules, program)) for (const k of members.get(excluded) ?? []) affected.add(k);
    }
    for (const b of bases) affected.delete(b.key);

    const others = await this.state.getBase(period, [...affected]);
    const owner = this.options.owner;
    if (!owner) return this.finalize(period, [...bases, ...others.values()]);
    for (const other of others.values()) {
      const p = owner(other);
      const queue = this.reevaluations.get(p);
      if (queue) queue.push(other);
      else this.reevaluations.set(p, [other]);
    }
    return this.finalize(period, bases);
  }

  /** Adds the cross-record reasons to base results and numbers them by the evidence they saw. */
  private async finalize(period: string, bases: readonly BaseResult[]): Promise<MatchResult[]> {
    const pairs = bases.filter((b) => b.nikValid).map((b) => ({ program: b.source, nik: b.nik }));
    const occ = await this.state.occurrences(period, pairs);
    const families = await this.state.familyMembers(period, [...new Set(bases.map((b) => b.family).filter((f): f is string => f !== null))]);
    return bases.map((b) => {
      const reasons = [...b.reasons];
      const details = [...b.details];
      let evidence = 1;
      if (b.nikValid) {
        const list: Occurrence[] = occ.get(occurrenceKey(b.source, b.nik)) ?? [];
        evidence += list.length;
        const first = list[0];
        if (first && first.key !== b.key) {
          reasons.push('DUPLICATE_IN_PROGRAM');
          details.push(`DUPLICATE_IN_PROGRAM:FIRST=${first.file}#${first.row}`);
        }
      }
      if (b.family) {
        const members: FamilyMembers = families.get(b.family) ?? new Map();
        for (const keys of members.values()) evidence += keys.length;
        for (const excluder of excludersOf(this.rules, b.source as Program)) {
          if ((members.get(excluder as Source)?.length ?? 0) > 0) {
            reasons.push('PROGRAM_CONFLICT');
            details.push(`PROGRAM_CONFLICT:${excluder}`);
          }
        }
      }
      const ordered = orderReasons(reasons);
      return {
        v: 1,
        period: b.period,
        source: b.source,
        file: b.file,
        runId: b.runId,
        format: b.format,
        row: b.row,
        seq: evidence,
        nikRaw: b.nikRaw,
        nik: b.nik,
        nama: b.nama,
        outcome: ordered[0] ?? null,
        reasons: ordered,
        details: orderDetails(details),
        warnings: [...new Set(b.warnings)].sort(),
        suggestedNik: b.suggestedNik,
        householdId: b.householdId,
        regency: b.regency,
        notChecked: b.notChecked,
      } satisfies MatchResult;
    });
  }
}

function dtksResult(
  batch: NormalizedBatch,
  rec: NormalizedRecord,
  reasons: MatchResult['reasons'],
  details: string[],
  seq: number,
): MatchResult {
  return {
    v: 1,
    period: batch.period,
    source: 'DTKS',
    file: batch.file,
    runId: batch.runId,
    format: batch.format,
    row: rec.row,
    seq,
    nikRaw: rec.nikRaw,
    nik: rec.nik,
    nama: rec.nama,
    outcome: reasons[0] ?? null,
    reasons,
    details,
    warnings: [...rec.warnings].sort(),
    suggestedNik: null,
    householdId: rec.householdId,
    regency: rec.regency,
    notChecked: [],
  };
}

function dtksPersonResult(
  batch: NormalizedBatch,
  p: DtksPerson,
  reasons: MatchResult['reasons'],
  details: string[],
  seq: number,
): MatchResult {
  return {
    v: 1,
    period: batch.period,
    source: 'DTKS',
    file: p.file,
    runId: batch.runId,
    format: batch.format,
    row: p.row,
    seq,
    nikRaw: p.nikRaw,
    nik: p.nik,
    nama: p.nama,
    outcome: reasons[0] ?? null,
    reasons,
    details,
    warnings: [...p.warnings].sort() as MatchResult['warnings'],
    suggestedNik: null,
    householdId: p.householdId,
    regency: p.regency,
    notChecked: [],
  };
}
