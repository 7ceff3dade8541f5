import { describe, expect, it } from 'vitest';
import { accounted, deadLetters, expectInputError, findingDetails, hostileDir, runCli, write } from './readers-cli.js';

/**
 * Hostile JSON Lines files through `padan run` (issue 6, defect 6: one bad line failed the whole
 * file). Each bad line is that line's finding or dead letter; the file is read to its end.
 */
const path = hostileDir('jsonl');

const good = (i: number): string => `{"NIK":"150107041080${String(2000 + i)}","NAMA":"PENERIMA ${i}"}`;

describe('hostile JSON Lines: one bad JSON Lines line fails the whole file (defect 6)', () => {
  it('an object without a NIK key is a row with an empty NIK: an INVALID_NIK:EMPTY finding', () => {
    const p = write(path('bst-no-nik.jsonl'), `${good(1)}\n{"NAMA":"TANPA NIK"}\n{"NIK":null,"NAMA":"NIK NULL"}\n${good(4)}\n`);
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-no-nik.jsonl')).toMatchObject({ rows_read: 4, rejected: 0 });
    const details = findingDetails(r, 'bst-no-nik.jsonl');
    expect(details.get(2)).toContain('INVALID_NIK:EMPTY');
    expect(details.get(3)).toContain('INVALID_NIK:EMPTY');
  });

  it('the first object without a NIK key: the file is still read', () => {
    const p = write(path('bst-first-no-nik.jsonl'), `{"NAMA":"TANPA NIK"}\n${good(2)}\n`);
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-first-no-nik.jsonl')).toMatchObject({ rows_read: 2, rejected: 0 });
    expect(findingDetails(r, 'bst-first-no-nik.jsonl').get(1)).toContain('INVALID_NIK:EMPTY');
  });

  it('nesting 100 000 deep is a NESTING_TOO_DEEP dead letter, not "check the path and permissions"', () => {
    const deep = `{"NIK":"1501070410802003","X":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const p = write(path('bst-deep.jsonl'), `${good(1)}\n${deep}\n${good(3)}\n`);
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-deep.jsonl')).toMatchObject({ rows_read: 3, rejected: 1 });
    const dead = deadLetters(r).filter((d) => d.source_file === 'bst-deep.jsonl');
    expect(dead).toMatchObject([{ source_row: 2, reason: 'NESTING_TOO_DEEP' }]);
    expect(dead[0]?.message).toContain('PADAN_MAX_JSON_DEPTH');
  });

  it('a 20 MB string is a LINE_TOO_LONG dead letter, not INVALID_JSON', () => {
    const big = `{"NIK":"1501070410802004","NAMA":"${'N'.repeat(20 * 1024 * 1024)}"}`;
    const p = write(path('bst-big.jsonl'), `${good(1)}\n${big}\n${good(3)}\n`);
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-big.jsonl')).toMatchObject({ rows_read: 3, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'bst-big.jsonl')).toMatchObject([{ source_row: 2, reason: 'LINE_TOO_LONG' }]);
  });
});

describe('hostile JSON Lines: what a demanding tester adds', () => {
  it('a last line without a newline is read', () => {
    const p = write(path('bst-no-eol.jsonl'), `${good(1)}\n${good(2)}`);
    expect(accounted(runCli(p, { source: 'BST' }), 'bst-no-eol.jsonl')).toMatchObject({ rows_read: 2, rejected: 0 });
  });

  it('a string of 700 000 characters under the limit is read (no regular-expression overflow)', () => {
    const p = write(path('bst-long-ok.jsonl'), `{"NIK":"1501070410802005","NAMA":"A","CATATAN":"${'x\\"'.repeat(230_000)}"}\n`);
    expect(accounted(runCli(p, { source: 'BST' }), 'bst-long-ok.jsonl')).toMatchObject({ rows_read: 1, rejected: 0 });
  });

  it('__proto__ and constructor keys are keys like any other', () => {
    const p = write(path('bst-proto.jsonl'), `{"__proto__":{"NIK":"9"},"constructor":"x","NIK":"1501070410802006","NAMA":"A"}\n`);
    expect(accounted(runCli(p, { source: 'BST' }), 'bst-proto.jsonl')).toMatchObject({ rows_read: 1, rejected: 0 });
  });

  it('only bad lines: every one a dead letter, the run finishes', () => {
    const p = write(path('bst-all-bad.jsonl'), 'not json\n[1,2]\n"text"\n');
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-all-bad.jsonl')).toMatchObject({ rows_read: 3, rejected: 3 });
    expect(deadLetters(r).map((d) => d.reason)).toEqual(['INVALID_JSON', 'NOT_AN_OBJECT', 'NOT_AN_OBJECT']);
  });

  it('CR-only line endings are read as lines', () => {
    const p = write(path('bst-cr.jsonl'), `${good(1)}\r${good(2)}\r`);
    expect(accounted(runCli(p, { source: 'BST' }), 'bst-cr.jsonl')).toMatchObject({ rows_read: 2 });
  });

  it('a UTF-16 file is an error saying so', () => {
    const p = write(path('bst-utf16.jsonl'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${good(1)}\n`, 'utf16le')]));
    const r = runCli(p, { source: 'BST' });
    expectInputError(r, 'bst-utf16.jsonl', 'ENCODING');
    expect(r.stderr).toContain('the file is UTF-16 (little-endian); re-save it as UTF-8');
  });

  it('a number in place of a value and a stray minus sign are INVALID_JSON', () => {
    const p = write(path('bst-numbers.jsonl'), `{"NIK":1501070410802007,"NAMA":"A"}\n{"NIK":-,"NAMA":"B"}\n{"NIK":1.,"NAMA":"C"}\n`);
    const r = runCli(p, { source: 'BST' });
    expect(accounted(r, 'bst-numbers.jsonl')).toMatchObject({ rows_read: 3, rejected: 2 });
  });
});
