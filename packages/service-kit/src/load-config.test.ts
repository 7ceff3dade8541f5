import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, redisEnv, redisTarget } from './load-config.js';

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
