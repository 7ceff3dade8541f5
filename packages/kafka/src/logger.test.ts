import { describe, expect, it } from 'vitest';
import { kafkaConnectionFromEnv } from './connection.js';
import { logLevel } from './kafkajs.js';
import { errorText, jsonLine, kafkajsLogCreator } from './logger.js';
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
    log(entry(logLevel.ERROR, 'Response AddPartitionsToTxn(key: 24, version: 1)', { error: 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing' }));
    log(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: boom', { groupId: 'g' }));
    expect(l.lines.map((x) => x[0])).toEqual(['info', 'info', 'info', 'error']);
  });

  it('keeps only allow-listed fields: no payloads, buffers or stacks', () => {
    const l = capture();
    kafkajsLogCreator(l)(logLevel.WARN)(
      entry(logLevel.WARN, 'something', { topic: 't', partition: 1, offset: '5', payload: { key: '1571010101900001' }, buffer: Buffer.from('x'), stack: 'at …', error: new Error('bad') }),
    );
    expect(l.lines[0]![1]).toEqual({ component: 'kafkajs', namespace: 'Connection', topic: 't', partition: 1, offset: '5', error: 'Error: bad' });
  });

  it('regression: a NIK or a date in a kafkajs message, field or error cause was logged as is; all are masked', () => {
    const l = capture();
    const err = new Error('produce failed for key 1571010101900001', { cause: new TypeError('value 1571 0101 0190 0002, born 02/01/1980') });
    kafkajsLogCreator(l)(logLevel.WARN)(
      entry(logLevel.ERROR, 'Crash: KafkaJSError: bad record 1571010101900001 (1980-01-02)', { topic: 'padan.raw.v1', groupId: 'g-1571010101900003', type: '1980-01-02', error: err }),
    );
    const [level, obj, msg] = l.lines[0]!;
    expect(level).toBe('error');
    expect(msg).toBe('Crash: KafkaJSError: bad record 1571********0001 (****-**-**)');
    expect(obj).toEqual({
      component: 'kafkajs',
      namespace: 'Connection',
      topic: 'padan.raw.v1',
      groupId: 'g-1571********0003',
      type: '****-**-**',
      error: 'Error: produce failed for key 1571********0001; caused by TypeError: value 1571********0002, born **/**/****',
    });
  });

  it('a nested object under an allowed field name is dropped, not printed', () => {
    const l = capture();
    kafkajsLogCreator(l)(logLevel.WARN)(entry(logLevel.WARN, 'w', { topic: { nik: '1571010101900001' }, broker: 'b:9092' }));
    expect(l.lines[0]![1]).toEqual({ component: 'kafkajs', namespace: 'Connection', broker: 'b:9092' });
  });

  it('a cyclic cause chain ends', () => {
    const l = capture();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    kafkajsLogCreator(l)(logLevel.WARN)(entry(logLevel.ERROR, 'x', { error: a }));
    expect(String((l.lines[0]![1] as { error: string }).error).split('caused by')).toHaveLength(5);
  });

  it('the stderr fallback masks every string and every NIK-sized number', () => {
    const line = jsonLine('error', { topic: 't', error: 'key 1571010101900001', offset: 1571010101900001 }, 'born 02-01-1980');
    expect(line).not.toMatch(/1571010101900001|02-01-1980/);
    expect(JSON.parse(line)).toMatchObject({ level: 'error', topic: 't', error: 'key 1571********0001', offset: '1571********0001', msg: 'born **-**-****' });
  });

  it('errorText masks NIKs and dates', () => {
    expect(errorText(new Error('row 1571010101900001 born 1980-01-02'))).toBe('Error: row 1571********0001 born ****-**-**');
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
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092, b:9093' }, 'svc')).toEqual({ brokers: ['127.0.0.1:9092', 'b:9093'], clientId: 'svc', partitionWatchMs: 10_000 });
    expect(
      kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b:9093', KAFKA_CLIENT_ID: 'x', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'secret' }, 'svc'),
    ).toEqual({ brokers: ['b:9093'], clientId: 'x', ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'secret' }, partitionWatchMs: 10_000 });
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
