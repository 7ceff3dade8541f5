import { closeSync, openSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { detectFormat, InputError } from '@padan/io';
import type { PipelineInput } from '@padan/pipeline';
import { UsageError } from './usage-error.js';

/**
 * Checks every input before any is read: a known format, an existing readable regular file, and
 * no file given twice (as two programs, or as DTKS and a program). A run must not process the
 * DTKS release for minutes and then find that the last program file is a typo.
 */
export function checkInputFiles(inputs: readonly PipelineInput[]): void {
  const seen = new Map<string, PipelineInput>();
  for (const input of inputs) {
    const name = basename(input.path);
    detectFormat(input.path);
    let real: string;
    try {
      if (statSync(input.path).isDirectory()) throw new InputError(name, null, 'READABLE', `${input.path} is a folder, not a file; give the file of ${input.source}`);
      closeSync(openSync(input.path, 'r'));
      real = realpathSync(input.path);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(name, null, 'READABLE', `cannot read the file ${input.path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path and permissions`);
    }
    const earlier = seen.get(real);
    if (earlier) throw new UsageError(`${input.path} is given twice (as ${earlier.source} and as ${input.source}); give each file once`);
    seen.set(real, input);
  }
}
