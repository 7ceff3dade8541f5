import type { FileCompleted, MatchResult, NormalizedBatch, NormalizedRecord, Program, Source } from '@padan/contracts';
import { recordKey } from '@padan/contracts';
import {
  cleanNik,
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
import type { BaseResult, DtksNikChange, FamilySummary, MatchState, OccurrenceSummary } from '@padan/match-state';
import { occurrenceKey } from '@padan/match-state';
import { appendAll, emptyMatchOutput } from './match-output.js';
import type { MatchOutput, MatchOutputBuilder } from './match-output.js';

/** A claim on releasing a period's held batches (see MatchStage `releaseClaim`); `take` is reentrant for its holder. */
export interface ReleaseClaim {
  take(period: string): Promise<boolean>;
  give(period: string): Promise<void>;
}

/**
 * The match stage: reconciles program records against the DTKS release of their period.
 *
 * Results form a changelog keyed by record identity. When a record's result depends on other
 * records (an earlier duplicate, a family's other programs, other DTKS rows of the NIK), match
 * re-emits every result the new evidence changes, so the latest result per key is the same
 * whatever the arrival order. `seq` is the size of the evidence a result was computed from;
 * evidence only grows, so a consumer keeping the highest `seq` per key keeps the most informed
 * result. What is re-emitted is decided from the state, never from what one delivery added, so a
 * batch redelivered after a crash re-emits what its first delivery failed to publish.
 *
 * Program records wait until the period's DTKS release is completely loaded: reconciling against
 * a half-loaded index would publish false NOT_IN_DTKS findings.
 *
 * Every call returns what it produced (MatchOutput: results, index changes, reevaluations, held
 * batches to acknowledge); `publishMatchOutput` publishes it. An output never published leaves its
 * held batches held: they are released again, never forgotten unpublished.
 */
export class MatchStage {
  /**
   * Periods whose DTKS release this instance found complete: not asked again per batch (1 + files
   * round trips in Redis). Forgotten when a DTKS file of the period is announced, which may extend
   * the release.
   */
  private readonly complete = new Set<string>();

  /**
   * @param changelog return DTKS index changes (MatchOutput `indexChanges`) for the compacted
   *   changelog topic, from which a lost Redis index can be rebuilt. Off in the embedded run.
   */
  constructor(
    private readonly state: MatchState,
    private readonly rules: ProgramRules,
    private readonly options: {
      readonly changelog?: boolean;
      /**
       * The partition that owns a record (distributed). When set, results that other records'
       * evidence changes are not emitted here but returned for their owner (MatchOutput `reevaluations`), so
       * every record's results come from one writer, in order.
       */
      readonly owner?: (base: BaseResult) => number;
      /**
       * Held batches reconciled per release (distributed; default all). A release of a whole
       * backlog returns the results of every program row that arrived before the DTKS release was
       * complete, at once: the service's memory would grow with the input. With a page, the
       * caller publishes and acknowledges each page and asks for the next (MatchOutput `heldPending`, poll).
       */
      readonly heldPage?: number;
      /**
       * Who may release a period's held batches (distributed): taken before a page is read, given
       * back once the page is acknowledged. Instances would otherwise release the same page at
       * once (peeking does not claim it), and the slower one's results, computed with more
       * evidence, could follow the faster one's acknowledgement and its "nothing held" status.
       */
      readonly releaseClaim?: ReleaseClaim;
    } = {},
  ) {}

  async onFileCompleted(fc: FileCompleted): Promise<MatchOutput> {
    const out = emptyMatchOutput();
    if (fc.source !== 'DTKS') return out;
    this.complete.delete(fc.period);
    await this.state.setDtksExpected(fc.period, fc.file, fc.rowsEmitted);
    await this.releaseHeldIfComplete(fc.period, out);
    return out;
  }

  async onNormalized(batch: NormalizedBatch): Promise<MatchOutput> {
    const out = emptyMatchOutput();
    if (batch.reevaluate && batch.reevaluate.length > 0) {
      const bases = await this.state.getBase(batch.period, batch.reevaluate);
      for (const r of await this.finalize(batch.period, [...bases.values()])) out.results.push(r);
      return out;
    }
    if (batch.source === 'DTKS') {
      await this.onDtks(batch, out);
      await this.releaseHeldIfComplete(batch.period, out);
      return out;
    }
    if (!(await this.dtksComplete(batch.period))) {
      await this.state.holdBatch(batch.period, batch);
      // Another instance may have completed the release between the check and the hold, and
      // taken the held batches before this one was added: check again, so none is left behind.
      await this.releaseHeldIfComplete(batch.period, out);
      return out;
    }
    await this.onProgram(batch, out);
    return out;
  }

  /**
   * Reconciles held program batches if the period's DTKS release is now complete. Services call
   * it on a timer as a safety net, and again for a period whose output names it in `heldPending`.
   */
  async poll(period: string): Promise<MatchOutput> {
    const out = emptyMatchOutput();
    await this.releaseHeldIfComplete(period, out);
    return out;
  }

  private async dtksComplete(period: string): Promise<boolean> {
    if (this.complete.has(period)) return true;
    const expected = await this.state.dtksExpected(period);
    if (expected.size === 0) return false;
    for (const [file, rows] of expected) {
      if ((await this.state.markDtksRowsSeen(period, file, [])) < rows) return false;
    }
    this.complete.add(period);
    return true;
  }

  private async releaseHeldIfComplete(period: string, out: MatchOutputBuilder): Promise<void> {
    if (!(await this.dtksComplete(period))) return;
    const claim = this.options.releaseClaim;
    // Another instance is releasing this period's held batches: its poll goes on with them.
    if (claim && !(await claim.take(period))) return;
    const page = this.options.heldPage;
    const held = await this.state.peekHeld(period, page);
    // Nothing held: nothing to acknowledge either (batches released and not yet acknowledged are
    // still held, so a peek sees them), so the claim goes back now.
    if (claim && held.length === 0) await claim.give(period);
    if (page !== undefined && held.length >= page) out.heldPending.add(period);
    const ids: string[] = [];
    for (const { id, batch } of held) {
      await this.onProgram(batch, out);
      ids.push(id);
    }
    if (ids.length > 0) appendAll(out.acks, period, ids);
  }

  /**
   * Forgets the held batches an output reconciled (its `acks`), and gives back the release claim.
   * Call it once the output's results are published (publishMatchOutput does): until then they
   * stay held, so a crash loses none. Returns the periods whose held batches were forgotten.
   */
  async acknowledge(acks: MatchOutput['acks']): Promise<string[]> {
    const periods: string[] = [];
    for (const [period, ids] of acks) {
      await this.state.ackHeld(period, [...new Set(ids)]);
      await this.options.releaseClaim?.give(period);
      periods.push(period);
    }
    return periods;
  }

  /**
   * DTKS rows: each row's own result, and the results of earlier rows of its NIK that the batch
   * changes. A row's DUPLICATE_IN_DTKS result changes only when its NIK gets a second row (the
   * first row's result) or when the group's detail turns DIFFERENT_PERSON (every row's), so a NIK
   * held by n rows emits O(n) results in all, whatever the batch sizes. `seq` is the number of rows
   * holding the NIK when the result was computed: it only grows.
   */
  private async onDtks(batch: NormalizedBatch, output: MatchOutputBuilder): Promise<void> {
    const { period, file } = batch;
    const out = output.results;
    const persons: DtksPerson[] = [];
    // The record of each person, by position: persons[i] comes from records[i].
    const records: NormalizedRecord[] = [];
    const invalidRows: number[] = [];
    for (const rec of batch.records) {
      if (rec.nikInvalid !== null) {
        invalidRows.push(rec.row);
        out.push(dtksResult(batch, rec, ['INVALID_NIK'], [`INVALID_NIK:${rec.nikInvalid}`], 1));
        continue;
      }
      records.push(rec);
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
    // Valid rows are marked seen by the index itself, once indexed: a complete release is an indexed one.
    await this.state.markDtksRowsSeen(period, file, invalidRows);
    const changes = await this.state.addDtksPersons(period, persons);
    if (this.options.changelog) {
      // One entry per row, keyed by the row: no message grows with how many rows share a NIK.
      for (const p of persons) output.indexChanges.push({ v: 1, period, ...p, warnings: [...p.warnings] });
    }
    for (let i = 0; i < persons.length; i++) {
      const p = persons[i] as DtksPerson;
      const change = changes.get(p.nik) as DtksNikChange;
      const rec = records[i] as NormalizedRecord;
      if (change.detail === null) out.push(dtksResult(batch, rec, [], [], 1));
      else out.push(dtksResult(batch, rec, ['DUPLICATE_IN_DTKS'], [`DUPLICATE_IN_DTKS:${change.detail}`], change.rows));
    }
    // Rows of this batch have their own result above; the set is built only when some NIK is
    // duplicated, which is rare (a Map of every row per batch was a measurable share of onDtks).
    let batchRows: Set<number> | null = null;
    for (const change of changes.values()) {
      if (change.detail === null) continue;
      const details = [`DUPLICATE_IN_DTKS:${change.detail}`];
      const others = change.all ?? (change.rowsBefore === 1 || change.redelivered ? [change.first] : []);
      for (const p of others) {
        batchRows ??= new Set(batch.records.map((r) => r.row));
        if (p.file === file && batchRows.has(p.row)) continue;
        out.push(dtksPersonResult(batch, p, ['DUPLICATE_IN_DTKS'], details, change.rows));
      }
    }
  }

  private async onProgram(batch: NormalizedBatch, out: MatchOutputBuilder): Promise<void> {
    const { period } = batch;
    const program = batch.source as Program;
    const validNiks = new Set<string>();
    for (const r of batch.records) if (r.nikInvalid === null) validNiks.add(r.nik);
    const byNik = await this.state.dtksByNik(period, [...validNiks]);

    const dates = new Set<string>();
    for (const r of batch.records) if ((r.nikInvalid !== null || !byNik.has(r.nik)) && r.birthDate && r.nameKey) dates.add(r.birthDate);
    const byBirth = await this.state.dtksByBirthDate(period, [...dates]);

    const kks = new Set<string>();
    for (const r of batch.records) if (r.noKk && !(r.nikInvalid === null && byNik.get(r.nik)?.persons.some((p) => p.householdId))) kks.add(r.noKk);
    const kkHouseholds = await this.state.householdsByKk(period, [...kks]);

    const bases: BaseResult[] = [];
    for (const rec of batch.records) {
      const group = rec.nikInvalid === null ? byNik.get(rec.nik) : undefined;
      const verdict = reconcileRecord(rec, group?.persons ?? [], group?.rows ?? 0);
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
        warnings: verdict.warnings.length === 0 ? rec.warnings : [...rec.warnings, ...verdict.warnings],
        suggestedNik,
        householdId: verdict.matched?.householdId ?? (family?.startsWith('H:') ? family.slice(2) : null),
        regency: rec.regency ?? verdict.matched?.regency ?? null,
        notChecked: family ? verdict.notChecked : [...verdict.notChecked, 'FAMILY'],
        family,
      });
    }
    await this.state.putBase(period, bases);

    // Evidence other records depend on: re-emit the records whose result it changes. An
    // occurrence changes the others' result only when it is the first of its NIK in the program
    // (their DUPLICATE_IN_PROGRAM detail names it); a family member only when it is the first of
    // its program in the family (the programs it excludes are now in conflict). Both are decided
    // from the state alone, not from what this delivery added, so a batch redelivered after a crash
    // re-emits what the first delivery may not have published; and both are rare, so a NIK or a
    // family repeated n times costs O(n) results, not O(n²).
    const affected = new Set<string>();
    const occ = await this.state.addOccurrences(
      period,
      bases.filter((b) => b.nikValid).map((b) => ({ program, nik: b.nik, occ: { file: b.file, row: b.row, key: b.key } })),
    );
    for (const { all } of occ.values()) if (all) for (const o of all) affected.add(o.key);
    const fams = await this.state.addFamilyMembers(
      period,
      bases.filter((b) => b.family).map((b) => ({ family: b.family as string, program, key: b.key, file: b.file, row: b.row })),
    );
    const excluded = excludedBy(this.rules, program);
    for (const { all, firstOf } of fams.values()) {
      if (!all || !firstOf.has(program)) continue;
      for (const p of excluded) for (const k of all.get(p) ?? []) affected.add(k);
    }
    for (const b of bases) affected.delete(b.key);

    // What the adds answered is the evidence after this batch: not read back in finalize.
    const known = { occ, fams };
    const others = await this.state.getBase(period, [...affected]);
    const owner = this.options.owner;
    if (owner) for (const other of others.values()) appendAll(out.reevaluations, owner(other), [other]);
    else for (const other of others.values()) bases.push(other);
    // A loop, not push(...spread): a held backlog can be far larger than the call stack allows.
    for (const r of await this.finalize(period, bases, known)) out.results.push(r);
  }

  /**
   * Adds the cross-record reasons to base results and numbers them by the evidence they saw.
   * `known`: summaries the caller already has (answers of this batch's adds); only the rest is read.
   */
  private async finalize(
    period: string,
    bases: readonly BaseResult[],
    known?: { readonly occ: ReadonlyMap<string, OccurrenceSummary>; readonly fams: ReadonlyMap<string, FamilySummary> },
  ): Promise<MatchResult[]> {
    const pairs: { program: Source; nik: string }[] = [];
    const pairKeys = new Set<string>();
    const familyKeys = new Set<string>();
    // Each base's occurrence key, by position: built once, read again below.
    const occKeys: string[] = new Array(bases.length);
    for (let i = 0; i < bases.length; i++) {
      const b = bases[i] as BaseResult;
      if (b.nikValid) {
        const k = (occKeys[i] = occurrenceKey(b.source, b.nik));
        if (!known?.occ.has(k) && !pairKeys.has(k)) {
          pairKeys.add(k);
          pairs.push({ program: b.source, nik: b.nik });
        }
      }
      if (b.family !== null && !known?.fams.has(b.family)) familyKeys.add(b.family);
    }
    // The adds' answers are used as they are when nothing else needs reading (a fresh batch).
    const occ = await withRead(known?.occ, pairs.length === 0 ? null : () => this.state.occurrences(period, pairs));
    const families = await withRead(known?.fams, familyKeys.size === 0 ? null : () => this.state.familyMembers(period, [...familyKeys]));
    return bases.map((b, i) => {
      // Copied only when a cross-record reason is added (rare): the base's lists are not mutated.
      let reasons: readonly MatchResult['reasons'][number][] = b.reasons;
      let details: readonly string[] = b.details;
      const add = (reason: MatchResult['reasons'][number], detail: string) => {
        reasons = [...reasons, reason];
        details = [...details, detail];
      };
      // seq counts the evidence the result was computed from (occurrences of the NIK in the
      // program, members of the family): evidence only grows, so a later result never has a lower seq.
      let evidence = 1;
      if (b.nikValid) {
        const summary = occ.get(occKeys[i] as string);
        evidence += summary?.count ?? 0;
        const first = summary?.first;
        if (first && first.key !== b.key) add('DUPLICATE_IN_PROGRAM', `DUPLICATE_IN_PROGRAM:FIRST=${first.file}#${first.row}`);
      }
      if (b.family) {
        const family = families.get(b.family);
        evidence += family?.members ?? 0;
        for (const excluder of excludersOf(this.rules, b.source as Program)) {
          if (family?.programs.has(excluder as Source)) add('PROGRAM_CONFLICT', `PROGRAM_CONFLICT:${excluder}`);
        }
      }
      const ordered = reasons.length === 0 ? [] : orderReasons(reasons);
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
        details: details.length === 0 ? [] : orderDetails(details),
        warnings: b.warnings.length < 2 ? b.warnings.slice() : [...new Set(b.warnings)].sort(),
        suggestedNik: b.suggestedNik,
        householdId: b.householdId,
        regency: b.regency,
        notChecked: b.notChecked,
      } satisfies MatchResult;
    });
  }
}

/** `known` with what `read` answers added (a copy: `known` is the caller's); `known` itself when there is nothing to read. */
async function withRead<V>(known: ReadonlyMap<string, V> | undefined, read: (() => Promise<ReadonlyMap<string, V>>) | null): Promise<ReadonlyMap<string, V>> {
  if (!read) return known ?? new Map<string, V>();
  const out = new Map<string, V>(known ?? []);
  for (const [k, v] of await read()) out.set(k, v);
  return out;
}

/** A sorted copy; most records have no warning or one, which need no sort. */
function sortedCopy<T>(list: readonly T[]): T[] {
  return list.length < 2 ? list.slice() : [...list].sort();
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
    warnings: sortedCopy(rec.warnings),
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
    warnings: sortedCopy(p.warnings) as MatchResult['warnings'],
    suggestedNik: null,
    householdId: p.householdId,
    regency: p.regency,
    notChecked: [],
  };
}
