import pino from 'pino';
import { maskPersonalData } from '@padan/contracts';

/**
 * The fields a service log line may carry: counts, topics, partitions, offsets, groups, object
 * keys, file names, row numbers, rule names, durations and error texts. A field that is not listed
 * is a compile error at the call site (for object literals) and `[field not allowed]` at run time,
 * so a record, a row or a config object spread into a log call can never print its contents. Add a
 * field here only if it can never hold a NIK, a No. KK, a name or a birth date.
 */
export const LOG_FIELDS = [
  // where a message is: Kafka
  'topic',
  'topics',
  'partition',
  'partitions',
  'partitionsBefore',
  'offset',
  'firstOffset',
  'lastOffset',
  'group',
  'groupId',
  'memberId',
  'generationId',
  'assignment',
  'broker',
  'clientId',
  'correlationId',
  'nodeId',
  'namespace',
  'component',
  'contract',
  'header',
  'messages',
  'retryCount',
  'retryTime',
  'restart',
  'replicationFactor',
  'catalogPartitions',
  'catalogReplicationFactor',
  'configs',
  'dryRun',
  // where a row is: files and objects (landing keys, snapshot keys), periods, rows
  'key',
  'prefix',
  'objects',
  'period',
  'date',
  'row',
  'rowsRead',
  'rowsRejected',
  'resumeAfterRow',
  'rule',
  'rules',
  'reason',
  // the process (`service` and `pid` are every line's bindings)
  'service',
  'pid',
  'instance',
  'httpPort',
  'pollMs',
  'graceMs',
  'nextDaily',
  'signal',
  'ms',
  'type',
  'code',
  // faults and recovery (issue 6): retries, state generations, stalls, snapshot requests
  'attempt',
  'retryInMs',
  'waitMs',
  'rows',
  'groups',
  'file',
  'marker',
  'generation',
  'staleKeys',
  'requestId',
  'viewGroup',
  'periods',
  'source',
  'stalledSeconds',
  'pending',
  'ingestedSha256',
  'landingSha256',
  // what went wrong: masked like every string, and logged by message, never by payload
  'err',
  'error',
] as const;
export type LogField = (typeof LOG_FIELDS)[number];

export type LogValue = string | number | boolean | bigint | null | undefined | Error | readonly LogValue[] | { readonly [k: string]: LogValue };
export type LogFields = { readonly [K in LogField]?: LogValue };

export interface LogMethod {
  (msg: string): void;
  (fields: LogFields, msg: string): void;
}

/** A service's logger: pino underneath, typed so that a log call names only allow-listed fields. */
export interface Logger {
  readonly level: string;
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  readonly fatal: LogMethod;
  /** A logger whose lines all carry `bindings` (allow-listed and masked like any field). */
  child(bindings: LogFields): Logger;
}

export const FIELD_NOT_ALLOWED = '[field not allowed]';

const ALLOWED: ReadonlySet<string> = new Set(LOG_FIELDS);

// Bounds on what one log line holds, whatever is handed to it: the cost of a line is bounded too.
const MAX_DEPTH = 4;
const MAX_ITEMS = 50;
const MAX_STRING = 4_000;

function cleanString(s: string): string {
  const bounded = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}… (${s.length} characters)` : s;
  return maskPersonalData(bounded);
}

/**
 * A loggable copy of `v`: every string masked (see maskPersonalData), numbers long enough to be a
 * NIK masked as text, errors as their type, message, stack and cause, nested objects and arrays
 * cut at MAX_DEPTH levels and MAX_ITEMS entries. Nested keys are masked too (a map keyed by NIK).
 */
export function loggable(v: unknown, depth = 0): unknown {
  switch (typeof v) {
    case 'string':
      return cleanString(v);
    case 'number':
      return Number.isFinite(v) && Math.abs(v) >= 1e14 ? cleanString(String(v)) : v;
    case 'bigint':
      return cleanString(String(v));
    case 'boolean':
    case 'undefined':
      return v;
    case 'object':
      break;
    default:
      return `[${typeof v}]`;
  }
  if (v === null) return null;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (v instanceof Error) {
    const out: Record<string, unknown> = { type: cleanString(v.name), message: cleanString(v.message) };
    if (v.stack !== undefined) out['stack'] = cleanString(v.stack);
    const code = (v as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out['code'] = loggable(code, depth + 1);
    if (v.cause !== undefined) out['cause'] = loggable(v.cause, depth + 1);
    return out;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length && i < MAX_ITEMS; i++) out.push(loggable(v[i], depth + 1));
    if (v.length > MAX_ITEMS) out.push(`… ${v.length - MAX_ITEMS} more`);
    return out;
  }
  if (v instanceof Date) return cleanString(v.toISOString());
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (n++ >= MAX_ITEMS) {
      out['…'] = 'more entries';
      break;
    }
    out[cleanString(k)] = loggable((v as Record<string, unknown>)[k], depth + 1);
  }
  return out;
}

/** The fields of a log call as they may be written: allow-listed names only, values made loggable. */
export function loggableFields(fields: object): Record<string, unknown> {
  if (fields instanceof Error) return { err: loggable(fields) };
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, k)) continue;
    out[k] = ALLOWED.has(k) ? loggable((fields as Record<string, unknown>)[k]) : FIELD_NOT_ALLOWED;
  }
  return out;
}

/**
 * Service logs: pino JSON lines with fixed bindings per service. Every call goes through
 * `loggableFields` and its message through `maskPersonalData`, so neither a field outside the
 * allow-list nor a NIK or a date in an error message reaches the log, whatever the call site does.
 */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return withCheckedChildren(pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors are already plain, masked objects (loggable); pino's own err serializer would rename their type.
      serializers: { err: (e: unknown) => e },
      hooks: {
        logMethod(args: unknown[], method: pino.LogFn) {
          const [first, second] = args;
          if (typeof first === 'string') return method.call(this, cleanString(first));
          const fields = first !== null && typeof first === 'object' ? loggableFields(first) : {};
          return method.call(this, fields, typeof second === 'string' ? cleanString(second) : '');
        },
      },
    },
    destination,
  ));
}

/** A child's bindings are written as given, bypassing logMethod: they get the allow-list and masks here. */
function withCheckedChildren(p: pino.Logger): Logger {
  const child = p.child.bind(p);
  return Object.assign(p, { child: (bindings: LogFields) => withCheckedChildren(child(loggableFields(bindings))) });
}
