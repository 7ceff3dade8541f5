import type { TopicName } from './topics.js';
import { TOPICS } from './topics.js';

/** Who reads a topic's messages, which decides who may be given access to it. */
export type TopicAudience =
  /** Personal data (NIKs, No. KK, names, birth dates, raw rows): verval teams and padan's services only. */
  | 'restricted'
  /** No personal data: dashboards and other consumers outside padan may read it. */
  | 'dashboard'
  /** No personal data, but coordination between padan's own services: not meant to be consumed. */
  | 'internal';

/** What a consumer of a topic needs to know beyond its payload schema. */
export interface TopicDoc {
  readonly audience: TopicAudience;
  /** The message key: what it is made of (MESSAGE_KEYS in message-keys.ts builds it). */
  readonly key: string;
  /** What one message means and how a consumer should read the topic. */
  readonly semantics: string;
  /** padan components that publish to the topic (empty: nothing does any more). */
  readonly producers: readonly string[];
  /** padan components that consume it. */
  readonly consumers: readonly string[];
}

/**
 * The documentation of every topic, from which `pnpm contracts:generate` writes the AsyncAPI
 * document (`contracts/asyncapi.yaml`). Typed by topic, so a topic added to TOPICS without its
 * documentation does not compile.
 */
export const TOPIC_DOCS = {
  [TOPICS.raw]: {
    audience: 'restricted',
    key: '`period/source/file#firstRow` (MESSAGE_KEYS.rawBatch): the batch\'s file and first row; for partitioning only, the topic is not compacted.',
    semantics:
      'Rows as read from one input file, columns already mapped onto canonical fields (`fields`); `rows` are tuples `[sourceRow, values]` with `values[i]` the raw text of `fields[i]`, verbatim. Rows of a file arrive in order. Holds raw NIKs, names and birth dates.',
    producers: ['ingest'],
    consumers: ['normalize'],
  },
  [TOPICS.files]: {
    audience: 'internal',
    key: '`period/source/file` (MESSAGE_KEYS.file): one announcement per input file; compacted, the latest is kept.',
    semantics:
      'Published once a file has been read to the end: its checksum, columns, header row and row counts. A file is accounted for when `rowsRead = rowsEmitted + rowsRejected` rows have come out of the pipeline as results or dead letters; match and report wait for it.',
    producers: ['ingest'],
    consumers: ['match', 'report'],
  },
  [TOPICS.rejected]: {
    audience: 'restricted',
    key: 'a row dead letter: the identity of the record it would have been, `period/source/file#row` (MESSAGE_KEYS.rejectedRow); a message dead letter: `topic/partition@offset` of the message that failed its contract (rejectedMessageKey).',
    semantics:
      'Dead letters. Either a row of an input file that cannot be parsed at all (reason, message and the row\'s raw text, which may hold personal data; a bad NIK is a finding, never a dead letter), or (`kind: "message"`) a consumed message that failed its topic\'s contract, named by topic, partition and offset with a short masked excerpt. Row dead letters count towards their file\'s rows; message dead letters never block a period.',
    producers: ['ingest', 'every consumer (message dead letters)', 'report (stray files)'],
    consumers: ['report', 'padan dlq inspect --topic'],
  },
  [TOPICS.normalized]: {
    audience: 'restricted',
    key: '`period/source/file#firstRow` (MESSAGE_KEYS.normalizedBatch); a reevaluation request `reevaluate/<first record key>` (MESSAGE_KEYS.reevaluation). The partition is given explicitly, not taken from the key: murmur2 of the cleaned NIK when it is valid, else of the record identity, so one person\'s records meet in one partition and every record of a message shares it.',
    semantics:
      'Cleaned records of one file: NIK and its validity detail, NIK-derived sex and birth date, No. KK, name and name key, birth date, region code and regency, DTKS household and status, warnings. A message with `reevaluate` (and no records) asks the partition\'s owner to recompute those records\' results.',
    producers: ['normalize', 'match (reevaluation requests)'],
    consumers: ['match'],
  },
  [TOPICS.results]: {
    audience: 'restricted',
    key: '`period/source/file#first-last/rowSetTag@seqTag[~epoch]` (MESSAGE_KEYS.resultBatch): the file, the exact set of rows and their `seq`s, and the state generation\'s epoch; compacted, so a batch is only ever replaced by the same batch again.',
    semantics:
      'Reconciliation results, up to 1 000 of one file per message as tuples of MatchResult v1\'s fields (`[row, seq, nikRaw, nik, nama, outcome, reasons, details, warnings, suggestedNik, householdId, regency, notChecked]`). A record is re-emitted with a higher `seq` when new evidence changes it: keep the highest `seq` per record (period, source, file, row), and of a period only the results of its newest `epoch`. `outcome: null` is a clean record.',
    producers: ['match'],
    consumers: ['report'],
  },
  [TOPICS.resultsV1]: {
    audience: 'restricted',
    key: '`period/source/file#row` (MESSAGE_KEYS.result): the record identity; compacted.',
    semantics:
      'One MatchResult per message, as published before padan.results.v2. Nothing publishes to it any more; report still reads it so that periods published before the upgrade stay in its view (keep the highest `seq` per record across both topics). Delete it once those periods need no more snapshots.',
    producers: [],
    consumers: ['report'],
  },
  [TOPICS.mismatches]: {
    audience: 'dashboard',
    key: '`period/program/file#row` (MESSAGE_KEYS.mismatch): the flagged record\'s identity, so every event of one record is in one partition, in order.',
    semantics:
      'One event per flagged record, published once the period\'s input is completely accounted for, and again only when the record\'s finding (reasons, details, whether a NIK is suggested) changes: keep the latest event per key. A record that turns clean gets no event; the snapshot\'s summary.json holds the exact counts. A restarted report may publish a period\'s events again (at least once): counting per key makes that harmless. Carries `nikMasked` (first four and last four digits) and `nikHash` (HMAC-SHA256 of the cleaned NIK with the deployment\'s key, for linking records across periods and programs), never a raw NIK or a name.',
    producers: ['report'],
    consumers: ['dashboards (examples/mismatch-tally)'],
  },
  [TOPICS.snapshots]: {
    audience: 'dashboard',
    key: '`period` (MESSAGE_KEYS.snapshot).',
    semantics:
      'One message per snapshot written, after its manifest: period, date, prefix, object keys with checksums and sizes, and the request id it answers; a dashboard waits for it to fetch the new summary.json. The message holds no personal data; the objects it names are restricted (findings, rejected rows) or not (summary.json, manifest.json) by themselves.',
    producers: ['report'],
    consumers: ['report', 'padan snapshot --wait', 'padan run --mode distributed'],
  },
  [TOPICS.snapshotRequests]: {
    audience: 'internal',
    key: '`period` (MESSAGE_KEYS.snapshot).',
    semantics:
      'Asks report for a snapshot of a period (and date); `expect` names the files the period must hold, and report answers (padan.snapshots.v1, with `requestId`) once each of them is completely accounted for.',
    producers: ['padan snapshot', 'padan run --mode distributed'],
    consumers: ['report'],
  },
  [TOPICS.dtksIndex]: {
    audience: 'restricted',
    key: '`period/DTKS/file#first-last/rowSetTag` (MESSAGE_KEYS.dtksIndexBatch): the DTKS file and the exact set of rows; compacted, so every indexed row stays.',
    semantics:
      'The DTKS index changelog: up to 1 000 DTKS rows with a valid NIK of one file per message, each a tuple `[row, nik, nikRaw, householdId, noKk, nama, nameKey, birthDate, regency, deceased, warnings]`. A durable copy of every release match indexed; match does not read it back (a lost state is rebuilt from the input topics and the raw archive).',
    producers: ['match'],
    consumers: [],
  },
  [TOPICS.ingestProgress]: {
    audience: 'internal',
    key: 'the landing object key, `landing/period=P/source=S/<file>`; compacted, the latest progress per object is kept.',
    semantics:
      'How far ingest got with a landing object (the last row committed, in the same Kafka transaction as the rows it covers) and, once done, its FileCompleted. A restarted ingest resumes after `lastRow`.',
    producers: ['ingest'],
    consumers: ['ingest', 'report'],
  },
  [TOPICS.matchStatus]: {
    audience: 'internal',
    key: '`period` (MESSAGE_KEYS.matchStatus); compacted.',
    semantics:
      'Whether match holds program batches of a period in its state (consumed, waiting for the DTKS release or a rebuild\'s replay), with a `version` from one Redis counter that orders the statuses of every instance: the highest version per period is the current one. report writes a snapshot only when it holds nothing.',
    producers: ['match'],
    consumers: ['report'],
  },
  [TOPICS.archiveReplayRequests]: {
    audience: 'internal',
    key: '`generation/period` (MESSAGE_KEYS.archiveReplayRequest).',
    semantics:
      'match asks ingest to publish a period\'s archived input files into padan.raw.v1 again, with their original lineage: a rebuild of its state found the input topics past their retention (`INPUT_PAST_RETENTION`), or a record arrived for a closed period (`PERIOD_REOPENED`).',
    producers: ['match'],
    consumers: ['ingest'],
  },
} as const satisfies Record<TopicName, TopicDoc>;

/**
 * The headers padan's Kafka bus puts on every message (packages/kafka, `padanHeaders`): the
 * contract and its version always, the lineage when the value has the field. ASCII values, never a
 * NIK or a name. `field` is the value's field a lineage header copies (`padan-source` copies
 * `program` when there is no `source`).
 */
export const MESSAGE_HEADERS = [
  { name: 'padan-contract', field: null, description: 'The contract\'s name (e.g. `mismatch-event`); a consumer checks it with `padan-version` before decoding.' },
  { name: 'padan-version', field: null, description: 'The contract\'s version, a decimal number as text (e.g. `1`).' },
  { name: 'padan-period', field: 'period', description: 'The period (`YYYY-MM`) of the value.' },
  { name: 'padan-source', field: 'source', description: 'The source (`DTKS`, `PKH`, `SEMBAKO`, `BST`, `PBI`) of the value: its `source`, else its `program`.' },
  { name: 'padan-file', field: 'file', description: 'The base name of the input file the value comes from.' },
  { name: 'padan-run-id', field: 'runId', description: 'The run id of the value\'s lineage (a content hash of the run\'s inputs).' },
] as const;
