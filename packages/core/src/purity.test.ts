import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The domain core is pure: no I/O, no clients, no logger. This check stands in for a lint rule:
 * a core source file may import only other core files and @padan/contracts (zod schemas).
 * A rule that needs a file, a clock or a client belongs in an adapter (packages/io, a service).
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const FORBIDDEN_GLOBALS = /\b(process\.|console\.|Date\.now\(|new Date\(\)|Math\.random\(|fetch\(|setTimeout\(|setInterval\()/;

describe('packages/core is pure', () => {
  it.each(sources)('%s imports only core files and @padan/contracts, and touches no I/O globals', (file) => {
    const text = readFileSync(`${dir}${file}`, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      const ok = spec.startsWith('./') || spec === '@padan/contracts';
      expect(ok, `${file} imports "${spec}": the core must stay pure; move this code to an adapter (packages/io or a service)`).toBe(true);
    }
    expect(FORBIDDEN_GLOBALS.exec(text)?.[0] ?? null, `${file} uses an I/O or nondeterministic global`).toBeNull();
  });
});
