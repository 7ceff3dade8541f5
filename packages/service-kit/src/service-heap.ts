import { z } from 'zod';

/** The four services, by the name of their folder under services/. */
export type ServiceName = 'ingest' | 'normalize' | 'match' | 'report';

/**
 * Each service's V8 old-generation cap, MB (`--max-old-space-size`). Without a cap V8 sizes its
 * heap from the machine's memory (about 4 GB here) and collects the old generation rarely, so a
 * service's resident set grows with the garbage it has made, and with the Buffers (fetched and
 * produced Kafka messages) that only a collection of their owners frees: 228 to 341 MB per
 * service at 80 000 households. The live heap after a full collection stayed at 28–59 MB, at 80 000
 * and at 160 000 households, so these caps leave two to five times that. report holds the most:
 * REPORT_SPILL_ROWS results before a spill, and a Parquet row group while a snapshot is written.
 */
export const SERVICE_HEAP_MB: Readonly<Record<ServiceName, number>> = Object.freeze({
  ingest: 128,
  normalize: 128,
  match: 160,
  report: 192,
});

/**
 * Each semi-space of V8's young generation, MB (`--max-semi-space-size`): Node 20's default,
 * pinned, since later Node versions size it otherwise. Measured at 80 000 households, 8 MB took
 * 1.5 to 2.5 times the scavenge time of 16 for 16 MB less resident per service.
 */
export const SEMI_SPACE_MB = 16;

/**
 * How far V8 lets the old generation grow past the live heap before its next full collection, %
 * (`--heap-growing-percent`). Under a cap of 256 MB or less V8 grows it by only 30 % (its factor
 * for small devices), so a service with a 25 MB live heap ran a full collection every 8 MB of
 * promoted objects: match 225 of them instead of 48 uncapped, in one run at 80 000 households.
 * At 100 % the share of CPU samples in GC is back to the uncapped one (match 20.5 % against 21.0 %)
 * for 20 to 70 MB more resident at the peak than with 30 % and 8 MB semi-spaces, still under 300.
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * glibc malloc arenas per service process (`MALLOC_ARENA_MAX`, an environment variable). By
 * default glibc gives threads up to 8 arenas per core, and Node's threads (V8's concurrent
 * marking and compilation, libuv's pool for files, zlib and crypto) leave freed memory scattered
 * over them. Measured at 80 000 households with the heap flags above: peak RSS ingest / normalize /
 * match / report 170 / 196 / 224 / 214 MB with glibc's default, 162 / 182 / 185 / 198 with 2, the
 * same CPU seconds (one run each).
 */
export const MALLOC_ARENAS = 2;

/** PADAN_HEAP_MB: one old-generation cap for every service a run starts, replacing SERVICE_HEAP_MB. */
export const heapEnv = {
  PADAN_HEAP_MB: z.coerce.number().int().min(64, 'must be at least 64 (MB)').max(65_536, 'must be at most 65536 (MB)').optional(),
};

/**
 * The Node flags that bound `service`'s heap: the old-generation cap (`heapMb` when given, else
 * the service's SERVICE_HEAP_MB), the semi-space size and the growing factor. V8 takes them only
 * at start, so they go on the process's command line (`padan run --mode distributed`,
 * docker-compose.yml); `--heap-growing-percent` is refused in NODE_OPTIONS.
 */
export function serviceHeapFlags(service: ServiceName, heapMb?: number): string[] {
  return [`--max-old-space-size=${heapMb ?? SERVICE_HEAP_MB[service]}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, `--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}
