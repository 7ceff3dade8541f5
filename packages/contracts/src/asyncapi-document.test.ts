import { join } from 'node:path';
import { fromFile, Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface, Diagnostic } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASYNCAPI_FILE, CONTRACTS_DIR, repositoryRoot } from './generate-contracts.js';
import { TOPIC_CONTRACTS } from './topic-contracts.js';
import { MESSAGE_HEADERS, TOPIC_DOCS } from './topic-docs.js';
import { TOPICS } from './topics.js';

// Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0;
/** Fields that hold personal data: none may be in a payload a dashboard reads. */
const PERSONAL_FIELDS = ['nik', 'nikRaw', 'nama', 'nameKey', 'noKk', 'birthDate', 'nikBirthDate', 'raw', 'rows', 'records', 'results', 'entries'];

describe('contracts/asyncapi.yaml, read by the AsyncAPI parser', () => {
  let document: AsyncAPIDocumentInterface;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const parsed = await fromFile(new Parser(), join(repositoryRoot(), CONTRACTS_DIR, ASYNCAPI_FILE)).parse();
    diagnostics = parsed.diagnostics;
    if (!parsed.document) throw new Error(`the AsyncAPI parser rejected the document: ${diagnostics.map((d) => `${d.path.join('.')}: ${d.message}`).join('; ')}`);
    document = parsed.document;
  }, 60_000);

  it('has no errors', () => {
    const errors = diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document.version()).toBe('3.0.0');
  });

  it('has a channel for every topic, addressed by the topic name, with its contract as payload', () => {
    const addresses = document.channels().all().map((c) => c.address());
    expect(addresses.sort()).toEqual(Object.values(TOPICS).sort());
    for (const [id, topic] of Object.entries(TOPICS)) {
      const channel = document.channels().get(id);
      expect(channel?.address()).toBe(topic);
      const messages = channel?.messages().all() ?? [];
      expect(messages).toHaveLength(1);
      const message = messages[0];
      const contract = TOPIC_CONTRACTS[topic];
      // The $ref to contracts/json-schema/ is resolved: the payload is the contract's object schema.
      const payload = message?.payload();
      const required = (payload?.anyOf() ?? [payload]).flatMap((s) => s?.required() ?? []);
      expect(required, topic).toContain('v');
      // Headers name the contract and version the bus writes.
      const headers = message?.headers()?.properties() ?? {};
      expect(headers['padan-contract']?.const(), topic).toBe(contract.name);
      expect(headers['padan-version']?.const(), topic).toBe(String(contract.version));
      for (const name of Object.keys(headers)) expect(MESSAGE_HEADERS.map((h) => h.name)).toContain(name);
      const key = message?.bindings().get('kafka')?.value<{ key?: { description?: string } }>().key;
      expect(key?.description, topic).toBe(TOPIC_DOCS[topic].key);
    }
  });

  it('carries the lineage headers a message always has as required, and the others as optional', () => {
    const headers = (id: string) => document.channels().get(id)?.messages().all()[0]?.headers();
    expect(headers('raw')?.required()).toEqual(['padan-contract', 'padan-version', 'padan-period', 'padan-source', 'padan-file', 'padan-run-id']);
    // Mismatch events have no runId and name their source `program`.
    expect(headers('mismatches')?.required()).toEqual(['padan-contract', 'padan-version', 'padan-period', 'padan-source', 'padan-file']);
    // Dead letters of messages have no file: only the contract is certain.
    expect(headers('rejected')?.required()).toEqual(['padan-contract', 'padan-version']);
    expect(Object.keys(headers('rejected')?.properties() ?? {})).toContain('padan-file');
  });

  it('says which topics are restricted, and no dashboard topic carries personal data', () => {
    for (const [id, topic] of Object.entries(TOPICS)) {
      const channel = document.channels().get(id);
      const audience = TOPIC_DOCS[topic].audience;
      // The parser's ChannelInterface has no tags(): read them from the channel's JSON.
      const tags = channel?.json() as { tags?: { name: string }[]; 'x-padan-audience'?: string } | undefined;
      expect(tags?.tags?.map((t) => t.name), topic).toEqual([audience]);
      expect(tags?.['x-padan-audience'], topic).toBe(audience);
      expect(channel?.description(), topic).toMatch(audience === 'restricted' ? /^Restricted: carries personal data/m : /^Not restricted/m);
      if (audience !== 'restricted') {
        const props = Object.keys(channel?.messages().all()[0]?.payload()?.properties() ?? {});
        expect(props.filter((p) => PERSONAL_FIELDS.includes(p)), topic).toEqual([]);
      }
    }
    for (const t of [TOPICS.raw, TOPICS.normalized, TOPICS.results, TOPICS.resultsV1, TOPICS.rejected, TOPICS.dtksIndex]) expect(TOPIC_DOCS[t].audience, t).toBe('restricted');
    expect(TOPIC_DOCS[TOPICS.mismatches].audience).toBe('dashboard');
  });

  it('takes partitions and cleanup policy from infra/topics.json', () => {
    const binding = document.channels().get('results')?.bindings().get('kafka')?.value<{ partitions: number; topicConfiguration: Record<string, unknown> }>();
    expect(binding?.partitions).toBeGreaterThan(0);
    expect(binding?.topicConfiguration['cleanup.policy']).toEqual(['compact']);
  });

  it('lists its warnings (allowed, reported)', () => {
    const warnings = diagnostics.filter((d) => d.severity !== ERROR).map((d) => `${d.code}: ${d.message}`);
    // Only the notice that AsyncAPI 3.1 exists: the document is 3.0 on purpose (the version asked for).
    expect(warnings).toEqual(['asyncapi-latest-version: The latest version of AsyncAPi is not used. It is recommended update to the "3.1.0" version.']);
  });
});
