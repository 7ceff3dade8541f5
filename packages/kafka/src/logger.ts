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

/** Default: one JSON line per warning or error on stderr; info is dropped. */
export const stderrLogger: Logger = {
  info: () => {},
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', time: Date.now(), ...obj, msg })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', time: Date.now(), ...obj, msg })}\n`),
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
];

/** kafkajs WARN lines about choices made on purpose (bounded producer retries, see KafkaBus). */
const DELIBERATE = [/^Limiting retries for the idempotent producer/];

/** kafkajs's own line for an error thrown by our eachBatch; KafkaBus has already logged it. */
const DUPLICATE = [/^Error when calling eachBatch/];

/** Fields of a kafkajs log entry that carry no message content; everything else is dropped. */
const SAFE_FIELDS = ['groupId', 'memberId', 'topic', 'partition', 'offset', 'retryCount', 'retryTime', 'broker', 'clientId', 'correlationId', 'nodeId', 'generationId', 'type', 'code'] as const;

function safeExtra(log: LogEntry['log']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SAFE_FIELDS) if (log[f] !== undefined && typeof log[f] !== 'object') out[f] = log[f];
  const err: unknown = log['error'];
  if (typeof err === 'string') out['error'] = err;
  else if (err instanceof Error) out['error'] = `${err.name}: ${err.message}`;
  return out;
}

/** Routes kafkajs's logger (at WARN and above) into ours, downgrading its known harmless ERRORs. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => (entry: LogEntry) => {
    const message = String(entry.log.message ?? '');
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

/** Name and message of an error, never its stack's data or a cause's payload. */
export function errorText(e: unknown): string {
  if (e instanceof SyntaxError) return 'SyntaxError: not valid JSON'; // JSON.parse's message quotes the input
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
