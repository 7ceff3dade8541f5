// @ts-check
/**
 * Decoding and validating one message of padan.mismatches.v1 against padan's published JSON
 * Schema (contracts/json-schema/mismatch-event.v1.schema.json). Copying this example elsewhere:
 * copy that file beside it and pass its path (MISMATCH_SCHEMA).
 *
 * The schema allows fields it does not name, so a field padan adds later (an additive change,
 * contracts/README.md) does not break this consumer; a message of another contract or version
 * (headers `padan-contract`, `padan-version`) is refused before it is parsed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

export const CONTRACT = 'mismatch-event';
export const VERSION = '1';
/** The schema in this repository; outside it, pass your copy's path. */
export const DEFAULT_SCHEMA = fileURLToPath(new URL('../../contracts/json-schema/mismatch-event.v1.schema.json', import.meta.url));

/**
 * @typedef {import('./tally.mjs').MismatchEvent} MismatchEvent
 * @typedef {{ ok: true, event: MismatchEvent } | { ok: false, reason: string }} Decoded
 * @typedef {(value: Buffer | null, headers: Record<string, string | undefined>) => Decoded} MismatchDecoder
 */

/**
 * A decoder of mismatch messages validating with the schema at `schemaPath`.
 * @param {string} [schemaPath]
 * @returns {MismatchDecoder}
 */
export function mismatchDecoder(schemaPath = DEFAULT_SCHEMA) {
  const validate = new Ajv({ allErrors: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return (value, headers) => {
    if (headers['padan-contract'] !== CONTRACT || headers['padan-version'] !== VERSION) {
      return { ok: false, reason: `headers name contract ${headers['padan-contract'] ?? '(none)'} v${headers['padan-version'] ?? '(none)'}, expected ${CONTRACT} v${VERSION}` };
    }
    if (value === null) return { ok: false, reason: 'empty message (a tombstone)' };
    let parsed;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    if (!validate(parsed)) {
      // Paths and keywords only: never the message's values.
      const where = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.keyword}${'missingProperty' in e.params ? ` ${e.params.missingProperty}` : ''}`).join(', ');
      return { ok: false, reason: `does not satisfy ${CONTRACT} v${VERSION}: ${where}` };
    }
    return { ok: true, event: /** @type {MismatchEvent} */ (parsed) };
  };
}

/**
 * Kafka headers as text (kafkajs gives Buffers).
 * @param {Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined} headers
 * @returns {Record<string, string | undefined>}
 */
export function headerText(headers) {
  /** @type {Record<string, string | undefined>} */
  const out = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    out[k] = one === undefined ? undefined : one.toString();
  }
  return out;
}
