import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { noStackSizedArguments } from '../../eslint.config.js';

/**
 * Issue 6, defect 1 cannot come back: `pnpm lint` rejects spread arguments into push/unshift/
 * splice/concat, Math.*, String.fromCharCode/fromCodePoint and any apply, the shapes that put a
 * whole collection on the call stack; array literals and object spreads stay allowed.
 */
const linter = new Linter({ configType: 'flat' });
const flagged = (code: string): number => linter.verify(code, [{ rules: { 'no-restricted-syntax': noStackSizedArguments as Linter.RuleEntry } }]).length;

describe('the no-spread-arguments lint rule', () => {
  it.each([
    'out.push(...results)',
    'out.push(...(await more()))',
    'xs.unshift(...ys)',
    'xs.splice(0, 0, ...ys)',
    'xs.concat(...lists)',
    'Math.max(...values)',
    'Math.min(0, ...values)',
    'String.fromCharCode(...codes)',
    'String.fromCodePoint(...codes)',
    'fn.apply(null, args)',
    'Reflect.apply(fn, null, args)',
  ])('flags %s', (code) => {
    expect(flagged(`async function f(){ ${code}; }`)).toBe(1);
  });

  it.each(['const copy = [...xs]', 'const o = { ...a, b: 1 }', 'for (const x of xs) out.push(x)', 'Math.max(a, b)'])('allows %s', (code) => {
    expect(flagged(code)).toBe(0);
  });
});
