import { describe, expect, it } from 'vitest';
import type { FileCompleted } from '@padan/contracts';
import { filesToReplay, missingFromArchive, parseRawArchiveKey, rawArchivePrefix } from './archive-replay.js';
import { landingKey, rawArchiveKey } from './landing-key.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function completed(source: 'DTKS' | 'PKH', file: string, sha256: string): FileCompleted {
  return { v: 1, period: '2021-09', source, file, runId: 'run', format: 'csv', sha256, bytes: 1, fields: ['nik'], headerRow: 1, rowsRead: 1, rowsEmitted: 1, rowsRejected: 0 };
}

describe('the raw archive replayed for a period', () => {
  it('reads back the keys ingest archives under', () => {
    const key = rawArchiveKey({ key: landingKey('2021-09', 'PKH', 'pkh.csv'), period: '2021-09', source: 'PKH', file: 'pkh.csv' }, SHA_A);
    expect(key.startsWith(rawArchivePrefix('2021-09'))).toBe(true);
    expect(parseRawArchiveKey(key)).toEqual({ key, period: '2021-09', source: 'PKH', sha256: SHA_A, file: 'pkh.csv' });
    expect(parseRawArchiveKey('raw/period=2021-09/source=PKH/pkh.csv')).toBeNull();
    expect(parseRawArchiveKey(`raw/period=2021-13/source=PKH/sha256=${SHA_A}/pkh.csv`)).toBeNull();
    expect(parseRawArchiveKey(`raw/period=2021-09/source=XYZ/sha256=${SHA_A}/pkh.csv`)).toBeNull();
  });

  it('takes exactly the files ingest completed, with the checksum it announced, in key order', () => {
    const done = new Map([
      [landingKey('2021-09', 'PKH', 'pkh.csv'), completed('PKH', 'pkh.csv', SHA_A)],
      [landingKey('2021-09', 'DTKS', 'dtks.csv'), completed('DTKS', 'dtks.csv', SHA_B)],
    ]);
    const keys = [
      `raw/period=2021-09/source=PKH/sha256=${SHA_A}/pkh.csv`,
      // Another original under the same landing name, which ingest never completed: not input.
      `raw/period=2021-09/source=PKH/sha256=${SHA_B}/pkh.csv`,
      `raw/period=2021-09/source=DTKS/sha256=${SHA_B}/dtks.csv`,
      // Archived, not completed yet: the landing poll publishes it.
      `raw/period=2021-09/source=BST/sha256=${SHA_A}/bst.csv`,
      `raw/period=2021-10/source=PKH/sha256=${SHA_A}/pkh.csv`,
      'raw/period=2021-09/notes.txt',
    ];
    const got = filesToReplay(keys, '2021-09', (k) => done.get(k) ?? null);
    expect(got.map((g) => g.archived.key)).toEqual([`raw/period=2021-09/source=DTKS/sha256=${SHA_B}/dtks.csv`, `raw/period=2021-09/source=PKH/sha256=${SHA_A}/pkh.csv`]);
    expect(got.map((g) => g.completed.file)).toEqual(['dtks.csv', 'pkh.csv']);
  });

  it('names the completed files of the period whose originals are not in the archive', () => {
    const pkh = landingKey('2021-09', 'PKH', 'pkh.csv');
    const dtks = landingKey('2021-09', 'DTKS', 'dtks.csv');
    const progress = [
      { key: pkh, completed: completed('PKH', 'pkh.csv', SHA_A) },
      { key: dtks, completed: completed('DTKS', 'dtks.csv', SHA_B) },
      { key: landingKey('2021-09', 'BST', 'bst.csv'), completed: null },
      { key: landingKey('2021-10', 'PKH', 'pkh.csv'), completed: { ...completed('PKH', 'pkh.csv', SHA_A), period: '2021-10' } },
    ];
    const replayed = filesToReplay([`raw/period=2021-09/source=PKH/sha256=${SHA_A}/pkh.csv`], '2021-09', (k) => progress.find((p) => p.key === k)?.completed ?? null);
    expect(missingFromArchive(progress, '2021-09', replayed)).toEqual([dtks]);
    expect(missingFromArchive(progress, '2021-10', replayed)).toEqual([landingKey('2021-10', 'PKH', 'pkh.csv')]);
  });
});
