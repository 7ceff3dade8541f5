import { describe, expect, it } from 'vitest';
import { nameKey } from './name-key.js';
import { NameKeyCache } from './name-key-cache.js';

const NAMES = ['H. MUHAMMAD YUSUF', 'Muh. Yusuf, S.Pd', 'SITI AZZAHRA', 'Ma\'ruf Amin', 'DRS. BUDI SANTOSO SE', 'ALM. ERNAWATI', 'BUDI', 'Siti Azzahra'];

describe('NameKeyCache', () => {
  it('gives nameKey\'s key for every name, first time and repeated', () => {
    const cache = new NameKeyCache();
    for (let round = 0; round < 3; round++) for (const n of NAMES) expect(cache.keyOf(n)).toBe(nameKey(n));
  });

  it('stays correct when more distinct names arrive than it holds (it starts afresh)', () => {
    const cache = new NameKeyCache(3);
    for (let round = 0; round < 4; round++) for (const n of NAMES) expect(cache.keyOf(n)).toBe(nameKey(n));
    expect((cache as unknown as { keys: Map<string, string> }).keys.size).toBeLessThanOrEqual(3);
  });
});
