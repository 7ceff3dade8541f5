import { describe, expect, it } from 'vitest';
import { createLogger, FIELD_NOT_ALLOWED } from './logger.js';
import type { LogFields } from './logger.js';

const NIK = '1571010101900001';
const KK = '1571010101100002';

/** A logger writing into an array, one parsed JSON object per line. */
function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger('test', level, {
    write: (s: string) => {
      raw.push(s);
      lines.push(JSON.parse(s) as Record<string, unknown>);
    },
  });
  return { logger, lines, raw };
}

function expectNoPersonalData(raw: readonly string[]): void {
  const text = raw.join('');
  for (const secret of [NIK, KK, '1980-01-02', '02-01-1980', '02/01/1980', '1571 0101 0190 0001', 'SITI AMINAH']) expect(text).not.toContain(secret);
}

describe('createLogger', () => {
  it('regression: the landing object key was redacted in every ingest line, blinding operators; it stays readable', () => {
    const { logger, lines } = capture();
    logger.info({ key: 'landing/period=2021-09/source=PKH/pkh.csv', rowsRead: 10 }, 'file ingested');
    expect(lines[0]).toMatchObject({ key: 'landing/period=2021-09/source=PKH/pkh.csv', rowsRead: 10, msg: 'file ingested', service: 'test' });
  });

  it('regression: a NIK under a field name outside the redact paths was logged; fields outside the allow-list are replaced', () => {
    const { logger, lines, raw } = capture();
    const fields = { nikPenerima: NIK, nama_kpm: 'SITI AMINAH', PADAN_HASH_KEY: 'secret-secret-secret', topic: 'padan.raw.v1' };
    logger.warn(fields as LogFields, 'record');
    expect(lines[0]).toMatchObject({ nikPenerima: FIELD_NOT_ALLOWED, nama_kpm: FIELD_NOT_ALLOWED, PADAN_HASH_KEY: FIELD_NOT_ALLOWED, topic: 'padan.raw.v1' });
    expectNoPersonalData(raw);
    expect(raw.join('')).not.toContain('secret-secret-secret');
  });

  it('masks NIKs and dates in allowed fields, in the message and in numbers', () => {
    const { logger, lines, raw } = capture();
    logger.error({ error: `row 5: NIK ${NIK} born 1980-01-02`, row: Number(NIK), reason: 'x 1571 0101 0190 0001' }, `lookup of ${NIK} (02/01/1980) failed`);
    expect(lines[0]).toMatchObject({ error: 'row 5: NIK 1571********0001 born ****-**-**', row: '1571********0001', reason: 'x 1571********0001', msg: 'lookup of 1571********0001 (**/**/****) failed' });
    expectNoPersonalData(raw);
  });

  it('masks nested objects and arrays, keys included, and bounds their size', () => {
    const { logger, lines, raw } = capture();
    const deep = { a: { b: { c: { d: { e: NIK } } } } };
    logger.info({ assignment: { 'padan.raw.v1': [0, 1], [NIK]: [KK, { birth: '02-01-1980' }] }, configs: deep, topics: Array.from({ length: 120 }, (_, i) => `t${i}`) }, 'nested');
    const line = lines[0] as { assignment: Record<string, unknown>; topics: string[] };
    expect(line.assignment['padan.raw.v1']).toEqual([0, 1]);
    expect(line.assignment['1571********0001']).toEqual(['1571********0002', { birth: '**-**-****' }]);
    expect(line.topics).toHaveLength(51);
    expectNoPersonalData(raw);
  });

  it('writes errors as type, message, stack and cause, all masked', () => {
    const { logger, lines, raw } = capture();
    const err = new Error(`pkh.csv row 7: NIK ${NIK} unknown`, { cause: new RangeError(`No. KK ${KK}, born 02-01-1980`) });
    logger.error({ err }, 'failed');
    const e = lines[0]!['err'] as { type: string; message: string; stack: string; cause: { type: string; message: string } };
    expect(e.type).toBe('Error');
    expect(e.message).toBe('pkh.csv row 7: NIK 1571********0001 unknown');
    expect(e.stack).toContain('pkh.csv row 7: NIK 1571********0001 unknown');
    expect(e.cause).toMatchObject({ type: 'RangeError', message: 'No. KK 1571********0002, born **-**-****' });
    expectNoPersonalData(raw);
  });

  it('an Error passed as the whole fields object is logged as err, masked', () => {
    const { logger, lines, raw } = capture();
    logger.error(new Error(`NIK ${NIK}`) as unknown as LogFields, 'boom');
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'NIK 1571********0001' }, msg: 'boom' });
    expectNoPersonalData(raw);
  });

  it('a message-only call is masked too', () => {
    const { logger, raw } = capture();
    logger.info(`stopped after ${NIK}`);
    expect(raw.join('')).toContain('stopped after 1571********0001');
  });

  it('a child logger\'s bindings get the allow-list and the masks too', () => {
    const { logger, lines, raw } = capture();
    logger.child({ topic: `t-${NIK}`, ...({ nama: 'SITI AMINAH' } as LogFields) }).info({ partition: 2 }, 'child line');
    expect(lines[0]).toMatchObject({ service: 'test', topic: 't-1571********0001', nama: FIELD_NOT_ALLOWED, partition: 2, msg: 'child line' });
    expectNoPersonalData(raw);
  });

  it('a level below the logger\'s is not written', () => {
    const { logger, lines } = capture('info');
    logger.debug({ topic: 't' }, 'quiet');
    expect(lines).toHaveLength(0);
  });
});
