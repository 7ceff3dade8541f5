import pino from 'pino';
import type { Logger } from 'pino';

/**
 * Service logs: pino JSON with fixed bindings per service. Personal data never reaches a log: the
 * services log counts, topics, partitions, offsets, file names and row numbers only, and these
 * redact paths are a second line of defence for any object that slips through.
 */
export const REDACT_PATHS = [
  'nik',
  'nikRaw',
  'nama',
  'name',
  'birthDate',
  'tanggal_lahir',
  'noKk',
  'value',
  'key',
  'raw',
  '*.nik',
  '*.nikRaw',
  '*.nama',
  '*.birthDate',
  '*.noKk',
  '*.value',
  '*.key',
  '*.raw',
  'S3_SECRET_ACCESS_KEY',
  'PADAN_HASH_KEY',
  'password',
  'secretAccessKey',
];

export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
