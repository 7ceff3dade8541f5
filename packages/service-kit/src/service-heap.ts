import { z } from 'zod';

/** The four services, by the name of their folder under services/. */
export type ServiceName = 'ingest' | 'normalize' | 'match' | 'report';

/**
 * Each service's V8 old-generation cap, MB (`--max-old-space-size`). Without a cap V8 sizes its
 * heap from the machine's memory (about 2 GB here) and collects the old generation rarely, so a
 * service's resident set grows with the garbage it has made, and with the Buffers (fetched and
 * produced Kafka messages) that only a collection of their owners frees. Measured on a distributed
 * run of 80 000 households (README "Performance"), the live heap after a full collection stayed
 * far below these caps; the cap makes V8 collect before the resident set passes 300 MB.
 * report holds the most: REPORT_SPILL_ROWS results before a spill, and a Parquet row group while
 * a snapshot is written.
 */
export const SERVICE_HEAP_MB: Readonly<Record<ServiceName, number>> = Object.freeze({
  ingest: 128,
  normalize: 128,
  match: 160,
  report: 192,
});

/**
 * Each semi-space of V8's young generation, MB (`--max-semi-space-size`). Node 20's default, 16,
 * keeps up to 32 MB resident for short-lived objects in every service; 8 halves that, at the cost
 * of more (cheap) scavenges.
 */
export const SEMI_SPACE_MB = 8;

/** PADAN_HEAP_MB: one old-generation cap for every service a run starts, replacing SERVICE_HEAP_MB. */
export const heapEnv = {
  PADAN_HEAP_MB: z.coerce.number().int().min(64, 'must be at least 64 (MB)').max(65_536, 'must be at most 65536 (MB)').optional(),
};

/**
 * The Node flags that bound `service`'s heap: the old-generation cap (`heapMb` when given, else
 * the service's SERVICE_HEAP_MB) and the semi-space size. V8 takes them only at start, so they go
 * on the command line of the process (`padan run --mode distributed`, docker-compose.yml).
 */
export function serviceHeapFlags(service: ServiceName, heapMb?: number): string[] {
  return [`--max-old-space-size=${heapMb ?? SERVICE_HEAP_MB[service]}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}
