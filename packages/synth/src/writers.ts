import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createXlsxWriter } from '@padan/io';
import type { XlsxCell } from '@padan/io';

/**
 * Streaming writers for the generated files. Each tracks the row numbers padan will compute:
 * CSV/XLSX: the physical line (sheet row) where the row starts minus the header's; JSON Lines: the
 * 1-based line number.
 */

export type Cell = string | { number: string } | { dateSerial: number };

const CHUNK = 1 << 16;

/** Text output with backpressure: buffered into ~64 KB chunks, waits for 'drain' when the stream is full. */
export class TextOut {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;
  private error: Error | null = null;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (e) => (this.error ??= e));
  }

  async write(text: string): Promise<void> {
    if (this.error) throw this.error;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const done = once(this.stream, 'close');
    this.stream.end();
    await done;
    if (this.error) throw this.error;
  }
}

export interface RowSink {
  /** Writes a data row; returns its source_row. */
  row(cells: readonly Cell[]): Promise<number>;
  /** Writes a row padan must reject (ragged CSV row, broken JSON line); returns its source_row. */
  rejected(cells: readonly Cell[], nameColumn: number): Promise<number>;
  /** An empty line / sheet row inside the data (not a record; keeps its number). */
  blank(): Promise<void>;
  finish(): Promise<void>;
  readonly rejectReason: 'RAGGED_ROW' | 'INVALID_JSON' | null;
}

function cellText(c: Cell): string {
  if (typeof c === 'string') return c;
  if ('number' in c) return c.number;
  return String(c.dateSerial);
}

export interface CsvOptions {
  readonly delimiter: ',' | ';';
  readonly eol: '\n' | '\r\n';
  readonly bom: boolean;
  /** Lines above the header (a title, then usually a blank line). */
  readonly titleLines: readonly string[];
  readonly header: readonly string[];
  /** Columns always written in quotes. */
  readonly quoted?: ReadonlySet<number>;
}

export class CsvSink implements RowSink {
  readonly rejectReason = 'RAGGED_ROW' as const;
  private readonly out: TextOut;
  private line = 0;
  private headerLine = 0;

  private constructor(path: string, private readonly o: CsvOptions) {
    this.out = new TextOut(path);
  }

  static async open(path: string, o: CsvOptions): Promise<CsvSink> {
    const s = new CsvSink(path, o);
    if (o.bom) await s.out.write('\ufeff');
    for (const t of o.titleLines) await s.writeLine(t === '' ? '' : s.field(t, false));
    await s.writeLine(o.header.map((h) => s.field(h, false)).join(o.delimiter));
    s.headerLine = s.line;
    return s;
  }

  private field(v: string, force: boolean): string {
    const d = this.o.delimiter;
    if (force || v.includes(d) || v.includes('"') || v.includes('\n') || v.includes('\r')) return `"${v.replaceAll('"', '""')}"`;
    return v;
  }

  /** Writes one record (which may span several physical lines); returns its first line number. */
  private async writeLine(text: string): Promise<number> {
    const start = this.line + 1;
    let nl = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nl++;
    this.line += 1 + nl;
    await this.out.write(text + this.o.eol);
    return start;
  }

  async row(cells: readonly Cell[]): Promise<number> {
    const q = this.o.quoted;
    const text = cells.map((c, i) => this.field(cellText(c), q?.has(i) ?? false)).join(this.o.delimiter);
    return (await this.writeLine(text)) - this.headerLine;
  }

  async rejected(cells: readonly Cell[], nameColumn: number): Promise<number> {
    const d = this.o.delimiter;
    const parts = cells.map((c) => {
      const t = cellText(c);
      return t.includes(d) || t.includes('"') || t.includes('\n') ? t.replace(/[",;\r\n]/g, ' ') : t;
    });
    if (nameColumn >= 0 && parts[nameColumn] !== undefined && d === ',' && !(parts[nameColumn] as string).includes(',')) {
      // A degree after a comma, written without quotes: one cell too many.
      parts[nameColumn] = `${parts[nameColumn] as string}, S.PD`;
    } else {
      parts.push('');
    }
    return (await this.writeLine(parts.join(d))) - this.headerLine;
  }

  async blank(): Promise<void> {
    await this.writeLine('');
  }

  async finish(): Promise<void> {
    await this.out.close();
  }
}

export class JsonlSink implements RowSink {
  readonly rejectReason = 'INVALID_JSON' as const;
  private readonly out: TextOut;
  private line = 0;

  constructor(path: string, private readonly keys: readonly string[]) {
    this.out = new TextOut(path);
  }

  private encode(cells: readonly Cell[]): string {
    const parts: string[] = [];
    this.keys.forEach((k, i) => {
      const c = cells[i] ?? '';
      const v = typeof c === 'string' ? JSON.stringify(c) : 'number' in c ? c.number : String(c.dateSerial);
      parts.push(`${JSON.stringify(k)}:${v}`);
    });
    return `{${parts.join(',')}}`;
  }

  async row(cells: readonly Cell[]): Promise<number> {
    this.line++;
    await this.out.write(`${this.encode(cells)}\n`);
    return this.line;
  }

  async rejected(cells: readonly Cell[], nameColumn: number): Promise<number> {
    const full = this.encode(cells);
    let broken: string;
    if (nameColumn >= 0 && typeof cells[nameColumn] === 'string') {
      // An unescaped quote inside the name.
      const name = cells[nameColumn] as string;
      const words = name.split(' ');
      const nick = `${words[0] ?? name} "${(words[1] ?? 'IPAH').slice(0, 4)}" ${words.slice(1).join(' ')}`.trim();
      broken = full.replace(JSON.stringify(name), `"${nick}"`);
      if (broken === full) broken = full.slice(0, Math.max(2, full.length - 12));
    } else {
      broken = full.slice(0, Math.max(2, full.length - 12));
    }
    this.line++;
    await this.out.write(`${broken}\n`);
    return this.line;
  }

  async blank(): Promise<void> {
    this.line++;
    await this.out.write('\n');
  }

  async finish(): Promise<void> {
    await this.out.close();
  }
}

export class XlsxSink implements RowSink {
  readonly rejectReason = null;
  private sheetRow = 0;
  private headerRow = 0;
  private readonly w: ReturnType<typeof createXlsxWriter>;

  private constructor(path: string, sheetName: string) {
    this.w = createXlsxWriter(path, { sheetName, boldHeader: false });
  }

  static async open(path: string, sheetName: string, titleRows: readonly string[], header: readonly string[]): Promise<XlsxSink> {
    const s = new XlsxSink(path, sheetName);
    for (const t of titleRows) {
      s.sheetRow++;
      await s.w.addRow(t === '' ? [] : [t]);
    }
    s.sheetRow++;
    await s.w.addRow([...header]);
    s.headerRow = s.sheetRow;
    return s;
  }

  async row(cells: readonly Cell[]): Promise<number> {
    this.sheetRow++;
    await this.w.addRow(cells.map((c): XlsxCell => c));
    return this.sheetRow - this.headerRow;
  }

  rejected(): Promise<number> {
    throw new Error('an XLSX sheet has no unparseable rows');
  }

  async blank(): Promise<void> {
    this.sheetRow++;
    await this.w.addRow([]);
  }

  async finish(): Promise<void> {
    await this.w.finish();
  }
}
