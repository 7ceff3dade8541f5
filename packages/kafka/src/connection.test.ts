import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kafkaConnectionFromEnv, kafkaConnectionOf, kafkaEnv } from './connection.js';

describe('kafkaEnv', () => {
  it('gives a service schema the connection kafkaConnectionFromEnv gives: one rule per variable', () => {
    const env = { KAFKA_BROKERS: '127.0.0.1:9092, b:9093', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };
    const service = z.object({ ...kafkaEnv, OTHER: z.string().optional() }).parse(env);
    expect(kafkaConnectionOf(service, 'padan-match')).toEqual(kafkaConnectionFromEnv(env, 'padan-match'));
    expect(kafkaConnectionOf(service, 'padan-match')).toMatchObject({ brokers: ['127.0.0.1:9092', 'b:9093'], clientId: 'padan-match', ssl: true });
  });

  it('refuses a SASL mechanism without its credentials, naming the variables only', () => {
    const service = z.object(kafkaEnv).parse({ KAFKA_BROKERS: 'b:1', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'hunter2' });
    expect(() => kafkaConnectionOf(service, 'svc')).toThrow(/KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(() => kafkaConnectionOf(service, 'svc')).not.toThrow(/hunter2/);
  });
});
