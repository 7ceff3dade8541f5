import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

/** A file written line by line with backpressure: `write` waits when the stream's buffer is full. */
export class LineWriter {
  private readonly stream: WriteStream;
  private failed: Error | null = null;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (e) => (this.failed = e));
  }

  async write(text: string): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}
