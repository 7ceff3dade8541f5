import { nextCapacity } from './capacity.js';

/**
 * One growable byte buffer of packed values (varints and length-prefixed UTF-8 text), addressed by
 * offset: the memory state's texts without a string or an object per value. The old generation
 * then holds a few large buffers instead of millions of small strings, which the garbage collector
 * would otherwise mark on every major collection.
 *
 * Writes append at `end`; reads go from `at` (set it with seek). Single-threaded, one cursor.
 */
export class TextHeap {
  private buf: Buffer;
  /** Where the next write goes: the bytes in use. */
  end = 0;
  /** Where the next read comes from. */
  at = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Makes room for `n` more bytes (geometric growth: amortized O(1) per byte). */
  private room(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(nextCapacity(this.buf.length, this.end + n));
    this.buf.copy(next, 0, 0, this.end);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.end++] = b;
  }

  /** An unsigned integer below 2^53, 7 bits per byte, low bits first. */
  varint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.end++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.end++] = n;
  }

  /**
   * UTF-8 text, its byte length first. The length is written before the text without measuring it
   * twice: one byte when the text cannot exceed 127 bytes (3 bytes a UTF-16 unit at most), else
   * three (a varint with continuation bits to spare, which reads back the same).
   */
  text(s: string): void {
    const max = s.length * 3;
    if (max > 0x1fffff) {
      // Past what three length bytes hold: measure first (never seen for a name or an id).
      const n = Buffer.byteLength(s, 'utf8');
      this.varint(n);
      this.room(n);
      this.end += this.buf.write(s, this.end, 'utf8');
      return;
    }
    this.room(max + 3);
    const wide = max > 0x7f;
    const start = this.end + (wide ? 3 : 1);
    const n = this.buf.write(s, start, 'utf8');
    if (wide) {
      this.buf[this.end] = (n & 0x7f) | 0x80;
      this.buf[this.end + 1] = ((n >>> 7) & 0x7f) | 0x80;
      this.buf[this.end + 2] = n >>> 14;
    } else this.buf[this.end] = n;
    this.end = start + n;
  }

  /** Overwrites the byte at `at` (already written). */
  setByte(at: number, b: number): void {
    this.buf[at] = b;
  }

  seek(at: number): this {
    this.at = at;
    return this;
  }

  readByte(): number {
    return this.buf[this.at++] as number;
  }

  readVarint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++] as number;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  readText(): string {
    const n = this.readVarint();
    const from = this.at;
    this.at += n;
    return n === 0 ? '' : this.buf.toString('utf8', from, this.at);
  }

  skipText(): void {
    const n = this.readVarint();
    this.at += n;
  }

  /** Drops every byte: the heap is empty again (its buffer is kept). */
  clear(): void {
    this.end = 0;
    this.at = 0;
  }
}
