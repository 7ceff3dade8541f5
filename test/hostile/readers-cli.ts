// Helpers of the hostile-files suite for the readers: run the built CLI as a child process on a
// generated file, then read what it wrote. Everything goes through `padan run` and its outputs,
// never through the readers themselves, so the suite survives packages moving.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { afterAll, expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'packages/cli/dist/main.js');
export const GOLDEN_DTKS = join(ROOT, 'test/fixtures/golden/dtks.csv');

/** A temp dir per test file, removed at the end. */
export function hostileDir(prefix: string): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), `padan-hostile-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return (name: string) => join(dir, `${++n}`, name);
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
}

/**
 * `padan run` on the golden DTKS and one program file, in a child process with a small heap:
 * a reader that holds a file (or a bomb) in memory dies with exit 134 instead of passing.
 */
export function runCli(program: string, opts: { source?: string; env?: Record<string, string>; heapMb?: number; out?: string } = {}): CliRun {
  return runCliMany([{ source: opts.source ?? 'PKH', path: program }], { ...opts, out: opts.out ?? `${program}.out` });
}

/**
 * One run over several program files: the cases that end in a finished run share one, since the
 * process start dominates their cost; each file's counts stay its own.
 */
export function runCliMany(programs: readonly { source: string; path: string }[], opts: { env?: Record<string, string>; heapMb?: number; out: string }): CliRun {
  const out = opts.out;
  const args = [
    `--max-old-space-size=${opts.heapMb ?? 256}`,
    CLI,
    'run',
    '--period',
    '2021-09',
    '--date',
    '2021-09-30',
    '--dtks',
    GOLDEN_DTKS,
    ...programs.flatMap((p) => ['--program', `${p.source}=${p.path}`]),
    '--out',
    out,
  ];
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PADAN_HASH_KEY: 'hostile-suite-key', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, out };
}

/** No crash: exit 0 or 2, no signal, no abort, no stack trace, no internal error. */
export function expectNoCrash(r: CliRun): void {
  expect(r.signal, r.stderr).toBeNull();
  expect([0, 2], r.stderr).toContain(r.code);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |RangeError|TypeError|Maximum call stack|heap out of memory|FATAL ERROR/);
}

/** A clear input error: exit 2, one message naming the file, the rule and (when given) the row. */
export function expectInputError(r: CliRun, file: string, rule: string, row?: number): void {
  expectNoCrash(r);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(`padan: ${file}`);
  expect(r.stderr).toContain(`[rule ${rule}]`);
  if (row !== undefined) expect(r.stderr).toContain(`${file} row ${row}:`);
}

export interface FileCounts {
  readonly rows_read: number;
  readonly clean: number;
  readonly flagged: number;
  readonly rejected: number;
  readonly accounted: boolean;
}

function snapshotDir(out: string): string {
  const base = join(out, 'snapshots', 'period=2021-09', 'date=2021-09-30');
  expect(existsSync(base), `no snapshot under ${out}`).toBe(true);
  return base;
}

/** A finished run: exit 0, and the counts of `file` from summary.json with the identity checked. */
export function accounted(r: CliRun, file: string): FileCounts {
  expectNoCrash(r);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(join(snapshotDir(r.out), 'dashboard/summary.json'), 'utf8')) as { files: (FileCounts & { source_file: string })[] };
  for (const f of summary.files) {
    expect(f.rows_read, f.source_file).toBe(f.clean + f.flagged + f.rejected);
    expect(f.accounted, f.source_file).toBe(true);
  }
  const counts = summary.files.find((f) => f.source_file === file);
  expect(counts, `${file} in summary.json`).toBeDefined();
  return counts as FileCounts;
}

export interface DeadLetter {
  readonly source_file: string;
  readonly source_row: number;
  readonly reason: string;
  readonly message: string;
}

export function deadLetters(r: CliRun): DeadLetter[] {
  const text = readFileSync(join(snapshotDir(r.out), 'restricted/rejected.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeadLetter);
}

/** findings.csv rows of `file` as row → details (the `details` column). */
export function findingDetails(r: CliRun, file: string): Map<number, string> {
  const lines = readFileSync(join(snapshotDir(r.out), 'restricted/findings.csv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split(',');
  const at = (name: string): number => header.indexOf(name);
  const out = new Map<number, string>();
  for (const line of lines.slice(1)) {
    // the columns read here hold no commas or quotes
    const cells = line.split(',');
    if (cells[at('source_file')] === file) out.set(Number(cells[at('source_row')]), cells[at('details')] ?? '');
  }
  return out;
}

/** Files the readers left in --out besides the snapshot (temporary files must be gone). */
export function leftovers(r: CliRun): string[] {
  // snapshots/, runs/ (the period's record), raw/ (the archived inputs) and releases/ are outputs; anything else is left behind.
  return readdirSync(r.out).filter((n) => !['snapshots', 'runs', 'raw', 'releases'].includes(n));
}

/** Program rows that are well formed: valid-looking NIKs not in the golden DTKS. */
export function programRows(n: number, from = 1): string[] {
  const rows: string[] = [];
  for (let i = from; i < from + n; i++) rows.push(`150107041080${String(1000 + (i % 9000)).padStart(4, '0')},PENERIMA ${i}`);
  return rows;
}

export function write(path: string, content: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

// ---------------------------------------------------------------------------------------------
// XLSX: a minimal zip writer that takes parts already deflated, so a test can build a part that
// inflates to gigabytes from a few megabytes without ever holding or compressing the gigabytes.

export interface ZipPart {
  readonly name: string;
  /** Raw deflate bytes. */
  readonly deflated: Buffer;
  readonly size: number;
}

/** Deflates `text` as a segment that can be concatenated with others (sync flush, not final). */
export function deflateSegment(text: string | Buffer): Buffer {
  return deflateRawSync(typeof text === 'string' ? Buffer.from(text) : text, { finishFlush: zlib.Z_SYNC_FLUSH, level: 9 });
}

/** The empty final block that ends a stream of segments. */
const FINAL = deflateRawSync(Buffer.alloc(0));

/** A part made of `head`, then `body` repeated `times`, then `tail`: inflates to far more than its size. */
export function repeatedPart(name: string, head: string, body: string, times: number, tail: string): ZipPart {
  const b = deflateSegment(body);
  const segments: Buffer[] = [deflateSegment(head)];
  for (let i = 0; i < times; i++) segments.push(b);
  segments.push(deflateSegment(tail), FINAL);
  return { name, deflated: Buffer.concat(segments), size: Buffer.byteLength(head) + Buffer.byteLength(body) * times + Buffer.byteLength(tail) };
}

export function textPart(name: string, text: string): ZipPart {
  const bytes = Buffer.from(text);
  return { name, deflated: deflateRawSync(bytes), size: bytes.length };
}

/** A zip of the parts; CRCs are left 0 (no reader on this path checks them; sizes are true). */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(0, 12);
    dir.writeUInt16LE(0x21, 14);
    dir.writeUInt32LE(0, 16);
    dir.writeUInt32LE(p.deflated.length, 20);
    dir.writeUInt32LE(p.size >>> 0, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    chunks.push(local, name, p.deflated);
    offset += 30 + name.length + p.deflated.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts every workbook needs around its first sheet (and its shared strings, if any). */
export function workbookParts(sheet: ZipPart, sharedStrings?: ZipPart): ZipPart[] {
  return [
    textPart('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    textPart(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    textPart('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    textPart(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${
        sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''
      }</Relationships>`,
    ),
    sheet,
    ...(sharedStrings ? [sharedStrings] : []),
  ];
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';
export const SST_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`;
export const SST_TAIL = '</sst>';

/** An inline-string row: `<row r=..><c t="inlineStr"><is><t>..</t></is></c>...</row>`. */
export function inlineRow(r: number | string | null, cells: readonly string[]): string {
  const attr = r === null ? '' : ` r="${r}"`;
  return `<row${attr}>${cells.map((c) => `<c t="inlineStr"><is><t>${c}</t></is></c>`).join('')}</row>`;
}

/** A small workbook: header NIK, NAMA and `rows` (each [r, nik, name]). */
export function smallWorkbook(rows: readonly (readonly [number | string | null, string, string])[]): Buffer {
  const body = [inlineRow(1, ['NIK', 'NAMA']), ...rows.map(([r, nik, name]) => inlineRow(r, [nik, name]))].join('');
  return zipOf(workbookParts(textPart('xl/worksheets/sheet1.xml', SHEET_HEAD + body + SHEET_TAIL)));
}
