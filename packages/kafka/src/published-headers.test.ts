import { describe, expect, it } from 'vitest';
import { FileCompletedContract, MESSAGE_HEADERS, MismatchEventContract } from '@padan/contracts';
import { HEADER_CONTRACT, HEADER_FILE, HEADER_PERIOD, HEADER_RUN_ID, HEADER_SOURCE, HEADER_VERSION, padanHeaders } from './kafka-bus.js';

// The AsyncAPI document (contracts/asyncapi.yaml) documents the headers from MESSAGE_HEADERS:
// these tests keep that list equal to what the bus writes.
describe('the headers published in contracts/asyncapi.yaml', () => {
  it('are the headers the bus writes, by name', () => {
    expect(MESSAGE_HEADERS.map((h) => h.name)).toEqual([HEADER_CONTRACT, HEADER_VERSION, HEADER_PERIOD, HEADER_SOURCE, HEADER_FILE, HEADER_RUN_ID]);
  });

  it('copy the fields they say they copy', () => {
    const fc = { v: 1, period: '2021-09', source: 'PKH', file: 'pkh.csv', runId: 'run-1', format: 'csv' };
    const h = padanHeaders(FileCompletedContract, fc);
    for (const { name, field } of MESSAGE_HEADERS) {
      if (field !== null) expect(h[name], name).toBe(fc[field]);
    }
    expect(h[HEADER_CONTRACT]).toBe('file-completed');
    expect(h[HEADER_VERSION]).toBe('1');
    // A mismatch event names its source `program`, and has no run id.
    const m = padanHeaders(MismatchEventContract, { v: 1, period: '2021-09', program: 'BST', file: 'bst.csv', row: 2 });
    expect(m).toEqual({ [HEADER_CONTRACT]: 'mismatch-event', [HEADER_VERSION]: '1', [HEADER_PERIOD]: '2021-09', [HEADER_SOURCE]: 'BST', [HEADER_FILE]: 'bst.csv' });
  });
});
