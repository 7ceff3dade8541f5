import { maskPersonalData } from '@padan/contracts';
import { logLevel } from './kafkajs.js';
import type { LogEntry, logCreator } from 'kafkajs';

/**
 * The logger this package writes to: pino's `(obj, msg)` shape, so a pino logger fits as is.
 * This package only ever logs topics, partitions, offsets, groups, counts and error names or
 * contract issues, never a message key (keys can hold NIKs) or value.
 */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** JSON.stringify replacer masking every string, and every number long enough to be a NIK. */
function masked(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return maskPersonalData(v);
  if (typeof v === 'number' && Math.abs(v) >= 1e14) return maskPersonalData(String(v));
  return v;
}

/** One JSON line, every string in it masked: the fields are the bus's own (topic, partition, offset, …). */
export function jsonLine(level: string, obj: object, msg: string): string {
  return `${JSON.stringify({ level, time: Date.now(), ...obj, msg }, masked)}\n`;
}

/** Default: one JSON line per warning or error on stderr; info is dropped. */
export const stderrLogger: Logger = {
  info: () => {},
  warn: (obj, msg) => process.stderr.write(jsonLine('warn', obj, msg)),
  error: (obj, msg) => process.stderr.write(jsonLine('error', obj, msg)),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * kafkajs ERROR lines that are expected and followed by a successful retry: a coordinator still
 * loading right after a broker start, a leader election, a rebalance. Logged at info.
 */
const HARMLESS = [
  /The coordinator is loading/i,
  /coordinator is not available/i,
  /This is not the correct coordinator/i,
  /There is no leader for this topic-partition/i,
  /leadership election/i,
  /The group is rebalancing/i,
  /rebalance is in progress/i,
  /This server does not host this topic-partition/i,
  // CONCURRENT_TRANSACTIONS: the coordinator is still writing the previous transaction's commit
  // markers; the broker expects the client to retry and kafkajs does (kafkajs protocol/error.js,
  // code 51). KafkaBus spaces transactions of one id to make it rare; on a fresh broker it still
  // happens, and it is no error for the operator.
  /another concurrent operation on the same transaction/i,
];

/** kafkajs WARN lines about choices made on purpose (bounded producer retries, see KafkaBus). */
const DELIBERATE = [/^Limiting retries for the idempotent producer/];

/** kafkajs's own line for an error thrown by our eachBatch; KafkaBus has already logged it. */
const DUPLICATE = [/^Error when calling eachBatch/];

/** Fields of a kafkajs log entry that carry no message content; everything else is dropped. */
const SAFE_FIELDS = ['groupId', 'memberId', 'topic', 'partition', 'offset', 'retryCount', 'retryTime', 'broker', 'clientId', 'correlationId', 'nodeId', 'generationId', 'type', 'code'] as const;

/** An error's text for a log line: name and message, then each cause's, masked; no stack (it repeats the message and holds paths only). */
function errorChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  // A cause chain is short, but a cyclic one must not loop: at most 5 links.
  for (let i = 0; i < 5 && e !== undefined && e !== null; i++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return maskPersonalData(parts.join('; caused by '));
}

function safeExtra(log: LogEntry['log']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SAFE_FIELDS) {
    const v = log[f];
    if (v === undefined || typeof v === 'object') continue;
    out[f] = typeof v === 'string' ? maskPersonalData(v) : v;
  }
  const err: unknown = log['error'];
  if (err !== undefined && err !== null) out['error'] = errorChain(err);
  return out;
}

/** Routes kafkajs's logger (at WARN and above) into ours, downgrading its known harmless ERRORs. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => (entry: LogEntry) => {
    // kafkajs puts error texts (which may quote a broker's or our own message) into the message too.
    const message = maskPersonalData(String(entry.log.message ?? ''));
    const obj: Record<string, unknown> = { component: 'kafkajs', namespace: entry.namespace, ...safeExtra(entry.log) };
    if (entry.level === logLevel.ERROR) {
      if (DUPLICATE.some((r) => r.test(message))) return;
      if (HARMLESS.some((r) => r.test(message) || r.test(String(obj['error'] ?? '')))) logger.info(obj, message);
      else logger.error(obj, message);
    } else if (entry.level === logLevel.WARN) {
      if (DELIBERATE.some((r) => r.test(message))) logger.info(obj, message);
      else logger.warn(obj, message);
    }
    else if (entry.level === logLevel.INFO) logger.info(obj, message);
  };
}

/** Name and message of an error, masked, never its stack's data or a cause's payload. */
export function errorText(e: unknown): string {
  if (e instanceof SyntaxError) return 'SyntaxError: not valid JSON'; // JSON.parse's message quotes the input
  if (e instanceof Error) return maskPersonalData(`${e.name}: ${e.message}`);
  return maskPersonalData(String(e));
}
