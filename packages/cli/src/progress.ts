/** A one-line progress display on a terminal; silent when stderr is not a TTY (CI, pipes). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): { update(file: string, rows: number): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  const started = Date.now();
  return {
    update(file, rows) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const rate = Math.round(rows / Math.max(0.001, (now - started) / 1000));
      stream.write(`\r\x1b[K${file}: ${rows.toLocaleString('en')} rows (${rate.toLocaleString('en')}/s overall)`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
