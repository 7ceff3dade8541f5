import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Rough heap cost of one held string beyond its characters (header, array slot). */
const STRING_OVERHEAD = 32;
const WRITE_BUFFER = 1024 * 1024;
const CACHE_SLOTS = 4096;
const CACHE_MAX_BYTES = 256;

/**
 * The shared-string table of a workbook, in memory while small and spilled to a temporary file
 * once it passes `memoryBytes`: then each string's UTF-8 bytes are appended to the file and only
 * its offset is kept (8 bytes in a typed array, outside the JS heap), read back on demand. A
 * workbook of a few megabytes can hold gigabytes of strings; this keeps the heap bounded by the
 * limit, not the file. Strings over the cell limit are not kept at all, only marked, so that the
 * rows using them become dead letters instead of held text. `close()` removes the file.
 */
export class SharedStrings {
  private held: string[] = [];
  private heldBytes = 0;
  private readonly oversized = new Set<number>();
  private count = 0;
  // spilled state
  private dir: string | undefined;
  private fd: number | undefined;
  private offsets: Float64Array | undefined; // offsets[i]..offsets[i+1] are string i's bytes
  private fileBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scratch = Buffer.alloc(0);
  private readonly cacheKey = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly cacheValue = new Array<string>(CACHE_SLOTS).fill('');

  constructor(
    private readonly memoryBytes: number,
    private readonly tempDir: string,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Whether the strings went to a temporary file (tests, diagnostics). */
  get spilled(): boolean {
    return this.fd !== undefined;
  }

  add(text: string): void {
    this.push(text);
  }

  /** A string over the cell limit: its index exists, its text does not. */
  addOversized(): void {
    this.oversized.add(this.count);
    this.push('');
  }

  isOversized(index: number): boolean {
    return this.oversized.has(index);
  }

  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    if (this.offsets === undefined) return this.held[index];
    const slot = index % CACHE_SLOTS;
    if (this.cacheKey[slot] === index) return this.cacheValue[slot];
    this.flush();
    const start = this.offsets[index] as number;
    const length = (this.offsets[index + 1] as number) - start;
    if (this.scratch.length < length) this.scratch = Buffer.alloc(Math.max(length, this.scratch.length * 2));
    let read = 0;
    while (read < length) read += readSync(this.fd as number, this.scratch, read, length - read, start + read);
    const text = this.scratch.toString('utf8', 0, length);
    // Short strings only: the cache must stay small whatever the strings are.
    if (length <= CACHE_MAX_BYTES) {
      this.cacheKey[slot] = index;
      this.cacheValue[slot] = text;
    }
    return text;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.fd = undefined;
    this.dir = undefined;
    this.offsets = undefined;
    this.held = [];
    this.pending = [];
  }

  private push(text: string): void {
    if (this.offsets === undefined) {
      this.held.push(text);
      this.count++;
      this.heldBytes += text.length * 2 + STRING_OVERHEAD;
      if (this.heldBytes > this.memoryBytes) this.spill();
      return;
    }
    this.append(text);
  }

  private spill(): void {
    this.dir = mkdtempSync(join(this.tempDir, 'padan-xlsx-'));
    this.fd = openSync(join(this.dir, 'shared-strings'), 'w+', 0o600);
    this.offsets = new Float64Array(Math.max(1024, this.count * 2));
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    const n = this.count;
    this.count = 0;
    for (let i = 0; i < n; i++) this.append(held[i] as string);
  }

  private append(text: string): void {
    let offsets = this.offsets as Float64Array;
    if (this.count + 2 > offsets.length) {
      const grown = new Float64Array(offsets.length * 2);
      grown.set(offsets);
      offsets = this.offsets = grown;
    }
    const bytes = Buffer.from(text, 'utf8');
    offsets[this.count] = this.fileBytes + this.pendingBytes;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.count++;
    offsets[this.count] = this.fileBytes + this.pendingBytes;
    if (this.pendingBytes >= WRITE_BUFFER) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0 || this.fd === undefined) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    let written = 0;
    while (written < block.length) written += writeSync(this.fd, block, written, block.length - written, this.fileBytes + written);
    this.fileBytes += block.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
