import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeIdentity, changeKey } from '@padan/core';
import { listedKeys } from './listed-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-listed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listedKeys', () => {
  it('finds the wanted keys a program file lists, cleaned as the pipeline cleans them', async () => {
    const pkh = join(dir, 'pkh.csv');
    // A cosmetic NIK, a damaged one, a name column under an alias; a ragged row the pipeline dead-letters.
    writeFileSync(pkh, 'NIK_PENGURUS;NAMA_PENGURUS\n1571 0145 0685 0001;SITI AMINAH\n157101450685;Budi\n1571014506850002;ANI;extra\n');
    const sembako = join(dir, 'sembako.csv');
    writeFileSync(sembako, 'NIK,NAMA\n1571014506850003,ANI\n');
    const want = [
      changeKey('PKH', '1571014506850001'),
      changeKey('PKH', changeIdentity('', '157101450685', 'BUDI')),
      changeKey('PKH', '1571014506850002'),
      changeKey('PKH', '1571014506850003'),
      changeKey('SEMBAKO', '1571014506850003'),
    ];
    const found = await listedKeys(
      [{ source: 'PKH', path: pkh }, { source: 'SEMBAKO', path: sembako }],
      { PKH: { nik: 'NIK_PENGURUS' } },
      '2021-09',
      new Set(want),
    );
    expect([...found].sort()).toEqual([want[0], want[1], want[4]].sort());
  });

  it('reads nothing when no key is wanted', async () => {
    expect((await listedKeys([{ source: 'PKH', path: join(dir, 'missing.csv') }], {}, '2021-09', new Set())).size).toBe(0);
  });
});
