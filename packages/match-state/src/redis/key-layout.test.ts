import { describe, expect, it } from 'vitest';
import { KeyLayout } from './key-layout.js';
import type { HashKind } from './key-layout.js';

/** How many distinct small hashes of `kind` per bucket `n` items fill. */
function hashesUsed(layout: KeyLayout, kind: HashKind, items: readonly string[]): number {
  const used = new Set<string>();
  for (const item of items) used.add(`${layout.bucketOf(item)}/${layout.hashOf(kind, item)}`);
  return used.size;
}

describe('KeyLayout small hashes', () => {
  const items = Array.from({ length: 200_000 }, (_, i) => `1571${String(i * 7919).padStart(12, '0')}`);

  // Every key costs ~90 B of its own: a kind with fewer items than DTKS rows gets fewer hashes, so
  // that its hashes are not mostly overhead (a release's ~80 000 No. KKs in 16 384 hashes held 5
  // fields each), while a kind with one item per row keeps them all.
  it('kinds with one item per DTKS row use every hash; No. KKs a quarter, families half, birth dates 1024 in all', () => {
    const layout = new KeyLayout('padan:', 16, '0', 1024);
    expect(hashesUsed(layout, 'dtks', items)).toBe(16 * 1024);
    expect(hashesUsed(layout, 'base', items)).toBe(16 * 1024);
    expect(hashesUsed(layout, 'occ', items)).toBe(16 * 1024);
    expect(hashesUsed(layout, 'kk', items)).toBe(16 * 256);
    expect(hashesUsed(layout, 'fam', items)).toBe(16 * 512);
    expect(hashesUsed(layout, 'dtks:n', items)).toBe(16 * 64);
    expect(hashesUsed(layout, 'bd', items)).toBe(1024);
  });

  it('a small hashesPerBucket bounds every kind, and no kind has none', () => {
    const layout = new KeyLayout('padan:', 16, '0', 2);
    expect(hashesUsed(layout, 'bd', items)).toBe(32);
    expect(hashesUsed(layout, 'dtks:n', items)).toBe(16);
    expect(hashesUsed(layout, 'kk', items)).toBe(16);
  });

  it('hashOf names the hash hashIndex numbers', () => {
    const layout = new KeyLayout('padan:', 16, '0', 1024);
    for (const item of items.slice(0, 100)) expect(layout.hashOf('kk', item)).toBe(`kk:${layout.hashIndex('kk', item)}`);
  });
});
