import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changeIdentity, nameKey, namesMatch } from '@padan/core';
import { civilFromDays, daysFromCivil, daysInMonth, excelSerial, formatDate, nikDateDigits } from './dates.js';
import { chooseLayout } from './layout.js';
import type { DtksLayout, Field, Program, ProgramLayout } from './layout.js';
import { applyCase, nameVariant, personName } from './names.js';
import type { Sex } from './names.js';
import { cosmeticVariant, invalidVariant, isValidNik, neighbours, typo, valid } from './nik-tools.js';
import type { InvalidKind, RawNik } from './nik-tools.js';
import { buildPopulation, RELATIONS, STATUS_VALUES } from './population.js';
import type { Population } from './population.js';
import { Rng } from './prng.js';
import { dottedVillage, jambiRegions } from './regions.js';
import { compareTruth, DtksIndex, dtksDuplicateDetail, evaluateRecord, nikRegionUnknown, orderDetails, orderReasons, TRUTH_HEADER, truthLine } from './truth.js';
import type { Reason, RecordFacts, TruthRow } from './truth.js';
import { CsvSink, JsonlSink, TextOut, XlsxSink } from './writers.js';
import type { Cell, RowSink } from './writers.js';

export interface GenerateOptions {
  outDir: string;
  /** Number of DTKS households (default 2000). */
  households?: number;
  /** Seed of every random choice (default 1): the same seed gives byte-identical files. */
  seed?: number;
  /** Period `YYYY-MM` (default '2021-09'). */
  period?: string;
  /** 'mixed' (default): DTKS CSV `;`, PKH XLSX, SEMBAKO CSV, BST JSON Lines, PBI CSV; 'csv': all CSV. */
  formats?: 'mixed' | 'csv';
}

export interface GeneratedFiles {
  period: string;
  dtks: string;
  programs: { program: Program; path: string }[];
  truth: string;
  stats: Record<string, number>;
}

interface RejectedRow {
  program: string;
  file: string;
  row: number;
  reason: string;
}

interface FileCount {
  program: string;
  format: string;
  header_row: number;
  data_rows: number;
  rejected_rows: number;
  blank_rows: number;
  finding_rows: number;
}

/** Rates of the injected defects (per program record unless said otherwise). */
export const RATES = {
  pkhHouseholds: 0.33,
  sembakoGivenPkh: 0.6,
  sembakoGivenNoPkh: 0.257,
  bstOfNeither: 0.2,
  /** Chosen so that ≈ 2 % of BST households also receive PKH or SEMBAKO. */
  bstOfPkhOrSembako: 0.0041,
  pbiPersons: 0.4,
  invalidNik: 0.02,
  typoNik: 0.01,
  cosmeticNik: 0.03,
  nameMismatch: 0.005,
  nameVariant: 0.15,
  birthMismatch: 0.01,
  regionMismatch: 0.01,
  otherVillageSameRegency: 0.02,
  duplicateInProgram: 0.01,
  stranger: 0.01,
  rejected: 0.0005,
  blank: 0.0005,
} as const;

/** How a follow-on month changes the earlier month's records (per record of the earlier month). */
export const FOLLOW_ON_RATES = {
  /** The record leaves the list. */
  removed: 0.03,
  /** A flagged record is corrected (strangers are dropped instead). */
  fixFlagged: 0.35,
  /** A flagged record gets another defect. */
  damageFlagged: 0.2,
  /** A clean record gets a defect. */
  damageClean: 0.02,
  /** A new household (or PBI person) joins the list before the record. */
  newItem: 0.03,
  /** A new stranger joins the list before the record. */
  stranger: 0.005,
} as const;

const PROGRAM_INVALID_KINDS: readonly (readonly [InvalidKind, number])[] = [
  ['EMPTY', 15], ['EXCEL_SCIENTIFIC', 30], ['LENGTH', 32], ['PROVINCE', 8], ['BIRTHDATE', 9], ['SERIAL', 6],
];

/** The checked options of a month. */
export interface MonthParams {
  households: number;
  seed: number;
  period: string;
  formats: 'mixed' | 'csv';
}

export function checkOptions(opts: Omit<GenerateOptions, 'outDir'>): MonthParams {
  const households = opts.households ?? 2000;
  const seed = opts.seed ?? 1;
  const period = opts.period ?? '2021-09';
  const formats = opts.formats ?? 'mixed';
  if (!Number.isInteger(households) || households < 1 || households > 2_000_000) throw new RangeError(`households must be an integer 1..2000000, got ${households}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new RangeError(`period must be YYYY-MM, got ${JSON.stringify(period)}`);
  if (formats !== 'mixed' && formats !== 'csv') throw new RangeError(`formats must be 'mixed' or 'csv', got ${JSON.stringify(formats)}`);
  return { households, seed, period, formats };
}

/**
 * Generates a DTKS release, four program files and the expected findings for one period. Files are
 * streamed; the DTKS population is held in compact arrays (≈ 4 persons per household).
 */
export async function generate(opts: GenerateOptions): Promise<GeneratedFiles> {
  return (await generateMonth(checkOptions(opts), opts.outDir, null, false)).files;
}

/** A program record as the generator wrote it: enough to write it again next month, changed or not. */
export interface RecordSpec {
  /** The DTKS row of the person, -1 for a stranger. */
  readonly r: number;
  readonly nik: RawNik;
  readonly name: string;
  readonly sex: Sex;
  readonly birth: number;
  readonly village: number;
  readonly kk: string;
}

/** A written program record and what padan must find for it. */
export interface RecordedRecord {
  readonly spec: RecordSpec;
  /** Truth reasons, in precedence order; empty for a clean record. */
  readonly reasons: readonly Reason[];
  /** `changeIdentity` of the record, as padan computes it from the written values. */
  readonly identity: string;
}

/** What the next month of the same population needs from a generated month. */
export interface MonthState {
  readonly params: MonthParams;
  readonly files: GeneratedFiles;
  readonly pop: Population;
  readonly synthetic: Set<string>;
  /** Items (households, or persons for PBI) ever listed per program, so new ones are really new. */
  readonly listed: Record<Program, Set<number>>;
  /** Records per program in file order (only when recorded). */
  readonly records: Record<Program, RecordedRecord[]>;
  /** The chain this month closes, null for a first month. */
  readonly chain: FollowOnChain | null;
}

/** Per program, the month's items: a new month (null), or the records of the previous month to carry over. */
type ProgramPlan = null | MonthState;

/**
 * One month: a new population (`previous` null) or the next month of `previous`'s population, whose
 * program records are the earlier ones carried over, fixed, damaged or dropped, plus new ones.
 */
export async function generateMonth(params: MonthParams, outDir: string, previous: ProgramPlan, record: boolean): Promise<MonthState> {
  const { households, seed, period, formats } = params;
  await mkdir(outDir, { recursive: true });
  const regions = jambiRegions();
  let pop: Population;
  if (previous === null) {
    const refDay = daysFromCivil(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1);
    pop = buildPopulation(regions, { households, seed, refDay });
  } else pop = previous.pop;
  const layout = chooseLayout(new Rng(seed, 'layout'), period, formats);
  const truth: TruthRow[] = [];
  const rejected: RejectedRow[] = [];
  const counts: Record<string, FileCount> = {};
  const stats = pop.stats;
  const count = (k: string, by = 1): void => {
    stats[k] = (stats[k] ?? 0) + by;
  };

  // DTKS
  const dtksPath = join(outDir, layout.dtks.fileName);
  const fileOrder = await writeDtks(pop, layout.dtks, dtksPath, new Rng(seed, 'dtks-format'));
  const idx = new DtksIndex(pop, fileOrder);
  pop.forgetIndexedNiks(idx);
  const dtksTruthRows = dtksTruth(pop, idx, fileOrder, layout.dtks.fileName, count);
  for (const t of dtksTruthRows) truth.push(t);
  counts[layout.dtks.fileName] = { program: 'DTKS', format: 'csv', header_row: 3, data_rows: fileOrder.length, rejected_rows: 0, blank_rows: 0, finding_rows: dtksTruthRows.length };
  count('dtks_rows', fileOrder.length);

  // Programs
  const families = { PKH: new Set<string>(), SEMBAKO: new Set<string>() };
  const synthetic = previous?.synthetic ?? new Set<string>();
  const programs: { program: Program; path: string }[] = [];
  const order: Program[] = ['PKH', 'SEMBAKO', 'BST', 'PBI'];
  const listed = { PKH: new Set<number>(), SEMBAKO: new Set<number>(), BST: new Set<number>(), PBI: new Set<number>() };
  const records = { PKH: [], SEMBAKO: [], BST: [], PBI: [] } as Record<Program, RecordedRecord[]>;
  const membership = previous === null ? chooseMembership(pop, new Rng(seed, 'membership'), count) : null;
  for (const program of order) {
    const pl = layout.programs.find((p) => p.program === program) as ProgramLayout;
    const path = join(outDir, pl.fileName);
    // A new month draws from the streams of the first month's design (unchanged since), a follow-on from its own.
    const rng = new Rng(seed, previous === null ? `program-${program}` : `program-${program}-follow-on-${period}`);
    const gen = new ProgramGenerator(pop, idx, pl, path, rng, synthetic, families, truth, rejected, count, record ? records[program] : null);
    let c: FileCount;
    if (membership !== null) {
      const items = program === 'PBI' ? membership.pbi : membership[program];
      for (const item of items) listed[program].add(item);
      c = await gen.run(items);
    } else {
      const prev = previous as MonthState;
      for (const item of prev.listed[program]) listed[program].add(item);
      const others = prev.listed;
      // New BST households come from those with neither PKH nor SEMBAKO, as BST's own do.
      const excluded = program === 'BST' ? [others.BST, others.PKH, others.SEMBAKO] : [others[program]];
      const pool = freshPool(pop, program === 'PBI', excluded);
      c = await gen.runFollowOn(prev.records[program], pool, listed[program]);
    }
    counts[pl.fileName] = c;
    programs.push({ program, path });
  }

  // Truth
  truth.sort(compareTruth);
  const truthPath = join(outDir, 'truth.csv');
  const out = new TextOut(truthPath);
  await out.write(`${TRUTH_HEADER.join(',')}\n`);
  for (const t of truth) await out.write(`${truthLine(t)}\n`);
  await out.close();
  rejected.sort(compareTruth);
  const rej = new TextOut(join(outDir, 'truth-rejected.csv'));
  await rej.write('program,source_file,source_row,reason\n');
  for (const r of rejected) await rej.write(`${r.program},${r.file},${r.row},${r.reason}\n`);
  await rej.close();
  count('truth_rows', truth.length);
  count('rejected_rows', rejected.length);
  const suggestionCount = truth.filter((t) => t.suggested !== '').length;
  count('truth_suggestions', suggestionCount);
  const chain = previous === null ? null : followOnOf(previous);
  const followOn = chain === null ? {} : { follow_on: chain };
  await writeFile(
    join(outDir, 'truth-counts.json'),
    `${JSON.stringify({ period, seed, households, formats, ...followOn, files: counts }, null, 2)}\n`,
  );
  const sortedStats: Record<string, number> = {};
  for (const k of Object.keys(stats).sort()) sortedStats[k] = stats[k] as number;
  const files = { period, dtks: dtksPath, programs, truth: truthPath, stats: sortedStats };
  return { params, files, pop, synthetic, listed, records, chain };
}

/** How truth-counts.json names the chain a follow-on month belongs to: the first month and how many follow it. */
export interface FollowOnChain {
  base_period: string;
  months: number;
}

function followOnOf(previous: MonthState): FollowOnChain {
  const chain = previous.chain ?? { base_period: previous.params.period, months: 0 };
  return { base_period: chain.base_period, months: chain.months + 1 };
}

/** Items not listed by any of `excluded`: households (family programs) or persons, not DTKS duplicate rows. */
function freshPool(pop: Population, persons: boolean, excluded: readonly Set<number>[]): number[] {
  const out: number[] = [];
  if (persons) {
    for (let r = 0; r < pop.n; r++) if (pop.copyOf[r] === -1 && excluded.every((s) => !s.has(r))) out.push(r);
  } else {
    for (let h = 0; h < pop.hhCount; h++) if (excluded.every((s) => !s.has(h))) out.push(h);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DTKS

function regionText(villageCode: string, dotted: boolean): string {
  return dotted ? dottedVillage(villageCode) : villageCode;
}

/** Writes the DTKS CSV (`;`, BOM, CRLF, title + blank line above the header); returns rows in file order. */
async function writeDtks(pop: Population, layout: DtksLayout, path: string, rng: Rng): Promise<Int32Array> {
  const sink = await CsvSink.open(path, { delimiter: ';', eol: '\r\n', bom: true, titleLines: [layout.title, ''], header: layout.headers });
  const order = new Int32Array(pop.n);
  let i = 0;
  for (let h = 0; h < pop.hhCount; h++) {
    const village = (pop.regions.villages[pop.hhVillage[h] as number] as { code: string }).code;
    const region = regionText(village, layout.dottedRegion);
    for (const r of pop.rowsOf(h)) {
      const status = STATUS_VALUES[pop.status[r] as number] as string;
      const cells: Cell[] = [
        pop.hhId[h] as string,
        pop.hhKkRaw[h] as string,
        pop.nikRaw[r] as string,
        pop.name[r] as string,
        RELATIONS[pop.rel[r] as number] as string,
        pop.sex[r] === 0 ? 'L' : 'P',
        formatDate(pop.birth[r] as number, layout.dateStyle),
        pop.mother[r] as string,
        pop.hhAddress[h] as string,
        // A few rows carry the region code plain while the rest are dotted (or the other way).
        rng.chance(0.01) ? regionText(village, !layout.dottedRegion) : region,
        status,
      ];
      pop.fileRow[r] = await sink.row(cells);
      order[i++] = r;
    }
  }
  await sink.finish();
  return order;
}

function dtksTruth(pop: Population, idx: DtksIndex, fileOrder: Int32Array, file: string, count: (k: string, by?: number) => void): TruthRow[] {
  const out: TruthRow[] = [];
  const detailOf = new Map<string, string>();
  for (const r of fileOrder) {
    const warnings: string[] = [];
    const reasons: Reason[] = [];
    const details: string[] = [];
    if (pop.statusUnknown(r)) warnings.push('STATUS_UNKNOWN');
    if (pop.deceased(r)) count('dtks_deceased');
    const kind = pop.invalidKind(r);
    if (kind !== null) {
      reasons.push('INVALID_NIK');
      details.push(`INVALID_NIK:${kind}`);
      count(`dtks_invalid_${kind}`);
    } else {
      const nik = pop.nik[r] as string;
      if (nikRegionUnknown(nik, pop.regions)) warnings.push('NIK_REGION_UNKNOWN');
      const group = idx.rowsOfNik(nik);
      if (group.length > 1) {
        let detail = detailOf.get(nik);
        if (detail === undefined) {
          detail = dtksDuplicateDetail(idx, group);
          detailOf.set(nik, detail);
          count(`dtks_dup_groups_${detail}`);
        }
        reasons.push('DUPLICATE_IN_DTKS');
        details.push(`DUPLICATE_IN_DTKS:${detail}`);
      }
    }
    for (const w of warnings) count(`warning_DTKS_${w}`);
    if (reasons.length > 0) {
      for (const reason of reasons) count(`truth_DTKS_${reason}`);
      out.push({ program: 'DTKS', file, row: pop.fileRow[r] as number, reasons: orderReasons(reasons), details: orderDetails(details), suggested: '', warnings: warnings.sort() });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Program membership

interface Membership {
  PKH: number[];
  SEMBAKO: number[];
  BST: number[];
  /** PBI: DTKS rows (individuals). */
  pbi: number[];
}

/** Family programs list households (by caretaker); PBI lists individuals. */
function chooseMembership(pop: Population, rng: Rng, count: (k: string, by?: number) => void): Membership {
  const m: Membership = { PKH: [], SEMBAKO: [], BST: [], pbi: [] };
  for (let h = 0; h < pop.hhCount; h++) {
    const pkh = rng.chance(RATES.pkhHouseholds);
    const sembako = rng.chance(pkh ? RATES.sembakoGivenPkh : RATES.sembakoGivenNoPkh);
    const bst = rng.chance(pkh || sembako ? RATES.bstOfPkhOrSembako : RATES.bstOfNeither);
    if (pkh) m.PKH.push(h);
    if (sembako) m.SEMBAKO.push(h);
    if (bst) m.BST.push(h);
    if (bst && (pkh || sembako)) count('bst_households_also_pkh_or_sembako');
  }
  for (let h = 0; h < pop.hhCount; h++) {
    for (const r of pop.rowsOf(h)) {
      if (pop.copyOf[r] !== -1) continue;
      if (rng.chance(RATES.pbiPersons)) m.pbi.push(r);
    }
  }
  count('households_PKH', m.PKH.length);
  count('households_SEMBAKO', m.SEMBAKO.length);
  count('households_BST', m.BST.length);
  count('persons_PBI', m.pbi.length);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Program files

interface Built {
  cells: Cell[];
  facts: RecordFacts;
  spec: RecordSpec;
  /** The name as written (case applied). */
  written: string;
  /** Index of the name column in cells, for rejected-row damage. */
  nameColumn: number;
}

interface PersonChoices {
  /** Allow NIK / name / birth date / region defects (off for the second copy of a duplicate). */
  defects: boolean;
}

const NOMINALS = ['600000', '750000', '200000', '300000', '225000'];
const BANKS = ['BNI', 'BRI', 'MANDIRI', 'BSI', 'POS'];

class ProgramGenerator {
  private readonly seen = new Map<string, number>();
  private readonly program: Program;
  private readonly file: string;
  private sink!: RowSink;
  private running = 0;
  private readonly fieldIndex: Partial<Record<Field, number>> = {};

  constructor(
    private readonly pop: Population,
    private readonly idx: DtksIndex,
    private readonly layout: ProgramLayout,
    private readonly path: string,
    private readonly rng: Rng,
    private readonly synthetic: Set<string>,
    private readonly families: { PKH: Set<string>; SEMBAKO: Set<string> },
    private readonly truth: TruthRow[],
    private readonly rejected: RejectedRow[],
    private readonly count: (k: string, by?: number) => void,
    private readonly recorded: RecordedRecord[] | null,
  ) {
    this.program = layout.program;
    this.file = layout.fileName;
    layout.columns.forEach((c, i) => (this.fieldIndex[c.field] = i));
  }

  private has(field: Field): boolean {
    return this.fieldIndex[field] !== undefined;
  }

  private async open(): Promise<{ headerRow: number }> {
    const l = this.layout;
    const header = l.columns.map((c) => c.header);
    if (l.format === 'xlsx') {
      this.sink = await XlsxSink.open(this.path, this.program, l.titleLines, header);
      return { headerRow: l.titleLines.length + 1 };
    }
    if (l.format === 'jsonl') {
      this.sink = new JsonlSink(this.path, header);
      return { headerRow: 0 };
    }
    const nameCol = this.fieldIndex.nama;
    this.sink = await CsvSink.open(this.path, {
      delimiter: l.delimiter,
      eol: l.eol,
      bom: l.bom,
      titleLines: l.titleLines,
      header,
      ...(l.quoteNames && nameCol !== undefined ? { quoted: new Set([nameCol]) } : {}),
    });
    return { headerRow: l.titleLines.length + 1 };
  }

  /**
   * Writes the file: one record per item (a household's caretaker, or a PBI person), with
   * strangers, repeated records, blank and unparseable rows mixed in.
   */
  async run(items: readonly number[]): Promise<FileCount> {
    const { headerRow } = await this.open();
    const rng = this.rng;
    const family = this.program !== 'PBI';
    const counts: FileCount = { program: this.program, format: this.layout.format, header_row: headerRow, data_rows: 0, rejected_rows: 0, blank_rows: 0, finding_rows: 0 };
    const canReject = this.sink.rejectReason !== null;
    // At least one blank and (where the format allows) one unparseable row per file.
    const forcedReject = canReject && items.length > 0 ? rng.int(Math.min(items.length, 300)) : -1;
    const forcedBlank = items.length > 0 ? rng.int(Math.min(items.length, 300)) : -1;
    const pending: { due: number; r: number }[] = [];
    let emitted = 0;
    const flushDue = async (all: boolean): Promise<void> => {
      for (let i = 0; i < pending.length; ) {
        const p = pending[i] as { due: number; r: number };
        if (all || p.due <= emitted) {
          pending.splice(i, 1);
          await this.emit(this.personRecord(p.r, { defects: false }), counts, 'duplicate');
          emitted++;
        } else i++;
      }
    };

    for (let k = 0; k < items.length; k++) {
      const item = items[k] as number;
      const r = family ? (this.pop.hhFirst[item] as number) : item;
      if (canReject && (k === forcedReject || rng.chance(RATES.rejected))) {
        await this.writeRejected(this.personRecord(r, { defects: false }), counts);
      }
      if (k === forcedBlank || rng.chance(RATES.blank)) {
        await this.sink.blank();
        counts.blank_rows++;
      }
      if (rng.chance(RATES.stranger)) {
        await this.emit(this.strangerRecord(), counts, 'stranger');
        emitted++;
      }
      await flushDue(false);
      const built = this.personRecord(r, { defects: true });
      const nikOk = built.facts.nik.invalid === null && this.idx.has(built.facts.nik.clean);
      await this.emit(built, counts, 'person');
      emitted++;
      if (nikOk && rng.chance(RATES.duplicateInProgram)) {
        pending.push({ due: emitted + rng.int(400), r });
        this.count(`planned_duplicates_${this.program}`);
      }
    }
    await flushDue(true);
    await this.sink.finish();
    return counts;
  }

  /** A row the reader must dead-letter (this format's rejectReason), recorded in the truth of rejected rows. */
  private async writeRejected(junk: { readonly cells: Parameters<RowSink['rejected']>[0]; readonly nameColumn: number }, counts: FileCount): Promise<void> {
    const row = await this.sink.rejected(junk.cells, junk.nameColumn);
    this.rejected.push({ program: this.program, file: this.file, row, reason: this.sink.rejectReason as string });
    counts.rejected_rows++;
    this.count(`rejected_${this.program}`);
  }

  /**
   * Writes the next month of this program: the earlier month's records in their order, each kept,
   * dropped, fixed (a flagged one rewritten with the person's own NIK, name, birth date and
   * domicile) or damaged (a new defect), with new items from `pool` and new strangers mixed in.
   * What padan must find is evaluated on what is written, as in the first month.
   */
  async runFollowOn(previous: readonly RecordedRecord[], pool: number[], listed: Set<number>): Promise<FileCount> {
    const { headerRow } = await this.open();
    const rng = this.rng;
    const family = this.program !== 'PBI';
    const counts: FileCount = { program: this.program, format: this.layout.format, header_row: headerRow, data_rows: 0, rejected_rows: 0, blank_rows: 0, finding_rows: 0 };
    const canReject = this.sink.rejectReason !== null;
    const forcedReject = canReject && previous.length > 0 ? rng.int(Math.min(previous.length, 300)) : -1;
    const forcedBlank = previous.length > 0 ? rng.int(Math.min(previous.length, 300)) : -1;
    for (let k = 0; k < previous.length; k++) {
      const before = previous[k] as RecordedRecord;
      if (canReject && (k === forcedReject || rng.chance(RATES.rejected))) {
        await this.writeRejected(this.fromSpec(before.spec), counts);
      }
      if (k === forcedBlank || rng.chance(RATES.blank)) {
        await this.sink.blank();
        counts.blank_rows++;
      }
      if (rng.chance(FOLLOW_ON_RATES.stranger)) {
        await this.emit(this.strangerRecord(), counts, 'stranger');
        this.count(`follow_on_new_strangers_${this.program}`);
      }
      if (pool.length > 0 && rng.chance(FOLLOW_ON_RATES.newItem)) {
        // Swap-remove a random item: each new item is drawn once.
        const at = rng.int(pool.length);
        const item = pool[at] as number;
        pool[at] = pool[pool.length - 1] as number;
        pool.pop();
        listed.add(item);
        await this.emit(this.personRecord(family ? (this.pop.hhFirst[item] as number) : item, { defects: true }), counts, 'person');
        this.count(`follow_on_new_items_${this.program}`);
      }
      const x = rng.float();
      if (x < FOLLOW_ON_RATES.removed) {
        this.count(`follow_on_dropped_${this.program}`);
        continue;
      }
      const spec = before.spec;
      let next = spec;
      if (before.reasons.length > 0) {
        const y = rng.float();
        if (y < FOLLOW_ON_RATES.fixFlagged) {
          // A stranger cannot be corrected into a DTKS person: the list drops them.
          if (spec.r < 0) {
            this.count(`follow_on_dropped_${this.program}`);
            continue;
          }
          next = this.corrected(spec);
          this.count(`follow_on_corrected_${this.program}`);
        } else if (y < FOLLOW_ON_RATES.fixFlagged + FOLLOW_ON_RATES.damageFlagged) {
          next = this.damaged(spec, false);
          this.count(`follow_on_damaged_${this.program}`);
        }
      } else if (rng.chance(FOLLOW_ON_RATES.damageClean)) {
        next = this.damaged(spec, true);
        this.count(`follow_on_damaged_${this.program}`);
      }
      await this.emit(this.fromSpec(next), counts, 'person');
    }
    await this.sink.finish();
    return counts;
  }

  private fromSpec(s: RecordSpec): Built {
    return this.build(s.r, s.nik, s.name, s.sex, s.birth, s.village, s.kk);
  }

  /** The record as the person is in DTKS: their own NIK (cosmetic forms allowed), name, birth date and domicile. */
  private corrected(s: RecordSpec): RecordSpec {
    const pop = this.pop;
    const h = pop.rowHh[s.r] as number;
    const baseNik = pop.isValid(s.r) ? (pop.nik[s.r] as string) : (pop.trueNik[s.r] as string);
    const nik = s.nik.invalid === null && s.nik.clean === baseNik ? s.nik : valid(baseNik);
    return { ...s, nik, name: pop.name[s.r] as string, birth: pop.birth[s.r] as number, village: pop.hhVillage[h] as number };
  }

  /**
   * The record with one more defect: another birth date, a domicile in another regency, another
   * person's name, or (`typo`, for a record that was clean) a one-digit typo in the NIK.
   */
  private damaged(s: RecordSpec, typo: boolean): RecordSpec {
    if (s.r < 0) return s;
    const pop = this.pop;
    const rng = this.rng;
    const kinds: ('birth' | 'region' | 'name' | 'typo')[] = ['name'];
    if (this.has('tgl')) kinds.push('birth');
    if (this.has('wil')) kinds.push('region');
    if (typo) kinds.push('typo');
    const kind = rng.pick(kinds);
    const baseNik = pop.isValid(s.r) ? (pop.nik[s.r] as string) : (pop.trueNik[s.r] as string);
    if (kind === 'birth') return { ...s, birth: alteredDate(rng, pop.birth[s.r] as number) };
    if (kind === 'region') {
      const regions = pop.regions;
      const v = regions.villages[pop.hhVillage[pop.rowHh[s.r] as number] as number] as (typeof regions.villages)[number];
      const others = regions.regencies.filter((_, i) => i !== v.regency);
      return { ...s, village: rng.pick(rng.pick(others).villages) };
    }
    if (kind === 'name') return { ...s, name: this.otherPersonsName(s.r, baseNik) };
    const t = this.typoOf(baseNik);
    return t === null ? s : { ...s, nik: valid(t) };
  }

  private async emit(b: Built, counts: FileCount, kind: 'person' | 'stranger' | 'duplicate'): Promise<void> {
    const row = await this.sink.row(b.cells);
    counts.data_rows++;
    this.count(`rows_${this.program}`);
    if (kind !== 'person') this.count(`${kind}_rows_${this.program}`);
    const v = evaluateRecord(this.idx, b.facts);
    const reasons = v.reasons;
    const details = v.details;
    if (v.validNik !== null) {
      const first = this.seen.get(v.validNik);
      if (first !== undefined) {
        reasons.push('DUPLICATE_IN_PROGRAM');
        details.push(`DUPLICATE_IN_PROGRAM:FIRST=${this.file}#${first}`);
      } else this.seen.set(v.validNik, row);
    }
    if (v.family !== null) {
      if (this.program === 'PKH' || this.program === 'SEMBAKO') this.families[this.program].add(v.family);
      else if (this.program === 'BST') {
        for (const excluder of ['PKH', 'SEMBAKO'] as const) {
          if (this.families[excluder].has(v.family)) {
            reasons.push('PROGRAM_CONFLICT');
            details.push(`PROGRAM_CONFLICT:${excluder}`);
          }
        }
      }
    }
    for (const w of v.warnings) this.count(`warning_${this.program}_${w}`);
    if (this.recorded !== null) {
      const identity = changeIdentity(v.validNik ?? '', b.spec.nik.raw, b.written);
      this.recorded.push({ spec: b.spec, reasons: reasons.length === 0 ? [] : orderReasons(reasons), identity });
    }
    if (reasons.length === 0) return;
    counts.finding_rows++;
    const ordered = orderReasons(reasons);
    for (const reason of ordered) this.count(`truth_${this.program}_${reason}`);
    if (v.suggested !== '') this.count(`truth_${this.program}_suggestions`);
    this.truth.push({ program: this.program, file: this.file, row, reasons: ordered, details: orderDetails(details), suggested: v.suggested, warnings: [...new Set(v.warnings)].sort() });
  }

  // -- record builders ---------------------------------------------------------------------------

  private regionCell(villageIdx: number): { text: string; regency: string } {
    const code = (this.pop.regions.villages[villageIdx] as { code: string }).code;
    return { text: regionText(code, this.layout.dottedRegion), regency: code.slice(0, 4) };
  }

  private dateCell(day: number): Cell {
    if (this.layout.dateSerialShare > 0 && this.rng.chance(this.layout.dateSerialShare)) return { dateSerial: excelSerial(day) };
    return formatDate(day, this.layout.dateStyle);
  }

  /** The raw NIK cell: numeric cells (XLSX) / JSON numbers (JSONL) for some plain NIKs. */
  private nikCell(nik: RawNik): Cell {
    if (nik.invalid === null && nik.raw === nik.clean && this.layout.numericShare > 0 && this.rng.chance(this.layout.numericShare)) return { number: nik.raw };
    if (nik.invalid === 'LENGTH' && /^[1-9]\d*$/.test(nik.raw) && this.layout.format === 'xlsx' && this.rng.chance(this.layout.numericShare)) return { number: nik.raw };
    return nik.raw;
  }

  private kkCell(kk: string): { cell: Cell; clean: string } {
    const rng = this.rng;
    if (this.layout.numericShare > 0 && rng.chance(this.layout.numericShare)) return { cell: { number: kk }, clean: kk };
    const x = rng.float();
    if (x < 0.01) return { cell: `'${kk}`, clean: kk };
    if (x < 0.02) return { cell: `${kk}.0`, clean: kk };
    if (x < 0.03) return { cell: `${kk.slice(0, 6)} ${kk.slice(6, 12)} ${kk.slice(12)}`, clean: kk };
    return { cell: kk, clean: kk };
  }

  private build(r: number, nik: RawNik, name: string, sex: Sex, birth: number, village: number, kk: string): Built {
    const cells: Cell[] = [];
    let nameColumn = -1;
    const written = applyCase(name, this.layout.nameCase);
    let kkClean: string | null = null;
    let regency: string | null = null;
    for (const c of this.layout.columns) {
      switch (c.field) {
        case 'no':
          cells.push(String(++this.running));
          break;
        case 'nik':
          cells.push(this.nikCell(nik));
          break;
        case 'nama':
          nameColumn = cells.length;
          cells.push(written);
          break;
        case 'kk': {
          const k = this.kkCell(kk);
          kkClean = k.clean;
          cells.push(k.cell);
          break;
        }
        case 'tgl':
          cells.push(this.dateCell(birth));
          break;
        case 'wil': {
          const reg = this.regionCell(village);
          regency = reg.regency;
          cells.push(reg.text);
          break;
        }
        case 'jk':
          cells.push(sex === 0 ? 'L' : 'P');
          break;
        case 'tahap':
          cells.push(this.program === 'BST' ? 'TAHAP 9' : '3');
          break;
        case 'nominal':
          cells.push(this.rng.pick(NOMINALS));
          break;
        case 'bank':
          cells.push(this.rng.pick(BANKS));
          break;
      }
    }
    const key = nameKey(written.trim());
    const facts: RecordFacts = {
      nik,
      nameKey: key === '' ? null : key,
      birth: this.has('tgl') ? birth : null,
      regency,
      kk: kkClean,
    };
    return { cells, facts, nameColumn, spec: { r, nik, name, sex, birth, village, kk }, written };
  }

  /** A typo of `nik`: structurally valid, not a DTKS NIK, not any generated person's, not used before. */
  private typoOf(nik: string, lastDigit = false): string | null {
    for (let i = 0; i < 100; i++) {
      const t = typo(this.rng, nik, lastDigit && i < 20);
      if (!isValidNik(t, this.pop.regions.provinces) || this.idx.has(t) || this.pop.allNiks.has(t) || this.synthetic.has(t)) continue;
      this.synthetic.add(t);
      return t;
    }
    return null;
  }

  private personRecord(r: number, choice: PersonChoices): Built {
    const pop = this.pop;
    const rng = this.rng;
    const h = pop.rowHh[r] as number;
    const baseNik = pop.isValid(r) ? (pop.nik[r] as string) : (pop.trueNik[r] as string);
    const sex = pop.sex[r] as Sex;

    let nik: RawNik = valid(baseNik);
    let x = rng.float();
    // Hard case: a typo in the last digit of a "twin" caretaker's NIK is one digit from both twins'
    // NIKs; the suggestion is unique only when their names do not match.
    if (choice.defects && pop.twin[r] === 1 && pop.isValid(r) && rng.chance(0.25)) {
      const t = this.typoOf(baseNik, true);
      if (t !== null) {
        nik = valid(t);
        this.count(`planned_twin_typos_${this.program}`);
        x = 1;
      }
    }
    if (choice.defects && x < RATES.invalidNik) {
      const kind = rng.pickWeighted(PROGRAM_INVALID_KINDS);
      nik = invalidVariant(rng, baseNik, kind, pop.regions.provinces, this.layout.delimiter === ';' && this.layout.format === 'csv');
      this.count(`planned_invalid_${this.program}_${kind}`);
    } else if (choice.defects && x < RATES.invalidNik + RATES.typoNik) {
      const t = this.typoOf(baseNik);
      if (t !== null) {
        nik = valid(t);
        this.count(`planned_typos_${this.program}`);
      }
    } else if (x < RATES.invalidNik + RATES.typoNik + RATES.cosmeticNik) {
      nik = { raw: cosmeticVariant(rng, baseNik), clean: baseNik, invalid: null, surviving: null };
      this.count(`cosmetic_nik_${this.program}`);
    }

    let name = pop.name[r] as string;
    x = rng.float();
    if (choice.defects && x < RATES.nameMismatch) {
      name = this.otherPersonsName(r, baseNik);
      this.count(`planned_name_mismatch_${this.program}`);
    } else if (x < RATES.nameMismatch + RATES.nameVariant) {
      name = nameVariant(rng, name, sex, undefined, pop.opts.refDay - (pop.birth[r] as number) < 25 * 365);
    }

    let birth = pop.birth[r] as number;
    if (choice.defects && rng.chance(RATES.birthMismatch)) {
      birth = alteredDate(rng, birth);
      this.count(`planned_birth_mismatch_${this.program}`);
    }

    let village = pop.hhVillage[h] as number;
    x = rng.float();
    const regions = pop.regions;
    const v = regions.villages[village] as (typeof regions.villages)[number];
    if (choice.defects && x < RATES.regionMismatch) {
      const others = regions.regencies.filter((_, i) => i !== v.regency);
      village = rng.pick(rng.pick(others).villages);
      this.count(`planned_region_mismatch_${this.program}`);
    } else if (choice.defects && x < RATES.regionMismatch + RATES.otherVillageSameRegency) {
      village = rng.pick((regions.regencies[v.regency] as { villages: number[] }).villages);
    }
    return this.build(r, nik, name, sex, birth, village, pop.hhKk[h] as string);
  }

  /** Another person's name: the spouse's, or any name, that matches no DTKS row holding the NIK. */
  private otherPersonsName(r: number, nik: string): string {
    const pop = this.pop;
    const holders = this.idx.rowsOfNik(nik).map((x) => this.idx.key(x));
    holders.push(nameKey(pop.name[r] as string));
    const ok = (n: string): boolean => {
      const k = nameKey(n);
      return holders.every((hk) => !namesMatch(k, hk));
    };
    const h = pop.rowHh[r] as number;
    for (const other of pop.rowsOf(h)) {
      if (other !== r && (pop.rel[other] === 1 || pop.rel[other] === 2 || pop.rel[other] === 0) && ok(pop.name[other] as string)) return pop.name[other] as string;
    }
    for (let i = 0; i < 50; i++) {
      const n = personName(this.rng, pop.sex[r] as Sex, 40);
      if (ok(n)) return n;
    }
    return 'NAMA TIDAK DIKENAL';
  }

  /** Someone not in DTKS; half share a birth date with a DTKS person (some even a matching name). */
  private strangerRecord(): Built {
    const pop = this.pop;
    const rng = this.rng;
    const regions = pop.regions;
    let sex: Sex = rng.chance(0.5) ? 1 : 0;
    let birth = pop.opts.refDay - rng.range(18 * 365, 80 * 365);
    let name = personName(rng, sex, 40);
    if (rng.chance(0.5)) {
      const other = rng.int(pop.n);
      sex = pop.sex[other] as Sex;
      birth = pop.birth[other] as number;
      name = rng.chance(0.3) ? nameVariant(rng, pop.name[other] as string, sex, undefined, pop.opts.refDay - birth < 25 * 365) : personName(rng, sex, 40);
      this.count(`stranger_shares_birthdate_${this.program}`);
    }
    let nik = '';
    for (;;) {
      const kec = rng.chance(0.9) ? (rng.pick(regions.kecamatan) as { code: string }).code : rng.pick(regions.otherKecamatan);
      nik = kec + nikDateDigits(birth, sex === 1) + String(1 + rng.int(9999)).padStart(4, '0');
      if (!isValidNik(nik, regions.provinces) || pop.allNiks.has(nik) || this.synthetic.has(nik)) continue;
      let near = false;
      for (const n of neighbours(nik)) {
        if (this.idx.has(n)) {
          near = true;
          break;
        }
      }
      if (!near) break;
    }
    this.synthetic.add(nik);
    const village = rng.int(regions.villages.length);
    const vk = regions.villages[village] as (typeof regions.villages)[number];
    let kk = '';
    do {
      kk = (regions.kecamatan[vk.kecamatan] as { code: string }).code + nikDateDigits(pop.opts.refDay - rng.range(30, 5000), false) + String(1 + rng.int(9999)).padStart(4, '0');
    } while (pop.allKks.has(kk) || this.synthetic.has(`KK${kk}`));
    this.synthetic.add(`KK${kk}`);
    return this.build(-1, valid(nik), name, sex, birth, village, kk);
  }
}

/** A different, real calendar date: a few days off, day and month swapped, another year, or far off. */
function alteredDate(rng: Rng, birth: number): number {
  const { y, m, d } = civilFromDays(birth);
  for (;;) {
    const form = rng.int(4);
    let alt: number;
    if (form === 0) alt = birth + (rng.chance(0.5) ? -1 : 1) * rng.range(1, 3);
    else if (form === 1) alt = d <= 12 && d !== m && m <= daysInMonth(y, d) ? daysFromCivil(y, d, m) : birth + 1;
    else if (form === 2) alt = d <= daysInMonth(y + 1, m) ? daysFromCivil(y + (rng.chance(0.5) ? 1 : -1), m, Math.min(d, 28)) : birth - 365;
    else alt = birth + (rng.chance(0.5) ? -1 : 1) * rng.range(30, 2000);
    if (alt !== birth) return alt;
  }
}
