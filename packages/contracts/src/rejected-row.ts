import { z } from 'zod';
import { MESSAGE_REJECT_REASONS, REJECT_REASONS } from './reason-codes.js';
import { defineContract } from './contract.js';
import { lineageSchema, periodSchema } from './lineage.js';

/**
 * A dead letter: a row that could not be parsed at all. `raw` holds the row's text (truncated)
 * so the verval team can repair it; the dead-letter topic and rejected.jsonl are restricted outputs.
 */
export const rejectedRowSchema = lineageSchema.extend({
  v: z.literal(1),
  row: z.number().int().positive(),
  reason: z.enum(REJECT_REASONS),
  message: z.string(),
  raw: z.string(),
});
export type RejectedRow = z.infer<typeof rejectedRowSchema>;

/** The longest excerpt of a dead-lettered message's payload (see maskedExcerpt). */
export const REJECTED_MESSAGE_EXCERPT_CHARS = 200;

/**
 * A dead letter for a Kafka message that failed its topic's contract (not JSON, schema-invalid,
 * or headed with another contract): it is no row of any announced file, so it names where the
 * message is (topic, partition, offset) instead of a file and a row, and carries a bounded,
 * masked excerpt instead of the payload: the message itself stays on its topic for whoever repairs
 * the producer. `period` is the message's `padan-period` header when that is a valid period.
 */
export const rejectedMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal('message'),
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().regex(/^\d+$/, 'offset must be the decimal Kafka offset'),
  reason: z.enum(MESSAGE_REJECT_REASONS),
  message: z.string(),
  excerpt: z.string().max(REJECTED_MESSAGE_EXCERPT_CHARS + 40),
  period: periodSchema.optional(),
});
export type RejectedMessage = z.infer<typeof rejectedMessageSchema>;

/** What `padan.rejected.v1` holds: an unparseable row of a file, or a message that failed its contract. */
export const deadLetterSchema = z.union([rejectedRowSchema, rejectedMessageSchema]);
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export function isRejectedMessage(d: DeadLetter): d is RejectedMessage {
  return 'kind' in d && d.kind === 'message';
}

/** The dead-letter topic's key of a message dead letter: one per consumed message, whoever consumed it. */
export function rejectedMessageKey(d: Pick<RejectedMessage, 'topic' | 'partition' | 'offset'>): string {
  return `${d.topic}/${d.partition}@${d.offset}`;
}

// Named after its first variant, as the wire has always said: a message dead letter is a new
// variant of the same topic, and consumers of earlier builds skip it as a contract failure.
export const RejectedRowContract = defineContract('rejected-row', 1, deadLetterSchema);
