import { randomUUID } from 'node:crypto';
import { isRejectedMessage, RejectedRowContract, TOPICS } from '@padan/contracts';
import { connectAdmin, createKafka, kafkaConnectionFromEnv, silentLogger } from '@padan/kafka';
import type { DeadLetterListing } from './dead-letters.js';
import { maskDeadLetterText } from './dead-letter-text.js';

/**
 * Dead letters on `padan.rejected.v1` (the distributed run), read from the beginning up to the end
 * the topic had when the command started, so the listing ends. A throwaway consumer group is used
 * and deleted, so no service's offsets move. A message that fails its contract is listed too,
 * with its topic, partition and offset, rather than dropped.
 */
export async function topicDeadLetters(period: string | undefined, emit: (d: DeadLetterListing) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const conn = { ...kafkaConnectionFromEnv(env, 'padan-dlq-inspect'), logger: silentLogger };
  const admin = await connectAdmin(conn);
  const groupId = `padan-dlq-inspect-${randomUUID()}`;
  let listed = 0;
  try {
    const ends = new Map<number, bigint>();
    for (const p of await admin.fetchTopicOffsets(TOPICS.rejected)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
    }
    if (ends.size === 0) return 0;
    const consumer = createKafka(conn).consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPICS.rejected, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        // The end is detected per batch, not per message: ingest writes transactionally, so a
        // partition's last offsets are commit markers, never delivered as messages; kafkajs reports
        // them in the batch's lastOffset.
        consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
          const end = ends.get(e.payload.partition);
          if (end !== undefined && BigInt(e.payload.lastOffset) + 1n >= end) ends.delete(e.payload.partition);
          if (ends.size === 0) resolve();
        });
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              if (!ends.has(partition)) return;
              const origin = `${TOPICS.rejected}/${partition}@${message.offset}`;
              try {
                const r = RejectedRowContract.decode(message.value ?? Buffer.alloc(0));
                if (period && r.period !== period) return;
                listed++;
                if (isRejectedMessage(r)) {
                  // A message that failed its contract on another topic: where it is, and a masked excerpt.
                  const where = `${r.topic}/${r.partition}@${r.offset}`;
                  emit({ period: r.period ?? '?', program: '?', file: where, row: 0, reason: r.reason, message: maskDeadLetterText(r.message), text: maskDeadLetterText(r.excerpt), origin });
                } else {
                  emit({ period: r.period, program: r.source, file: r.file, row: r.row, reason: r.reason, message: maskDeadLetterText(r.message), text: maskDeadLetterText(r.raw), origin });
                }
              } catch {
                listed++;
                emit({ period: '?', program: '?', file: '?', row: 0, reason: 'CONTRACT_VIOLATION', message: 'not a valid rejected-row message', text: origin, origin });
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  return listed;
}
