import { describe, expect, it } from 'vitest';
import { maskDeadLetterText } from './dead-letter-text.js';

describe('maskDeadLetterText', () => {
  it('masks 16-digit runs, other long digit runs and date-like values', () => {
    expect(maskDeadLetterText('1571020101700003;"RUSLI;1970-01-01')).toBe('1571********0003;"RUSLI;**-**-****');
    expect(maskDeadLetterText('NIK 157102010170000 lahir 01/02/1970 dan 1-2-70')).toBe('NIK 15************* lahir **-**-**** dan **-**-****');
  });

  it('leaves short numbers alone and cuts long text', () => {
    expect(maskDeadLetterText('RT 003 RW 12')).toBe('RT 003 RW 12');
    expect(maskDeadLetterText('x'.repeat(300))).toHaveLength(201);
  });
});
