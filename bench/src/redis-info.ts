import { connect } from 'node:net';

/**
 * Redis INFO over a plain socket (RESP inline command): the benchmark reads `used_memory` and the
 * keyspace without depending on the client library or state format match uses.
 */
export async function redisInfo(url: string, section = 'memory'): Promise<Record<string, string>> {
  const u = new URL(url);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
    let buf = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`Redis at ${u.host} did not answer INFO within 10 s`)));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`INFO ${section}\r\n`));
    socket.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const m = /^\$(\d+)\r\n/.exec(buf);
      if (buf.startsWith('-')) {
        socket.destroy();
        reject(new Error(`Redis INFO failed: ${buf.trim()}`));
      } else if (m && Buffer.byteLength(buf) >= m[0].length + Number(m[1])) {
        socket.end();
        resolve(buf.slice(m[0].length));
      }
    });
  });
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export async function usedMemory(url: string): Promise<number> {
  return Number((await redisInfo(url, 'memory')).used_memory);
}
