import { ByteWriter } from '../codec/packed-bytes.js';

/**
 * The items of one script call as one binary argument (read by blob.lua): ioredis formats every
 * argument on its own (a length header, a byte count, a copy), which cost more CPU than the rest of
 * a batch's work when each item took a dozen arguments. Integers are varints (ByteWriter.varint),
 * strings their byte length and bytes.
 */
export class BlobWriter {
  private readonly w = new ByteWriter();

  int(n: number): this {
    this.w.varint(n);
    return this;
  }

  str(s: string | Buffer): this {
    if (typeof s === 'string') this.w.text(s);
    else {
      this.w.varint(s.length);
      this.w.bytes(s);
    }
    return this;
  }

  done(): Buffer {
    return this.w.done();
  }
}
