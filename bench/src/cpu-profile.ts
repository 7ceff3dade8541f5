import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in one `node --cpu-prof` profile. */
export interface ProfileSummary {
  readonly file: string;
  readonly pid: number;
  readonly sampledSeconds: number;
  /** Samples not idle, as a share of all. */
  readonly busyShare: number;
  readonly top: { fn: string; selfSeconds: number; share: number }[];
}

/**
 * Summarizes the .cpuprofile files of a folder (the profile names the pid: CPU.<date>.<pid>.…):
 * self time per function (samples × the mean interval), the `n` largest, idle left out.
 */
export function summarizeProfiles(dir: string, n = 8): ProfileSummary[] {
  const out: ProfileSummary[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
    const seconds = (p.endTime - p.startTime) / 1e6;
    const perSample = p.samples.length > 0 ? seconds / p.samples.length : 0;
    const self = new Map<string, number>();
    for (const node of p.nodes) {
      const f = node.callFrame;
      const where = f.url ? `${f.url.replace(/^.*\/(packages|services|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
      const name = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
      self.set(name, (self.get(name) ?? 0) + (node.hitCount ?? 0));
    }
    // Idle is time spent waiting (on Kafka, Redis, the other processes): shown as busyShare, and the
    // functions' shares are of the busy samples.
    const busy = p.samples.length - (self.get('(idle)') ?? 0);
    self.delete('(idle)');
    const top = [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([fn, hits]) => ({ fn, selfSeconds: +(hits * perSample).toFixed(2), share: +(hits / Math.max(1, busy)).toFixed(3) }));
    out.push({ file, pid: Number(file.split('.')[3]), sampledSeconds: +seconds.toFixed(1), busyShare: +(busy / Math.max(1, p.samples.length)).toFixed(3), top });
  }
  return out;
}
