import { describe, expect, it } from 'vitest';
import { kafkaConnectionFromEnv } from './connection.js';
import { logLevel } from './kafkajs.js';
import { errorText, kafkajsLogCreator } from './logger.js';
import type { Logger } from './logger.js';

function capture(): Logger & { lines: [string, object, string][] } {
  const lines: [string, object, string][] = [];
  return {
    lines,
    info: (o, m) => lines.push(['info', o, m]),
    warn: (o, m) => lines.push(['warn', o, m]),
    error: (o, m) => lines.push(['error', o, m]),
  };
}

describe('kafkajsLogCreator', () => {
  const entry = (level: number, message: string, extra: Record<string, unknown> = {}) => ({
    namespace: 'Connection',
    level,
    label: 'X',
    log: { timestamp: 'now', message, ...extra },
  });

  it('downgrades the harmless coordinator errors after a broker start to info', () => {
    const l = capture();
    const log = kafkajsLogCreator(l)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', { error: "The coordinator is loading and hence can't process requests for this group" }));
    log(entry(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The group coordinator is not available' }));
    log(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: boom', { groupId: 'g' }));
    expect(l.lines.map((x) => x[0])).toEqual(['info', 'info', 'error']);
  });

  it('keeps only allow-listed fields: no payloads, buffers or stacks', () => {
    const l = capture();
    kafkajsLogCreator(l)(logLevel.WARN)(
      entry(logLevel.WARN, 'something', { topic: 't', partition: 1, offset: '5', payload: { key: '1571010101900001' }, buffer: Buffer.from('x'), stack: 'at …', error: new Error('bad') }),
    );
    expect(l.lines[0]![1]).toEqual({ component: 'kafkajs', namespace: 'Connection', topic: 't', partition: 1, offset: '5', error: 'Error: bad' });
  });

  it('logs a JSON SyntaxError by name only: its message quotes the input', () => {
    let e: unknown;
    try {
      JSON.parse('{"nik":"1571010101900001"');
    } catch (err) {
      e = err;
    }
    expect(errorText(e)).not.toContain('1571');
  });
});

describe('kafkaConnectionFromEnv', () => {
  it('reads brokers, client id, SSL and SASL', () => {
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092, b:9093' }, 'svc')).toEqual({ brokers: ['127.0.0.1:9092', 'b:9093'], clientId: 'svc' });
    expect(
      kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b:9093', KAFKA_CLIENT_ID: 'x', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'secret' }, 'svc'),
    ).toEqual({ brokers: ['b:9093'], clientId: 'x', ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'secret' } });
  });

  it('names the variable, never its value', () => {
    expect(() => kafkaConnectionFromEnv({}, 'svc')).toThrow(/KAFKA_BROKERS is not set/);
    expect(() => kafkaConnectionFromEnv({ KAFKA_BROKERS: 'nohost' }, 'svc')).toThrow(/host:port/);
    let msg = '';
    try {
      kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b:1', KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_PASSWORD: 'hunter2' }, 'svc');
    } catch (e) {
      msg = String(e);
    }
    expect(msg).toMatch(/KAFKA_SASL_MECHANISM/);
    expect(msg).not.toContain('hunter2');
  });
});
