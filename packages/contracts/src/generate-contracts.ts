/**
 * Writes the published contracts under `contracts/` (`pnpm contracts:generate`):
 * - `json-schema/<file>`: one JSON Schema (draft-07) per PUBLISHED_SCHEMAS entry, by zod's own
 *   `z.toJSONSchema`;
 * - `asyncapi.yaml`: an AsyncAPI 3.0 document of every topic in TOPICS, from TOPIC_CONTRACTS,
 *   TOPIC_DOCS, MESSAGE_HEADERS and the topic catalog (`infra/topics.json`: partitions and configs).
 * Nothing here is written by hand, so the files cannot drift from the code: a unit test
 * regenerates them and compares (generate-contracts.test.ts).
 *
 *   pnpm contracts:generate        (node packages/contracts/dist/generate-contracts.js [repo root])
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { stringify } from 'yaml';
import { contractSchemaFile, PUBLISHED_SCHEMAS } from './published-schemas.js';
import type { PublishedSchema } from './published-schemas.js';
import { MESSAGE_HEADERS, TOPIC_DOCS } from './topic-docs.js';
import type { TopicAudience, TopicDoc } from './topic-docs.js';
import { TOPIC_CONTRACTS } from './topic-contracts.js';
import { TOPICS } from './topics.js';
import type { TopicName } from './topics.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** The folder under the repository root that holds the published contracts. */
export const CONTRACTS_DIR = 'contracts';
export const JSON_SCHEMA_DIR = 'json-schema';
export const ASYNCAPI_FILE = 'asyncapi.yaml';
/** The AsyncAPI schema format of the generated JSON Schemas (one every AsyncAPI tool must support). */
const DRAFT_07 = 'application/schema+json;version=draft-07';
const KAFKA_BINDING = '0.5.0';

/** One topic of `infra/topics.json`, as far as the contracts describe it. */
export interface CatalogTopic {
  readonly name: string;
  readonly description?: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly config?: Readonly<Record<string, string | number>>;
}
export interface TopicCatalog {
  readonly defaults?: { readonly partitions?: number; readonly replicationFactor?: number };
  readonly topics: readonly CatalogTopic[];
}

/** Keys a reader looks for first, in this order; the others follow sorted. */
const FIRST_KEYS = ['$schema', '$comment', 'title', 'description', 'type'];

function keyOrder(a: string, b: string): number {
  const ia = FIRST_KEYS.indexOf(a);
  const ib = FIRST_KEYS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST_KEYS.length : ia) - (ib < 0 ? FIRST_KEYS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Objects with their keys in a fixed order, recursively (arrays keep theirs): the same schema
 * prints the same bytes whatever order its fields were declared or zod emits its keywords in.
 */
function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort(keyOrder)) out[k] = sortKeys(v[k] as Json);
  return out;
}

/**
 * The JSON Schema of a published schema. zod's options, and why:
 * - `target: 'draft-07'`: the schema format every AsyncAPI tool must support, and the default of
 *   the common validators (ajv): tuples come out as `items: [...]` with `additionalItems: false`.
 * - `io: 'input'`: what a consumer may find on a topic is what the contract accepts, i.e. zod's
 *   input: a field with a default is optional (`SnapshotRequest.expect`), and objects allow
 *   properties they do not name, as zod's objects strip them. A consumer validating with this
 *   schema therefore keeps accepting messages after an additive change (a new optional field),
 *   which the output form (`additionalProperties: false`) would reject (contracts/README.md).
 * - `unrepresentable: 'throw'`: a type JSON has no form for (a date, a bigint, a map) stops
 *   generation instead of being published as `{}`.
 * - `override`: zod leaves out, without a word, what it cannot express: refinements (`.refine`,
 *   `.superRefine`) and transforms (`.transform`, `z.preprocess`, whose wire form is not the
 *   input's). Either would publish a schema looser than the contract, or of another shape, so
 *   the generator refuses them; the contracts have none today, and a test keeps it so.
 */
export function jsonSchemaOf(entry: PublishedSchema): JsonObject {
  const generated = z.toJSONSchema(entry.schema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'throw',
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def;
      const at = `${entry.file} at ${ctx.path.length > 0 ? ctx.path.join('.') : '(root)'}`;
      if ((def.checks ?? []).some((c) => c._zod.def.check === 'custom')) {
        throw new Error(`${at}: a refinement (.refine/.superRefine) cannot be expressed in JSON Schema and would be published looser than the contract; use zod's built-in checks (regex, min, max, int, …) or document the rule beside the schema`);
      }
      if (def.type === 'pipe' || def.type === 'transform') {
        throw new Error(`${at}: a transform or preprocess makes the wire form differ from the schema's input; publish plain schemas (convert in the producer, not in the contract)`);
      }
    },
  }) as JsonObject;
  return sortKeys({
    ...generated,
    title: entry.title,
    $comment: 'Generated from the zod contract by `pnpm contracts:generate` (packages/contracts/src/generate-contracts.ts); do not edit. Evolution rules: contracts/README.md.',
  }) as JsonObject;
}

/** JSON text with two-space indentation and a final newline. */
function jsonText(v: Json): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

/** The properties a value always or sometimes has, over the branches of a union (`anyOf`). */
function valueFields(schema: JsonObject): { present: Set<string>; required: Set<string> } {
  const branches = Array.isArray(schema['anyOf']) ? (schema['anyOf'] as JsonObject[]) : [schema];
  const present = new Set<string>();
  const requiredIn = new Map<string, number>();
  for (const b of branches) {
    const props = (b['properties'] ?? {}) as JsonObject;
    for (const k of Object.keys(props)) present.add(k);
    for (const k of Array.isArray(b['required']) ? (b['required'] as string[]) : []) requiredIn.set(k, (requiredIn.get(k) ?? 0) + 1);
  }
  // Required in every branch: every message has it.
  const required = new Set([...requiredIn].filter(([, n]) => n === branches.length).map(([k]) => k));
  return { present, required };
}

/** The headers schema of a topic's messages: the contract's name and version, and the lineage fields its values carry. */
function headersSchema(contractName: string, version: number, payload: JsonObject): JsonObject {
  const { present, required } = valueFields(payload);
  const properties: JsonObject = {};
  const req: string[] = [];
  for (const h of MESSAGE_HEADERS) {
    if (h.name === 'padan-contract') {
      properties[h.name] = { type: 'string', const: contractName, description: h.description };
      req.push(h.name);
      continue;
    }
    if (h.name === 'padan-version') {
      properties[h.name] = { type: 'string', const: String(version), description: h.description };
      req.push(h.name);
      continue;
    }
    // padan-source copies `program` when the value has no `source` (mismatch events).
    const field = h.field === 'source' && !present.has('source') && present.has('program') ? 'program' : h.field;
    if (field === null || !present.has(field)) continue;
    properties[h.name] = { type: 'string', description: `${h.description} Copied from the value's \`${field}\`${required.has(field) ? '' : ' when it has one'}.` };
    if (required.has(field)) req.push(h.name);
  }
  return { type: 'object', properties, required: req };
}

const AUDIENCE_TEXT: Readonly<Record<TopicAudience, string>> = {
  restricted: 'Restricted: carries personal data (NIKs, No. KK, names, birth dates or raw rows). Only padan\'s services and the verval teams may read it; never give a dashboard access.',
  dashboard: 'Not restricted: carries no raw NIK, No. KK, name or birth date. Meant for dashboards and other consumers outside padan.',
  internal: 'Not restricted (no personal data), but coordination between padan\'s services: consume it for diagnostics only, its contract may change with padan\'s internals.',
};

function retentionText(config: Readonly<Record<string, string | number>>): string {
  const policy = String(config['cleanup.policy'] ?? 'delete');
  const parts = [`cleanup.policy ${policy}`];
  const ms = config['retention.ms'];
  if (ms !== undefined) parts.push(`retention ${Number(ms) / 86_400_000} days`);
  return parts.join(', ');
}

/** Kafka channel binding: partitions, replicas and the topic configs the binding names (others stay in the description). */
function channelBinding(t: CatalogTopic, catalog: TopicCatalog): JsonObject {
  const config = t.config ?? {};
  const topicConfiguration: JsonObject = {};
  const policy = config['cleanup.policy'];
  if (policy !== undefined) topicConfiguration['cleanup.policy'] = String(policy).split(',').map((s) => s.trim());
  for (const k of ['retention.ms', 'retention.bytes', 'delete.retention.ms', 'max.message.bytes']) {
    if (config[k] !== undefined) topicConfiguration[k] = Number(config[k]);
  }
  return {
    kafka: {
      partitions: t.partitions ?? catalog.defaults?.partitions ?? 3,
      replicas: t.replicationFactor ?? catalog.defaults?.replicationFactor ?? 1,
      topicConfiguration,
      bindingVersion: KAFKA_BINDING,
    },
  };
}

/** The file of a topic's contract in PUBLISHED_SCHEMAS; throws when the registry lacks it. */
function publishedEntry(topic: TopicName): PublishedSchema {
  const contract = TOPIC_CONTRACTS[topic];
  const file = contractSchemaFile(contract);
  const entry = PUBLISHED_SCHEMAS.find((e) => e.file === file);
  if (!entry) throw new Error(`topic ${topic} carries contract ${contract.name}@v${contract.version}, which PUBLISHED_SCHEMAS does not list: add it to packages/contracts/src/published-schemas.ts`);
  return entry;
}

/** The AsyncAPI 3.0 document of every topic in TOPICS. */
export function asyncApiDocument(catalog: TopicCatalog): JsonObject {
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  for (const [id, topic] of Object.entries(TOPICS) as [string, TopicName][]) {
    const doc: TopicDoc = TOPIC_DOCS[topic];
    const contract = TOPIC_CONTRACTS[topic];
    const entry = publishedEntry(topic);
    const catalogTopic = catalog.topics.find((t) => t.name === topic);
    if (!catalogTopic) throw new Error(`topic ${topic} is in TOPICS but not in infra/topics.json: add it to the catalog`);
    const messageId = `${contract.name}.v${contract.version}`;
    const flow = [
      doc.producers.length > 0 ? `Published by ${doc.producers.join(', ')}.` : 'Nothing publishes to it any more.',
      doc.consumers.length > 0 ? `Read by ${doc.consumers.join(', ')}.` : 'No padan component reads it.',
      `Topic: ${retentionText(catalogTopic.config ?? {})}.`,
    ].join(' ');
    channels[id] = {
      address: topic,
      title: topic,
      summary: `${entry.title} messages; ${doc.audience}.`,
      description: `${doc.semantics}\n\n${AUDIENCE_TEXT[doc.audience]}\n\n${flow}`,
      tags: [{ name: doc.audience }],
      'x-padan-audience': doc.audience,
      messages: {
        [messageId]: {
          name: contract.name,
          title: entry.title,
          summary: `${entry.title} on ${topic}.`,
          contentType: 'application/json',
          headers: headersSchema(contract.name, contract.version, jsonSchemaOf(entry)),
          payload: { schemaFormat: DRAFT_07, schema: { $ref: `./${JSON_SCHEMA_DIR}/${entry.file}` } },
          bindings: { kafka: { key: { type: 'string', description: doc.key }, bindingVersion: KAFKA_BINDING } },
        },
      },
      bindings: channelBinding(catalogTopic, catalog),
    };
    const message = [{ $ref: `#/channels/${id}/messages/${messageId}` }];
    if (doc.producers.length > 0) {
      operations[`${id}.send`] = { action: 'send', channel: { $ref: `#/channels/${id}` }, summary: `Published by ${doc.producers.join(', ')}: ${entry.title} to ${topic}.`, messages: message };
    }
    if (doc.consumers.length > 0) {
      operations[`${id}.receive`] = { action: 'receive', channel: { $ref: `#/channels/${id}` }, summary: `Read by ${doc.consumers.join(', ')}: ${entry.title} from ${topic}.`, messages: message };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'padan topics',
      version: '1.0.0',
      description: [
        'The Kafka topics of padan, which reconciles Indonesian social-assistance program lists against the registry DTKS by NIK.',
        'Values are JSON (UTF-8), validated against their contract when produced and when consumed; batch records are positional tuples as each schema says.',
        'Every message carries the headers `padan-contract` and `padan-version` and, when its value has them, the lineage headers; never a NIK or a name.',
        'Channels tagged `restricted` carry personal data; `dashboard` ones are meant for consumers outside padan.',
        'Generated by `pnpm contracts:generate`; do not edit. Evolution rules: contracts/README.md.',
      ].join('\n'),
      tags: (['restricted', 'dashboard', 'internal'] as const).map((name) => ({ name, description: AUDIENCE_TEXT[name] })),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The broker `pnpm stack:up` starts (infra/local/README.md). A deployment\'s brokers are its KAFKA_BROKERS.',
      },
    },
    channels,
    operations,
  };
}

/** Every generated file, by path under `contracts/`, with its exact content. */
export function generatedContracts(catalog: TopicCatalog): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of PUBLISHED_SCHEMAS) {
    const path = `${JSON_SCHEMA_DIR}/${entry.file}`;
    if (files.has(path)) throw new Error(`PUBLISHED_SCHEMAS lists ${entry.file} twice: give each schema its own file name`);
    files.set(path, jsonText(jsonSchemaOf(entry)));
  }
  files.set(ASYNCAPI_FILE, `# Generated by \`pnpm contracts:generate\` (packages/contracts/src/generate-contracts.ts); do not edit.\n${stringify(asyncApiDocument(catalog), { lineWidth: 0, aliasDuplicateObjects: false })}`);
  return files;
}

/** The repository root: this file is packages/contracts/{src,dist}/generate-contracts.*. */
export function repositoryRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

export function readTopicCatalog(root: string): TopicCatalog {
  const path = join(root, 'infra', 'topics.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as TopicCatalog;
  } catch (e) {
    throw new Error(`cannot read the topic catalog ${path}: ${e instanceof Error ? e.message : String(e)}; run from a checkout of the repository`);
  }
}

/** Writes every generated file under `<root>/contracts/` and removes generated schema files no entry names any more. */
export function writeContracts(root: string): string[] {
  const dir = join(root, CONTRACTS_DIR);
  const files = generatedContracts(readTopicCatalog(root));
  mkdirSync(join(dir, JSON_SCHEMA_DIR), { recursive: true });
  for (const name of readdirSync(join(dir, JSON_SCHEMA_DIR))) {
    if (name.endsWith('.schema.json') && !files.has(`${JSON_SCHEMA_DIR}/${name}`)) rmSync(join(dir, JSON_SCHEMA_DIR, name));
  }
  for (const [path, text] of files) writeFileSync(join(dir, path), text);
  return [...files.keys()];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? repositoryRoot());
  const written = writeContracts(root);
  process.stdout.write(`wrote ${written.length} files under ${join(root, CONTRACTS_DIR)}\n`);
}
