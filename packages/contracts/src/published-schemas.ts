import type { z } from 'zod';
import { ArchiveReplayRequestContract } from './archive-replay-request.js';
import type { Contract } from './contract.js';
import { DtksIndexBatchContract } from './dtks-index-batch.js';
import { FileCompletedContract } from './file-completed.js';
import { IngestProgressContract } from './ingest-progress.js';
import { MatchResultContract } from './match-result.js';
import { MatchStatusContract } from './match-status.js';
import { MismatchEventContract } from './mismatch-event.js';
import { NormalizedBatchContract } from './normalized-batch.js';
import { RawBatchContract } from './raw-batch.js';
import { RejectedRowContract } from './rejected-row.js';
import { ResultBatchContract } from './result-batch.js';
import { SnapshotAnnouncementContract } from './snapshot-announcement.js';
import { SnapshotRequestContract } from './snapshot-request.js';
import { snapshotManifestSchema } from './snapshot-manifest.js';
import { SNAPSHOT_SCHEMA_VERSION, snapshotSummarySchema } from './snapshot-summary.js';

/** One JSON Schema published under `contracts/json-schema/`, generated from its zod schema. */
export interface PublishedSchema {
  /** File name under `contracts/json-schema/`: `<name>.v<version>.schema.json`. */
  readonly file: string;
  /** The schema's `title`: what a reader looks for (a contract name and version, a snapshot file). */
  readonly title: string;
  readonly schema: z.ZodType;
}

/** The published file of a topic's contract: named by the contract's name and version, as its headers are. */
export function contractSchemaFile(c: Pick<Contract<z.ZodType>, 'name' | 'version'>): string {
  return `${c.name}.v${c.version}.schema.json`;
}

/** `result-batch` → `ResultBatch`: the name the README and the code's types give a contract. */
function typeName(contractName: string): string {
  return contractName.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

function ofContract(c: Contract<z.ZodType>): PublishedSchema {
  return { file: contractSchemaFile(c), title: `${typeName(c.name)} v${c.version}`, schema: c.schema };
}

/**
 * Every JSON Schema padan publishes, in the order they are listed in `contracts/README.md`:
 * `pnpm contracts:generate` writes one file per entry, and the AsyncAPI document refers to the
 * topics' files by `contractSchemaFile`. A topic's contract missing here fails generation (and its
 * test). Snapshot files get entries the same way, e.g.
 * `{ file: 'summary.v1.schema.json', title: 'summary.json v1', schema: summarySchema }`.
 */
export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  ofContract(RawBatchContract),
  ofContract(FileCompletedContract),
  ofContract(RejectedRowContract),
  ofContract(NormalizedBatchContract),
  ofContract(ResultBatchContract),
  ofContract(MatchResultContract),
  ofContract(MismatchEventContract),
  ofContract(SnapshotAnnouncementContract),
  ofContract(SnapshotRequestContract),
  ofContract(DtksIndexBatchContract),
  ofContract(IngestProgressContract),
  ofContract(MatchStatusContract),
  ofContract(ArchiveReplayRequestContract),
  { file: `summary.v${SNAPSHOT_SCHEMA_VERSION}.schema.json`, title: `summary.json v${SNAPSHOT_SCHEMA_VERSION}`, schema: snapshotSummarySchema },
  { file: `manifest.v${SNAPSHOT_SCHEMA_VERSION}.schema.json`, title: `manifest.json v${SNAPSHOT_SCHEMA_VERSION}`, schema: snapshotManifestSchema },
];
