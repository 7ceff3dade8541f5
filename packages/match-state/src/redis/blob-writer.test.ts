import { describe, expect, it } from 'vitest';
import { BlobWriter } from './blob-writer.js';

// blob.lua reads exactly this: varints of 7 bits a byte, low bits first; strings as their byte
// length and bytes (UTF-8 for text, as given for Buffers).
describe('BlobWriter', () => {
  it('writes varints and length-prefixed strings and buffers', () => {
    const b = new BlobWriter().int(0).int(127).int(128).int(300).str('').str('é').str(Buffer.from([0, 255])).done();
    expect([...b]).toEqual([0, 127, 0x80, 1, 0xac, 2, 0, 2, 0xc3, 0xa9, 2, 0, 255]);
  });
});
