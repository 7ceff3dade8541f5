import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kafkaConnectionOf } from '@padan/kafka';
import { s3OptionsOf } from '@padan/s3';
import { ConfigError, commonEnv, loadConfig, redisEnv, redisTarget, s3Env } from './load-config.js';

const schema = z.object({ ...redisEnv });

describe('redisEnv and redisTarget', () => {
  it('one Redis from REDIS_URL', () => {
    expect(redisTarget(loadConfig(schema, { REDIS_URL: 'redis://127.0.0.1:6379' }))).toEqual({ url: 'redis://127.0.0.1:6379' });
  });

  it('a Redis Cluster from REDIS_CLUSTER_NODES, parsed once into hosts and ports; it wins over REDIS_URL', () => {
    const config = loadConfig(schema, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7001, 10.0.0.2:7002,redis-3:7003' });
    expect(redisTarget(config)).toEqual({
      clusterNodes: [
        { host: '127.0.0.1', port: 7001 },
        { host: '10.0.0.2', port: 7002 },
        { host: 'redis-3', port: 7003 },
      ],
    });
  });

  it('names the variable and the rule when a node is not host:port, without echoing the value', () => {
    expect(() => loadConfig(schema, { REDIS_CLUSTER_NODES: '127.0.0.1:7001,secret-host' })).toThrow(/REDIS_CLUSTER_NODES: must be a comma-separated host:port list/);
    expect(() => loadConfig(schema, { REDIS_CLUSTER_NODES: '127.0.0.1:7001,secret-host' })).not.toThrow(/secret-host/);
  });

  it('needs one of them', () => {
    expect(() => redisTarget(loadConfig(schema, {}))).toThrow(ConfigError);
    expect(() => redisTarget(loadConfig(schema, {}))).toThrow(/REDIS_URL: required .* unless REDIS_CLUSTER_NODES/);
  });
});

describe('loadConfig with commonEnv and s3Env', () => {
  it('reads the Kafka and S3 settings of a service once, TLS and SASL included, with the adapters’ own rules', () => {
    const config = loadConfig(z.object({ ...commonEnv, ...s3Env }), {
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      S3_BUCKET: 'padan',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
    });
    expect(kafkaConnectionOf(config, 'padan-ingest')).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'padan-ingest',
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
      partitionWatchMs: 10_000,
    });
    // No endpoint: AWS, virtual-hosted addressing (the service schema once defaulted it to path style).
    expect(s3OptionsOf(config).forcePathStyle).toBe(false);
  });

  it('names a broken Kafka variable at start, never its value', () => {
    expect(() => loadConfig(z.object(commonEnv), { KAFKA_BROKERS: 'secret-host' })).toThrow(ConfigError);
    expect(() => loadConfig(z.object(commonEnv), { KAFKA_BROKERS: 'secret-host' })).toThrow(/KAFKA_BROKERS.*host:port/);
    expect(() => loadConfig(z.object(commonEnv), { KAFKA_BROKERS: 'secret-host' })).not.toThrow(/secret-host/);
  });
});
