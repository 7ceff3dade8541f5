import { beforeAll, describe, expect, it } from 'vitest';
import { accounted, deadLetters, expectInputError, findingDetails, hostileDir, runCli, runCliMany, write } from './readers-cli.js';
import type { CliRun } from './readers-cli.js';

/**
 * Hostile JSON Lines files through `padan run` (issue 6, defect 6: one bad line failed the whole
 * file). Each bad line is that line's finding or dead letter; the file is read to its end.
 */
const path = hostileDir('jsonl');

const good = (i: number): string => `{"NIK":"150107041080${String(2000 + i)}","NAMA":"PENERIMA ${i}"}`;

// The cases that end in a finished run share one run: the process start dominates their cost.
const sharedFiles: string[] = [];
function shared(name: string, content: string | Buffer): void {
  sharedFiles.push(write(path(name), content));
}

shared('bst-no-nik.jsonl', `${good(1)}\n{"NAMA":"TANPA NIK"}\n{"NIK":null,"NAMA":"NIK NULL"}\n${good(4)}\n`);
shared('bst-first-no-nik.jsonl', `{"NAMA":"TANPA NIK"}\n${good(2)}\n`);
const deep = `{"NIK":"1501070410802003","X":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
const big = `{"NIK":"1501070410802004","NAMA":"${'N'.repeat(20 * 1024 * 1024)}"}`;
shared('bst-deep.jsonl', `${good(1)}\n${deep}\n${good(3)}\n`);
shared('bst-big.jsonl', `${good(1)}\n${big}\n${good(3)}\n`);
shared('bst-no-eol.jsonl', `${good(1)}\n${good(2)}`);
shared('bst-long-ok.jsonl', `{"NIK":"1501070410802005","NAMA":"A","CATATAN":"${'x\\"'.repeat(230_000)}"}\n`);
shared('bst-proto.jsonl', `{"__proto__":{"NIK":"9"},"constructor":"x","NIK":"1501070410802006","NAMA":"A"}\n`);
shared('bst-all-bad.jsonl', 'not json\n[1,2]\n"text"\n');
shared('bst-cr.jsonl', `${good(1)}\r${good(2)}\r`);
shared('bst-numbers.jsonl', `{"NIK":1501070410802007,"NAMA":"A"}\n{"NIK":-,"NAMA":"B"}\n{"NIK":1.,"NAMA":"C"}\n`);

let sharedRun: CliRun | undefined;
beforeAll(() => {
  sharedRun = runCliMany(sharedFiles.map((p) => ({ source: 'BST', path: p })), { out: path('shared.out') });
});
const batch = (): CliRun => sharedRun as CliRun;

describe('hostile JSON Lines: one bad JSON Lines line fails the whole file (defect 6)', () => {
  it('an object without a NIK key is a row with an empty NIK: an INVALID_NIK:EMPTY finding', () => {
    const r = batch();
    expect(accounted(r, 'bst-no-nik.jsonl')).toMatchObject({ rows_read: 4, rejected: 0 });
    const details = findingDetails(r, 'bst-no-nik.jsonl');
    expect(details.get(2)).toContain('INVALID_NIK:EMPTY');
    expect(details.get(3)).toContain('INVALID_NIK:EMPTY');
  });

  it('the first object without a NIK key: the file is still read', () => {
    const r = batch();
    expect(accounted(r, 'bst-first-no-nik.jsonl')).toMatchObject({ rows_read: 2, rejected: 0 });
    expect(findingDetails(r, 'bst-first-no-nik.jsonl').get(1)).toContain('INVALID_NIK:EMPTY');
  });

  it('nesting 100 000 deep is a NESTING_TOO_DEEP dead letter, not "check the path and permissions"', () => {
    const r = batch();
    expect(accounted(r, 'bst-deep.jsonl')).toMatchObject({ rows_read: 3, rejected: 1 });
    const dead = deadLetters(r).filter((d) => d.source_file === 'bst-deep.jsonl');
    expect(dead).toMatchObject([{ source_row: 2, reason: 'NESTING_TOO_DEEP' }]);
    expect(dead[0]?.message).toContain('PADAN_MAX_JSON_DEPTH');
  });

  it('a 20 MB string is a LINE_TOO_LONG dead letter, not INVALID_JSON', () => {
    const r = batch();
    expect(accounted(r, 'bst-big.jsonl')).toMatchObject({ rows_read: 3, rejected: 1 });
    expect(deadLetters(r).filter((d) => d.source_file === 'bst-big.jsonl')).toMatchObject([{ source_row: 2, reason: 'LINE_TOO_LONG' }]);
  });
});

describe('hostile JSON Lines: what a demanding tester adds', () => {
  it('a last line without a newline is read', () => {
    expect(accounted(batch(), 'bst-no-eol.jsonl')).toMatchObject({ rows_read: 2, rejected: 0 });
  });

  it('a string of 700 000 characters under the limit is read (no regular-expression overflow)', () => {
    expect(accounted(batch(), 'bst-long-ok.jsonl')).toMatchObject({ rows_read: 1, rejected: 0 });
  });

  it('__proto__ and constructor keys are keys like any other', () => {
    expect(accounted(batch(), 'bst-proto.jsonl')).toMatchObject({ rows_read: 1, rejected: 0 });
  });

  it('only bad lines: every one a dead letter, the run finishes', () => {
    const r = batch();
    expect(accounted(r, 'bst-all-bad.jsonl')).toMatchObject({ rows_read: 3, rejected: 3 });
    expect(deadLetters(r).filter((d) => d.source_file === 'bst-all-bad.jsonl').map((d) => d.reason)).toEqual(['INVALID_JSON', 'NOT_AN_OBJECT', 'NOT_AN_OBJECT']);
  });

  it('CR-only line endings are read as lines', () => {
    expect(accounted(batch(), 'bst-cr.jsonl')).toMatchObject({ rows_read: 2 });
  });

  it('a UTF-16 file is an error saying so', () => {
    const p = write(path('bst-utf16.jsonl'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${good(1)}\n`, 'utf16le')]));
    const r = runCli(p, { source: 'BST' });
    expectInputError(r, 'bst-utf16.jsonl', 'ENCODING');
    expect(r.stderr).toContain('the file is UTF-16 (little-endian); re-save it as UTF-8');
  });

  it('a number in place of a value and a stray minus sign are INVALID_JSON', () => {
    const r = batch();
    expect(accounted(r, 'bst-numbers.jsonl')).toMatchObject({ rows_read: 3, rejected: 2 });
  });
});
