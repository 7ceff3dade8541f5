import { describe, expect, it } from 'vitest';
import { ContractViolation } from './contract.js';
import { isRejectedMessage, RejectedRowContract, rejectedMessageKey } from './rejected-row.js';
import type { DeadLetter, RejectedMessage, RejectedRow } from './rejected-row.js';

const row: RejectedRow = { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'r', format: 'csv', row: 4, reason: 'RAGGED_ROW', message: 'm', raw: 'a,b,c' };
const message: RejectedMessage = {
  v: 1,
  kind: 'message',
  topic: 'padan.raw.v1',
  partition: 2,
  offset: '17',
  reason: 'MESSAGE_NOT_JSON',
  message: 'SyntaxError: not valid JSON',
  excerpt: '{"nik":"1571********0001"',
  period: '2021-09',
};

describe('the dead-letter contract', () => {
  it('carries both a row of a file and a message that failed its contract, and tells them apart', () => {
    const back = [row, message].map((d) => RejectedRowContract.decode(RejectedRowContract.encode(d)) as DeadLetter);
    expect(back).toEqual([row, message]);
    expect(back.map(isRejectedMessage)).toEqual([false, true]);
  });

  it('a message dead letter names its topic, partition and decimal offset; its key is unique per message', () => {
    expect(() => RejectedRowContract.encode({ ...message, offset: 'x' } as never)).toThrow(ContractViolation);
    expect(() => RejectedRowContract.encode({ ...message, partition: -1 } as never)).toThrow(ContractViolation);
    expect(rejectedMessageKey(message)).toBe('padan.raw.v1/2@17');
  });

  it('refuses a payload copied in full instead of a bounded excerpt', () => {
    expect(() => RejectedRowContract.encode({ ...message, excerpt: 'x'.repeat(10_000) } as never)).toThrow(ContractViolation);
  });

  it('a row dead letter cannot carry a message reason, nor a message dead letter a row reason', () => {
    expect(() => RejectedRowContract.encode({ ...row, reason: 'MESSAGE_NOT_JSON' } as never)).toThrow(ContractViolation);
    expect(() => RejectedRowContract.encode({ ...message, reason: 'RAGGED_ROW' } as never)).toThrow(ContractViolation);
  });
});
