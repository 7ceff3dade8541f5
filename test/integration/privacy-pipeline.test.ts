import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRejectedMessage, TOPICS } from '@padan/contracts';
import type { DeadLetter, MismatchEvent, RejectedMessage, SnapshotAnnouncement } from '@padan/contracts';
import { S3ObjectStore } from '@padan/s3';
import { generate } from '@padan/synth';
import { downloadSnapshot, requestSnapshot, topicsApply, uploadToLanding } from '../../packages/cli/src/distributed.js';
import { readCsvObjects } from '../helpers/csv.js';
import { tempDir } from '../helpers/golden.js';
import { collectPersonalData, describeFindings, scanDir, scanText } from '../helpers/privacy-scan.js';
import type { Finding, PersonalData } from '../helpers/privacy-scan.js';
import { httpGet, metricValue, readWholeTopic, sendForeign, startService, waitFor, waitReady } from '../helpers/privacy-services.js';
import type { ServiceProcess } from '../helpers/privacy-services.js';

const started: ServiceProcess[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.running.stop();
});

/**
 * A period no other run used, in a century whose people are all born after today: pino's
 * timestamps and the snapshot date then can never be mistaken for an input birth date.
 */
function farPeriod(): string {
  return `${2300 + Math.floor(Math.random() * 6000)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`;
}

/** One element of a set (the sets here are never empty: checked before use). */
function one(s: ReadonlySet<string>): string {
  for (const x of s) return x;
  throw new Error('empty set');
}

/**
 * The whole distributed pipeline, on generated data, at LOG_LEVEL=debug, through fault paths
 * (messages failing their contract on the raw and normalized topics, holding real input NIKs,
 * names and birth dates; a match restart mid-stream; a snapshot request), leaves no NIK, No. KK,
 * name or birth date of the input in any service log line, any /metrics page, any dead letter's
 * excerpt, or any output that is not restricted: summary.json, manifest.json, the ingest/done
 * markers, the mismatch events and the snapshot announcements. Restricted (full NIKs by design):
 * findings.*, rejected.jsonl and the raw, normalized and results topics.
 *
 * Regression pinned on the way: a dead letter for a message that failed its contract is no row of
 * an announced file; had report filed it under the period like a rejected row, it would have
 * counted as a file never accounted for, and the snapshot request would never have been answered.
 */
describe('no personal data leaves the restricted outputs', () => {
  it('the scanner finds a NIK, a name and a birth date planted in a log line (a canary), in any case and form', async () => {
    const pd: PersonalData = { numbers: new Set(['1571014508800003']), names: new Set(['SITI AMINAH']), dates: new Set(['1980-08-05']), maxNameWords: 2 };
    const kinds = (text: string) => scanText(pd, 'canary', text).map((f) => f.kind);
    expect(kinds('{"level":30,"msg":"looked up 1571014508800003"}')).toEqual(['number']);
    expect(kinds('{"msg":"nik 1571 0145 0880 0003 and 15710145088000031"}')).toEqual(['number', 'number']);
    expect(kinds('{"msg":"for Siti  Aminah, S.Pd"}')).toEqual(['name']);
    expect(kinds('{"msg":"born 05/08/1980 or 1980-08-05 or 5-8-1980"}')).toEqual(['date', 'date', 'date']);
    expect(kinds('{"msg":"masked 1571********0003, ****-**-**, AMINAH SITI, SITI HASAN"}')).toEqual([]);
  });

  it('through every service, with invalid messages, a restart, a snapshot request and an unusable file, at debug level; regression: a contract dead letter headed with a period held its snapshot forever', { timeout: 600_000 }, async () => {
    const period = farPeriod();
    const dir = tempDir('privacy-pipeline');
    const gen = await generate({ outDir: join(dir, 'input'), households: 2000, seed: 61, period, formats: 'csv' });
    const inputs = [{ source: 'DTKS' as const, path: gen.dtks }, ...gen.programs.map((p) => ({ source: p.program, path: p.path }))];
    const pd = await collectPersonalData(inputs.map((i) => i.path));
    // The oracle knows the input: thousands of each kind, or it would prove nothing.
    expect(pd.numbers.size).toBeGreaterThan(5000);
    expect(pd.names.size).toBeGreaterThan(2000);
    expect(pd.dates.size).toBeGreaterThan(2000);
    // And it finds the input in the input.
    expect(scanText(pd, 'dtks', readFileSync(gen.dtks, 'utf8')).length).toBeGreaterThan(5000);

    await topicsApply();
    const env = { ...process.env, PADAN_HASH_KEY: 'privacy-pipeline-hash-key', LOG_LEVEL: 'debug', INGEST_POLL_MS: '300', REPORT_TICK_MS: '200' };
    const port = 19400 + Math.floor(Math.random() * 300);
    const logs = join(dir, 'logs');
    const services = {
      ingest: startService('ingest', port, join(logs, 'ingest'), env),
      normalize: startService('normalize', port + 1, join(logs, 'normalize'), env),
      match: startService('match', port + 2, join(logs, 'match-1'), env),
      report: startService('report', port + 3, join(logs, 'report'), env),
    };
    for (const s of Object.values(services)) started.push(s);
    for (const s of Object.values(services)) await waitReady(s);
    const metricsPages: { where: string; text: string }[] = [];
    const scrape = async (s: ServiceProcess) => {
      const page = await httpGet(s.port, '/metrics');
      expect(page?.status, `${s.name} /metrics`).toBe(200);
      metricsPages.push({ where: `${s.name}:${s.port}/metrics`, text: page!.text });
      // The health pages are operator-facing too.
      for (const path of ['/readyz', '/healthz']) metricsPages.push({ where: `${s.name}:${s.port}${path}`, text: (await httpGet(s.port, path))?.text ?? '' });
      return page!.text;
    };

    // Fault 1: a foreign writer puts messages holding real input data on the raw and normalized
    // topics, headed with this period: not JSON, and JSON that fails the contract.
    const nik = one(pd.numbers);
    const name = one(pd.names);
    const born = one(pd.dates);
    const hostile = [`{"v":1,"period":"${period}","rows":[[1,["${nik}","${name}","${born}"]]`, JSON.stringify({ v: 2, period, rows: [[1, [nik, name, born]]] })];
    const sent = [...(await sendForeign(TOPICS.raw, hostile, { 'padan-period': period })), ...(await sendForeign(TOPICS.normalized, hostile, { 'padan-period': period }))];

    await uploadToLanding(period, inputs, env);

    // Fault 2: match stopped and started again while results flow.
    await waitFor('match consuming this run', async () => metricValue(await scrape(services.match), 'padan_records_in_total', { topic: TOPICS.normalized }) > 0);
    await services.match.running.stop();
    const match2 = startService('match', port + 4, join(logs, 'match-2'), env);
    started.push(match2);
    await waitReady(match2);

    // Fault 3: a snapshot request, answered only when every row of the period is accounted for:
    // the contract dead letters headed with this period must not hold it open.
    const expectFiles = inputs.map((i) => ({ source: i.source, file: basename(i.path) }));
    const announcement = (await requestSnapshot({ period, date: '2021-09-30', expect: expectFiles, wait: true, timeoutMs: 300_000 }, env)) as SnapshotAnnouncement;
    const snapshotDir = await downloadSnapshot(announcement, join(dir, 'out'), env);

    // Fault 4, after the snapshot so that it cannot hold the period: an unusable file (no NIK
    // column) whose rows hold a NIK, a name and a birth date. ingest logs the error and writes it
    // into the file's ingest/done marker: both are scanned below.
    const store = S3ObjectStore.fromEnv(env);
    const unusableKey = `landing/period=${period}/source=PKH/unusable.csv`;
    await store.put(unusableKey, `NAMA;TANGGAL_LAHIR;NOMOR\n${name};${born};${nik}\n`);
    await waitFor('the unusable file refused', async () => (await store.list('ingest/done/')).some((o) => o.key === `ingest/done/${unusableKey}.json`));

    for (const s of [services.ingest, services.normalize, match2, services.report]) await scrape(s);
    expect(metricValue(metricsPages.find((p) => p.where.startsWith('normalize'))!.text, 'padan_invalid_messages_total', { topic: TOPICS.raw })).toBeGreaterThanOrEqual(2);

    // The accounting holds: every row read is clean, flagged or rejected, and the dead letters of
    // the snapshot are the unparseable rows of the files, not the invalid messages.
    const summary = JSON.parse(readFileSync(join(snapshotDir, 'dashboard/summary.json'), 'utf8')) as { files: { rows_read: number; clean: number; flagged: number; rejected: number; accounted: boolean }[] };
    expect(summary.files).toHaveLength(inputs.length);
    for (const f of summary.files) {
      expect(f.accounted).toBe(true);
      expect(f.clean + f.flagged + f.rejected).toBe(f.rows_read);
    }
    const rejectedRows = readFileSync(join(snapshotDir, 'restricted/rejected.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(rejectedRows).toHaveLength((await readCsvObjects(join(dirname(gen.truth), 'truth-rejected.csv'))).length);

    // The invalid messages are dead letters of this period, saying where they are, masked.
    const dead = (await readWholeTopic<DeadLetter>(TOPICS.rejected)).filter((d): d is RejectedMessage => isRejectedMessage(d) && d.period === period);
    expect(new Set(dead.map((d) => `${d.topic}/${d.partition}@${d.offset}`))).toEqual(new Set(sent.map((s) => `${s.topic}/${s.partition}@${s.offset}`)));

    const findings: Finding[] = [];
    const add = (f: readonly Finding[]) => {
      for (const x of f) findings.push(x);
    };
    // Dead letters may keep a name (like a rejected row's raw text), never a full NIK or date.
    for (const d of dead) add(scanText({ ...pd, names: new Set() }, `dead letter ${d.topic}@${d.offset}`, JSON.stringify(d)));
    for (const p of metricsPages) add(scanText(pd, p.where, p.text));
    const mismatches = (await readWholeTopic<MismatchEvent>(TOPICS.mismatches)).filter((m) => m.period === period);
    expect(mismatches.length).toBeGreaterThan(100);
    add(scanText(pd, TOPICS.mismatches, mismatches.map((m) => JSON.stringify(m)).join('\n')));
    const announcements = (await readWholeTopic<SnapshotAnnouncement>(TOPICS.snapshots)).filter((a) => a.period === period);
    expect(announcements.length).toBeGreaterThan(0);
    add(scanText(pd, TOPICS.snapshots, announcements.map((a) => JSON.stringify(a)).join('\n')));
    const markers = (await store.list('ingest/done/')).filter((o) => o.key.includes(`period=${period}/`));
    expect(markers).toHaveLength(inputs.length + 1);
    for (const m of markers) add(scanText(pd, m.key, (await store.get(m.key)).toString('utf8')));
    for (const n of ['dashboard/summary.json', 'manifest.json']) add(scanText(pd, n, readFileSync(join(snapshotDir, n), 'utf8')));

    // Every log line of every service, the restarted one's both lives, after a clean stop.
    for (const s of started.splice(0)) await s.running.stop();
    const logFiles = readdirSync(logs, { recursive: true }).filter((f) => String(f).endsWith('.log'));
    expect(logFiles).toHaveLength(5);
    add(scanDir(pd, logs));
    // The logs are there to be scanned: the invalid messages, the restart, the files by their landing keys.
    const allLogs = logFiles.map((f) => readFileSync(join(logs, String(f)), 'utf8')).join('');
    for (const m of sent) {
      const lines = allLogs.split('\n').filter((l) => l.includes('fails its contract') && l.includes(`"topic":"${m.topic}"`) && l.includes(`"partition":${m.partition},`) && l.includes(`"offset":"${m.offset}"`));
      expect(lines, `${m.topic}[${m.partition}]@${m.offset} logged once`).toHaveLength(1);
    }
    expect(allLogs).toContain('"signal":"SIGTERM"');
    expect(allLogs).toContain(`"key":"landing/period=${period}/source=DTKS/`);
    expect(allLogs).toContain(`"key":"${unusableKey}","rule":"REQUIRED_COLUMN"`);

    expect(describeFindings(findings), 'personal data outside the restricted outputs').toEqual([]);

    // The canary, on the real logs: one planted line is found.
    expect(scanText(pd, 'canary', `${allLogs}{"level":30,"msg":"oops ${nik}"}\n`).map((f) => f.kind)).toEqual(['number']);
  });
});
