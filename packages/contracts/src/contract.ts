import type { z } from 'zod';

/**
 * One message type between stages: its zod schema, its version and its wire encoding.
 * The wire encoding is JSON (UTF-8). Records inside batches are positional arrays to keep
 * messages small; each contract documents its tuple layout.
 */
export interface Contract<S extends z.ZodType> {
  readonly name: string;
  readonly version: number;
  readonly schema: S;
  encode(value: z.infer<S>): Buffer;
  decode(bytes: Buffer | Uint8Array): z.infer<S>;
  /** Validates a value already in memory; throws ContractViolation. */
  check(value: unknown): z.infer<S>;
}

/** Thrown when a message does not satisfy its contract: a producer bug or a foreign writer on the topic. */
export class ContractViolation extends Error {
  constructor(
    readonly contract: string,
    readonly issues: string,
  ) {
    super(`message does not satisfy contract ${contract}: ${issues}; fix the producer or route the message to the dead-letter topic`);
    this.name = 'ContractViolation';
  }
}

export function defineContract<S extends z.ZodType>(name: string, version: number, schema: S): Contract<S> {
  const check = (value: unknown): z.infer<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      // Paths and messages only: zod's issue text never echoes the offending value, so no NIK leaks here.
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new ContractViolation(`${name}@v${version}`, issues);
    }
    return parsed.data;
  };
  return {
    name,
    version,
    schema,
    check,
    encode: (value) => Buffer.from(JSON.stringify(check(value))),
    decode: (bytes) => check(JSON.parse(Buffer.from(bytes).toString('utf8'))),
  };
}
