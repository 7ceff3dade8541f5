import { resolve } from 'node:path';
import { listReleases } from './dtks-releases.js';
import { registryName } from './registry-name.js';

/** `padan releases` (embedded): the DTKS releases loaded under `--out`, with their first period, rows and checksums. */
export function releasesCommand(args: { out: string }, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): void {
  const releases = listReleases(resolve(args.out));
  if (releases.length === 0) {
    log(`no ${registryName()} release loaded under ${resolve(args.out)}; padan run --dtks FILE [--release ID] loads one`);
    return;
  }
  log([`${registryName()} release`, 'from', 'rows', 'file', 'sha256'].join('\t'));
  for (const r of releases) for (const f of r.files) log([r.id, r.from, r.rows ?? '-', f.file, f.sha256].join('\t'));
}
