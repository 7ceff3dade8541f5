import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SharedStrings } from './shared-strings.js';

const dir = mkdtempSync(join(tmpdir(), 'padan-sst-'));

describe('SharedStrings', () => {
  it('holds strings in memory under the bound', () => {
    const s = new SharedStrings(1024 * 1024, dir);
    s.add('SITI');
    s.add('');
    expect(s.spilled).toBe(false);
    expect([s.get(0), s.get(1), s.get(2), s.get(-1), s.get(0.5)]).toEqual(['SITI', '', undefined, undefined, undefined]);
    s.close();
  });

  it('past the bound spills to a file in the given dir, reads every string back, and removes the file on close', () => {
    const s = new SharedStrings(1000, dir);
    const texts = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `NAMA ÄÖÜ ${i} ${'x'.repeat(i % 300)}` : `S${i}`));
    for (const t of texts) s.add(t);
    expect(s.spilled).toBe(true);
    expect(readdirSync(dir).some((n) => n.startsWith('padan-xlsx-'))).toBe(true);
    expect(s.size).toBe(5000);
    for (let i = 0; i < texts.length; i++) expect(s.get(i)).toBe(texts[i]);
    // again, from the cache and around it
    for (let i = texts.length - 1; i >= 0; i -= 97) expect(s.get(i)).toBe(texts[i]);
    s.close();
    expect(readdirSync(dir).filter((n) => n.startsWith('padan-xlsx-'))).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  it('oversized strings are marked, not kept', () => {
    const s = new SharedStrings(0, dir);
    s.add('A');
    s.addOversized();
    s.add('B');
    expect([s.isOversized(0), s.isOversized(1), s.isOversized(2)]).toEqual([false, true, false]);
    expect(s.get(2)).toBe('B');
    s.close();
  });
});
