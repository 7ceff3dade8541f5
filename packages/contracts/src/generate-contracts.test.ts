import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CONTRACTS_DIR, generatedContracts, JSON_SCHEMA_DIR, jsonSchemaOf, readTopicCatalog, repositoryRoot } from './generate-contracts.js';
import { contractSchemaFile, PUBLISHED_SCHEMAS } from './published-schemas.js';
import type { PublishedSchema } from './published-schemas.js';
import { TOPIC_CONTRACTS } from './topic-contracts.js';
import { TOPIC_DOCS } from './topic-docs.js';
import { TOPICS } from './topics.js';

const root = repositoryRoot();
const dir = join(root, CONTRACTS_DIR);
const FIX = 'run `pnpm contracts:generate` and commit contracts/';

function entry(file: string): PublishedSchema {
  const e = PUBLISHED_SCHEMAS.find((x) => x.file === file);
  if (!e) throw new Error(`no published schema ${file}`);
  return e;
}

describe('published contracts (contracts/)', () => {
  const generated = generatedContracts(readTopicCatalog(root));

  it('are what the generator writes today: a changed contract without regenerated files fails here', () => {
    const stale: string[] = [];
    for (const [path, text] of generated) {
      const file = join(dir, path);
      if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(path);
    }
    expect(stale, `contracts/ is out of date (${stale.join(', ')}): ${FIX}`).toEqual([]);
  });

  it('hold no schema file the registry no longer names', () => {
    const extra = readdirSync(join(dir, JSON_SCHEMA_DIR)).filter((f) => !generated.has(`${JSON_SCHEMA_DIR}/${f}`));
    expect(extra, `contracts/json-schema has files no PUBLISHED_SCHEMAS entry writes: ${FIX}`).toEqual([]);
  });

  it('publish the contract of every topic', () => {
    const files = new Set(PUBLISHED_SCHEMAS.map((e) => e.file));
    for (const topic of Object.values(TOPICS)) expect(files.has(contractSchemaFile(TOPIC_CONTRACTS[topic])), topic).toBe(true);
  });

  it('are listed in contracts/README.md, each topic with its schema file and audience', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const topic of Object.values(TOPICS)) {
      const row = `| \`${topic}\` | \`${contractSchemaFile(TOPIC_CONTRACTS[topic])}\` | ${TOPIC_DOCS[topic].audience} |`;
      expect(readme, `contracts/README.md lacks the row ${row}`).toContain(row);
    }
  });

  it('are deterministic: sorted keys, two-space JSON, one final newline', () => {
    const again = generatedContracts(readTopicCatalog(root));
    expect([...again]).toEqual([...generated]);
    for (const [path, text] of generated) {
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), path).toBe(true);
      if (path.endsWith('.json')) expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
    const schema = JSON.parse(generated.get(`${JSON_SCHEMA_DIR}/mismatch-event.v1.schema.json`) as string) as { properties: object };
    expect(Object.keys(schema)).toEqual(['$schema', '$comment', 'title', 'type', 'properties', 'required']);
    expect(Object.keys(schema.properties)).toEqual([...Object.keys(schema.properties)].sort());
  });
});

describe('jsonSchemaOf refuses what JSON Schema cannot say, which zod would drop silently', () => {
  const cases: [string, z.ZodType, RegExp][] = [
    ['a refinement', z.object({ nik: z.string().refine((s) => s.length === 16) }), /nik: a refinement/],
    ['a refinement of an object', z.object({ a: z.string() }).refine(() => true), /\(root\): a refinement/],
    ['a transform', z.object({ row: z.string().transform(Number) }), /row: a transform/],
    ['a preprocess', z.object({ row: z.preprocess(String, z.string()) }), /row: a transform/],
    ['a date', z.object({ at: z.date() }), /Date cannot be represented/],
  ];
  for (const [what, schema, message] of cases) {
    it(what, () => {
      expect(() => jsonSchemaOf({ file: 'x.v1.schema.json', title: 'x', schema })).toThrow(message);
    });
  }
});

describe('the JSON Schemas accept what the zod contracts accept', () => {
  const ajv = new Ajv({ strict: false });
  const validator = (file: string) => ajv.compile(jsonSchemaOf(entry(file)));

  const event = {
    v: 1,
    period: '2021-09',
    program: 'PKH',
    file: 'pkh.csv',
    row: 7,
    nikMasked: '1571********0001',
    nikHash: 'a'.repeat(64),
    outcome: 'NOT_IN_DTKS',
    reasons: ['NOT_IN_DTKS'],
    details: [],
    regency: '1571',
    hasSuggestion: false,
  };
  const resultTuple = [3, 1, '1571010101800001', '1571010101800001', 'SITI', 'DECEASED', ['DECEASED'], [], [], null, 'H1', '1571', []];
  const resultBatch = { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'r', format: 'csv', results: [resultTuple] };

  // Each case: the contract, a message, and whether zod accepts it; the JSON Schema must agree.
  const cases: [string, string, unknown][] = [
    ['mismatch event', 'mismatch-event.v1.schema.json', event],
    ['a field added later (additive change)', 'mismatch-event.v1.schema.json', { ...event, regencyName: 'KOTA JAMBI' }],
    ['an unknown reason code', 'mismatch-event.v1.schema.json', { ...event, outcome: 'NEW_REASON' }],
    ['a required field missing', 'mismatch-event.v1.schema.json', { ...event, nikHash: undefined }],
    ['a hash that is not hex', 'mismatch-event.v1.schema.json', { ...event, nikHash: 'z'.repeat(64) }],
    ['row 0', 'mismatch-event.v1.schema.json', { ...event, row: 0 }],
    ['a fractional row', 'mismatch-event.v1.schema.json', { ...event, row: 1.5 }],
    ['a snapshot request without its defaulted `expect`', 'snapshot-request.v1.schema.json', { v: 1, requestId: 'q', period: '2021-09' }],
    ['a snapshot request for month 13', 'snapshot-request.v1.schema.json', { v: 1, requestId: 'q', period: '2021-13' }],
    ['a result batch', 'result-batch.v1.schema.json', resultBatch],
    ['a result tuple one element short', 'result-batch.v1.schema.json', { ...resultBatch, results: [resultTuple.slice(0, 12)] }],
    ['a result tuple one element long', 'result-batch.v1.schema.json', { ...resultBatch, results: [[...resultTuple, 'x']] }],
    ['an empty result batch', 'result-batch.v1.schema.json', { ...resultBatch, results: [] }],
    ['a row dead letter', 'rejected-row.v1.schema.json', { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'r', format: 'csv', row: 2, reason: 'RAGGED_ROW', message: 'm', raw: 'a,b' }],
    ['a message dead letter', 'rejected-row.v1.schema.json', { v: 1, kind: 'message', topic: 'padan.raw.v1', partition: 0, offset: '12', reason: 'MESSAGE_NOT_JSON', message: 'm', excerpt: '' }],
    ['a message dead letter with a row reason', 'rejected-row.v1.schema.json', { v: 1, kind: 'message', topic: 't', partition: 0, offset: '12', reason: 'RAGGED_ROW', message: 'm', excerpt: '' }],
    ['ingest progress with its completion', 'ingest-progress.v1.schema.json', { v: 1, key: 'landing/x', sha256: 'b'.repeat(64), lastRow: 9, completed: null }],
  ];

  for (const [what, file, message] of cases) {
    it(`${what}: ${file}`, () => {
      const zodAccepts = entry(file).schema.safeParse(message).success;
      const validate = validator(file);
      expect(validate(JSON.parse(JSON.stringify(message))), JSON.stringify(validate.errors)).toBe(zodAccepts);
    });
  }

  it('every case above that zod accepts is one a consumer must accept, and some are rejected', () => {
    const verdicts = cases.map(([, file, m]) => entry(file).schema.safeParse(m).success);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(4);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(4);
  });
});
