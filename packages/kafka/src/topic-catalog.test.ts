import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@padan/contracts';
import { loadTopicCatalog, parseTopicCatalog, TopicCatalogError } from './topic-catalog.js';

const CATALOG = fileURLToPath(new URL('../../../infra/topics.json', import.meta.url));

describe('infra/topics.json', () => {
  const catalog = loadTopicCatalog(CATALOG, {});

  it('declares every topic of TOPICS, nothing else', () => {
    expect(catalog.topics.map((t) => t.name).sort()).toEqual([...Object.values(TOPICS)].sort());
  });

  it('compacts results, the DTKS index, file announcements, ingest progress and match status; deletes the rest after a retention', () => {
    const compacted = ['padan.results.v2', 'padan.results.v1', 'padan.dtks-index.v3', 'padan.files.v1', 'padan.ingest-progress.v1', 'padan.match-status.v1'];
    for (const t of catalog.topics) {
      if (compacted.includes(t.name)) expect(t.config['cleanup.policy'], t.name).toBe('compact');
      else {
        expect(t.config['cleanup.policy'], t.name).toBe('delete');
        expect(Number(t.config['retention.ms']), t.name).toBeGreaterThan(0);
      }
      expect(t.description.length, t.name).toBeGreaterThan(20);
    }
    expect(catalog.topic('padan.raw.v1').config['retention.ms']).toBe(String(7 * 86_400_000));
    expect(catalog.topic('padan.rejected.v1').config['retention.ms']).toBe(String(30 * 86_400_000));
    // Batched topics accept messages past the broker's default 1 MiB: a batch of results or index
    // entries with very long names is split early, but a single huge row must still fit.
    for (const t of ['padan.results.v2', 'padan.dtks-index.v3', 'padan.raw.v1', 'padan.normalized.v1']) expect(catalog.topic(t).config['max.message.bytes'], t).toBe(String(8 * 1024 * 1024));
  });

  it('defaults to 3 partitions and replication factor 1; PADAN_PARTITIONS and PADAN_REPLICATION_FACTOR override', () => {
    expect(catalog.topics.every((t) => t.partitions === 3 && t.replicationFactor === 1)).toBe(true);
    const big = loadTopicCatalog(CATALOG, { PADAN_PARTITIONS: '12', PADAN_REPLICATION_FACTOR: '3' });
    expect(big.topics.every((t) => t.partitions === 12 && t.replicationFactor === 3)).toBe(true);
    expect(() => loadTopicCatalog(CATALOG, { PADAN_PARTITIONS: 'many' })).toThrow(/PADAN_PARTITIONS must be a positive integer/);
    expect(() => loadTopicCatalog(CATALOG, { PADAN_PARTITIONS: '0' })).toThrow(TopicCatalogError);
  });
});

describe('parseTopicCatalog', () => {
  const base = { defaults: { partitions: 3, replicationFactor: 1 } };
  const topic = { name: 'a.b', description: 'd', config: { 'cleanup.policy': 'delete', 'retention.ms': 1000 } };

  it('turns config values into strings and lets a topic fix its own partitions', () => {
    const c = parseTopicCatalog({ ...base, topics: [{ ...topic, partitions: 1 }] }, { PADAN_PARTITIONS: '6' });
    expect(c.topic('a.b')).toEqual({ name: 'a.b', description: 'd', partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '1000' } });
    expect(() => c.topic('nope')).toThrow(/no topic nope/);
  });

  it('refuses unknown fields, a bad cleanup policy, a bad name, duplicates and a missing description', () => {
    expect(() => parseTopicCatalog({ ...base, topics: [{ ...topic, retention: 5 }] }, {})).toThrow(/topics\.0/);
    expect(() => parseTopicCatalog({ ...base, topics: [{ ...topic, config: { 'cleanup.policy': 'forever' } }] }, {})).toThrow(/cleanup\.policy/);
    expect(() => parseTopicCatalog({ ...base, topics: [{ ...topic, name: 'a b' }] }, {})).toThrow(/name/);
    expect(() => parseTopicCatalog({ ...base, topics: [topic, topic] }, {})).toThrow(/twice/);
    expect(() => parseTopicCatalog({ ...base, topics: [{ ...topic, description: undefined }] }, {})).toThrow(/description/);
    expect(() => parseTopicCatalog({ topics: [topic] }, {})).toThrow(/defaults/);
  });
});
