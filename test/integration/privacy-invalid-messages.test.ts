import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRejectedMessage, rejectedMessageKey, TOPICS } from '@padan/contracts';
import type { DeadLetter, IngestProgress, RejectedMessage } from '@padan/contracts';
import { topicsApply } from '../../packages/cli/src/distributed.js';
import { tempDir } from '../helpers/golden.js';
import { uniquePeriod } from '../helpers/period.js';
import { describeFindings, scanText } from '../helpers/privacy-scan.js';
import type { PersonalData } from '../helpers/privacy-scan.js';
import { httpGet, metricValue, readWholeTopic, sendForeign, startService, waitFor, waitReady } from '../helpers/privacy-services.js';
import type { SentMessage, ServiceProcess } from '../helpers/privacy-services.js';

const started: ServiceProcess[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.running.stop();
});

const NIK = '1571014508800003';
const KK = '1571011204100007';
const NAME = 'SITI AMINAH BINTI ABDULLAH';
const BORN = '05/08/1980';
const PLANTED: PersonalData = { numbers: new Set([NIK, KK]), names: new Set([NAME]), dates: new Set(['1980-08-05']), maxNameWords: 4 };

/** Messages a foreign writer or a buggy producer could put on a topic, each holding a row's personal data. */
function hostileMessages(period: string): string[] {
  return [
    // Cut off: not JSON. JSON.parse's error would quote it.
    `{"v":1,"period":"${period}","rows":[[1,["${NIK}","${NAME}","${BORN}","${KK}"]]`,
    // JSON, but not the contract (v 2, no lineage).
    JSON.stringify({ v: 2, period, rows: [[1, [NIK, NAME, BORN, KK]]] }),
  ];
}

/**
 * A message consumed off a topic that fails its contract is a dead letter on padan.rejected.v1,
 * naming topic, partition and offset with a masked excerpt, counted once in
 * padan_invalid_messages_total and logged once. Regression: each such message was logged twice
 * (once by the bus as it decoded it, once more by busHooks' onInvalid), and was only skipped:
 * nothing told the data engineers where it was.
 */
describe('messages that fail their contract, on the real services', () => {
  it('regression: an invalid message was logged twice and never dead-lettered; now it is a dead letter with topic, partition and offset, logged once', { timeout: 300_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const logDir = tempDir('privacy-invalid-logs');
    const port = 19100 + Math.floor(Math.random() * 300);
    const env = { ...process.env, PADAN_HASH_KEY: 'privacy-invalid-hash-key', LOG_LEVEL: 'debug' };
    const normalize = startService('normalize', port, join(logDir, 'normalize'), env);
    const match = startService('match', port + 1, join(logDir, 'match'), env);
    started.push(normalize, match);
    await waitReady(normalize);
    await waitReady(match);
    const before = {
      raw: metricValue((await httpGet(normalize.port, '/metrics'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.raw }),
      normalized: metricValue((await httpGet(match.port, '/metrics'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.normalized }),
    };

    const headers = { 'padan-period': period };
    const sent: SentMessage[] = [...(await sendForeign(TOPICS.raw, hostileMessages(period), headers)), ...(await sendForeign(TOPICS.normalized, hostileMessages(period), headers))];

    // Counted: once per message, by the service that consumes the topic.
    await waitFor('the invalid messages counted', async () => {
      const raw = metricValue((await httpGet(normalize.port, '/metrics'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.raw });
      const normalized = metricValue((await httpGet(match.port, '/metrics'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.normalized });
      return raw - before.raw >= 2 && normalized - before.normalized >= 2;
    });

    // Dead-lettered: one entry per message, where it is and why, with a masked excerpt only.
    const dead = await waitFor('4 dead letters of this period', async () => {
      const all = (await readWholeTopic<DeadLetter>(TOPICS.rejected)).filter((d): d is RejectedMessage => isRejectedMessage(d) && d.period === period);
      const byKey = new Map(all.map((d) => [rejectedMessageKey(d), d]));
      return byKey.size >= 4 ? byKey : undefined;
    });
    expect([...dead.keys()].sort()).toEqual(sent.map(rejectedMessageKey).sort());
    for (const s of sent) {
      const d = dead.get(rejectedMessageKey(s))!;
      const first = sent.filter((x) => x.topic === s.topic)[0] === s;
      expect(d.reason).toBe(first ? 'MESSAGE_NOT_JSON' : 'MESSAGE_CONTRACT_VIOLATION');
      expect(d.excerpt).toContain('1571********0003');
      expect(d.excerpt.length).toBeLessThanOrEqual(240);
      expect(describeFindings(scanText({ ...PLANTED, names: new Set() }, `dead letter ${rejectedMessageKey(d)}`, JSON.stringify(d)))).toEqual([]);
    }
    expect(dead.get(rejectedMessageKey(sent[1]!))!.message).toMatch(/contract raw-batch@v1/);

    for (const s of started.splice(0)) await s.running.stop();

    // Logged once: exactly one error line per message, naming its topic, partition and offset.
    const logs = ['normalize', 'match'].map((n) => readdirSync(join(logDir, n)).map((f) => readFileSync(join(logDir, n, f), 'utf8')).join('')).join('');
    for (const s of sent) {
      const lines = logs.split('\n').filter((l) => l.includes(`"topic":"${s.topic}"`) && l.includes(`"offset":"${s.offset}"`) && l.includes(`"partition":${s.partition}`) && l.includes('"level":50'));
      expect(lines, `${s.topic}[${s.partition}]@${s.offset}`).toHaveLength(1);
    }
    // And no personal data in any line, at debug level.
    expect(describeFindings(scanText(PLANTED, 'normalize and match logs', logs))).toEqual([]);
  });

  /**
   * ingest reads padan.ingest-progress.v1 from the beginning at start-up to know where each file
   * stands. A message there that was not JSON threw a SyntaxError inside that read, which kafkajs
   * does not retry: the read's consumer stopped at that message and the read returned what came
   * before it, so ingest started without the progress of everything after it (files done would be
   * ingested again), and said nothing.
   */
  it('regression: an invalid message on padan.ingest-progress.v1 silently cut ingest\'s start-up read of its progress; it is dead-lettered and the read goes on', { timeout: 300_000 }, async () => {
    await topicsApply();
    const period = uniquePeriod();
    const logDir = tempDir('privacy-invalid-progress-logs');
    const [bad] = await sendForeign(TOPICS.ingestProgress, [hostileMessages(period)[0]!], { 'padan-period': period });
    const afterKey = `landing/period=${period}/source=PKH/after-the-bad-message.csv`;
    await sendForeign(TOPICS.ingestProgress, [JSON.stringify({ v: 1, key: afterKey, sha256: '0'.repeat(64), lastRow: 5, completed: null })], {}, bad!.partition);
    const progress = new Set((await readWholeTopic<IngestProgress>(TOPICS.ingestProgress)).map((p) => p.key));
    expect(progress.has(afterKey)).toBe(true);
    const ingest = startService('ingest', 19500 + Math.floor(Math.random() * 300), logDir, { ...process.env, LOG_LEVEL: 'debug', INGEST_POLL_MS: '60000' });
    started.push(ingest);
    await waitFor('ingest ready', async () => (await httpGet(ingest.port, '/readyz'))?.status === 200, 60_000);
    const dead = await waitFor('its dead letter', async () =>
      (await readWholeTopic<DeadLetter>(TOPICS.rejected)).find((d) => isRejectedMessage(d) && rejectedMessageKey(d) === rejectedMessageKey(bad!)),
    );
    expect(dead).toMatchObject({ kind: 'message', topic: TOPICS.ingestProgress, partition: bad!.partition, offset: bad!.offset, reason: 'MESSAGE_NOT_JSON', period });
    expect(metricValue((await httpGet(ingest.port, '/metrics'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.ingestProgress })).toBeGreaterThanOrEqual(1);
    for (const s of started.splice(0)) await s.running.stop();
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    // Every landing object's progress was loaded, the one after the bad message included.
    const loaded = logs.split('\n').find((l) => l.includes('ingest progress loaded'));
    expect(loaded).toContain(`"objects":${progress.size},`);
    expect(describeFindings(scanText(PLANTED, 'ingest log', logs))).toEqual([]);
  });
});
