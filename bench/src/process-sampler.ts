import { readdirSync, readFileSync } from 'node:fs';

/** What one process used, read from /proc while it ran. */
export interface ProcessUsage {
  readonly label: string;
  readonly pid: number;
  /** Peak resident set (VmHWM, the kernel's high-water mark), MB. */
  readonly peakRssMb: number;
  /** User + system CPU seconds during the sampled window (the whole life of a process started in it). */
  readonly cpuSeconds: number;
}

interface Tracked {
  /**
   * The label: for a process the benchmark started, the role its command line names, read again at
   * every sample, since a child seen between fork and exec still shows its parent's command line
   * (a service would be labelled as the CLI that started it); made unique in `stop`.
   */
  label: string;
  hwmKb: number;
  ticksFirst: number;
  ticksLast: number;
  /** Started before sampling began (a stack service): only the CPU used during the window counts. */
  preexisting: boolean;
}

// Linux's USER_HZ; /proc/<pid>/stat counts CPU in these ticks (sysconf(_SC_CLK_TCK) is 100 on
// every architecture Node supports on Linux).
const TICKS_PER_SECOND = 100;

function readStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** A readable label for a process of the benchmark: the service or role it runs. */
export function labelOf(args: readonly string[]): string {
  const joined = args.join(' ');
  const service = /services\/(\w+)\/dist\/main\.js/.exec(joined);
  if (service) return service[1] as string;
  const role = /transport-role\.js (\w+)/.exec(joined);
  if (role) return `transport-${role[1] as string}`;
  if (/transport-run\.js/.test(joined)) return 'transport';
  if (/duckdb_baseline\.mjs/.test(joined)) return 'duckdb';
  if (/packages\/cli\/dist\/main\.js/.test(joined)) return 'padan-cli';
  return (args[0] ?? 'process').split('/').pop() as string;
}

/**
 * Samples /proc: a process tree from its root pid (each service instance the CLI starts), and
 * named processes given by pid (the stack's Kafka JVM, s3proxy and Redis). VmHWM is the kernel's
 * own peak, so a sample only has to see the process once; CPU is the last utime + stime seen, so a
 * process's final `intervalMs` of CPU may be missed.
 */
export class ProcessSampler {
  private readonly tracked = new Map<number, Tracked>();
  private readonly labelsUsed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly rootPids = new Set<number>();

  constructor(
    private readonly named: Readonly<Record<string, number>>,
    private readonly intervalMs = 250,
  ) {
    for (const [label, pid] of Object.entries(named)) {
      const st = readStat(pid);
      if (st) this.tracked.set(pid, { label, hwmKb: readHwmKb(pid), ticksFirst: st.ticks, ticksLast: st.ticks, preexisting: true });
    }
  }

  /** Adds a process started by the benchmark: it and every descendant are sampled. */
  addRoot(pid: number): void {
    this.rootPids.add(pid);
    this.sample();
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  private uniqueLabel(base: string): string {
    const n = (this.labelsUsed.get(base) ?? 0) + 1;
    this.labelsUsed.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }

  sample(): void {
    const parent = new Map<number, number>();
    const ticks = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const st = readStat(Number(name));
      if (!st) continue;
      parent.set(Number(name), st.ppid);
      ticks.set(Number(name), st.ticks);
    }
    const inTree = (pid: number): boolean => {
      // Walks up the parent chain (bounded by the process table, not by input).
      for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (this.rootPids.has(p)) return true;
      return false;
    };
    for (const [pid, t] of ticks) {
      let tr = this.tracked.get(pid);
      if (!tr) {
        if (!inTree(pid)) continue;
        tr = { label: labelOf(cmdline(pid)), hwmKb: 0, ticksFirst: 0, ticksLast: t, preexisting: false };
        this.tracked.set(pid, tr);
      } else if (!tr.preexisting) {
        const args = cmdline(pid);
        if (args.length > 0) tr.label = labelOf(args);
      }
      tr.ticksLast = t;
      tr.hwmKb = Math.max(tr.hwmKb, readHwmKb(pid));
    }
  }

  /** Stops sampling; one row per process seen. */
  stop(): ProcessUsage[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const out: ProcessUsage[] = [];
    for (const [pid, t] of [...this.tracked].sort((a, b) => a[0] - b[0])) {
      out.push({ label: t.preexisting ? t.label : this.uniqueLabel(t.label), pid, peakRssMb: Math.round(t.hwmKb / 1024), cpuSeconds: +((t.ticksLast - (t.preexisting ? t.ticksFirst : 0)) / TICKS_PER_SECOND).toFixed(2) });
    }
    return out;
  }
}
