import type { Source } from '@padan/contracts';
import { ByteWriter } from './packed-bytes.js';
import { programCode } from './order-token.js';

/**
 * The field of a `program|nik` in the Redis evidence: the program's one-letter code and the NIK's
 * digits as an integer (9 bytes where `PBI|1504070211860185` took 20). Binary: the scripts never
 * echo it back (their replies follow the order of the fields sent).
 */
export function occurrenceField(program: Source, nik: string): Buffer {
  const w = new ByteWriter();
  w.byte(programCode(program).charCodeAt(0));
  w.digitText(nik);
  return w.done();
}
