import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileCompleted } from '@padan/contracts';
import { inputChecksum } from '@padan/io';
import type { Logger } from '@padan/service-kit';
import { retryWithBackoff } from '@padan/service-kit';
import { doneKey, rawArchiveKey } from './landing-key.js';
import type { LandingObject } from './landing-key.js';

/** What FinishedObjects needs of the object store (S3ObjectStore has it all). */
export interface FinishedStore {
  exists(key: string): Promise<boolean>;
  head(key: string): Promise<{ bytes: number; etag: string } | null>;
  put(key: string, body: string): Promise<void>;
  getFile(key: string, localPath: string): Promise<void>;
}

/**
 * Watches landing objects ingest has finished (their FileCompleted committed):
 * - the `ingest/done/` marker operators look for is written with retries, and rewritten on a
 *   later poll when it is missing (an S3 error after the rows were committed); a marker seen is
 *   looked for again every `recheckMs` (one HEAD per finished file), so a deleted one comes back;
 * - a different file uploaded under a finished landing name is never ingested (the period keeps
 *   the rows first ingested), but never silently: it is logged once per upload, at warn, with both
 *   checksums. The ETag from the listing says when to look; the content is hashed only when the
 *   ETag differs from the archived original's.
 */
export class FinishedObjects {
  /** Landing key → when its marker was last seen (or written). */
  private readonly markerSeen = new Map<string, number>();
  /** Landing key → ETag already compared with what was ingested. */
  private readonly etagChecked = new Map<string, string>();

  constructor(
    private readonly store: FinishedStore,
    private readonly logger: Logger,
    private readonly onReplaced: () => void = () => {},
    /** How long a seen marker is trusted before it is looked for again (a marker deleted later). */
    private readonly recheckMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the marker, retrying a few times; a marker still missing is rewritten on a later poll. */
  async writeMarker(o: LandingObject, fc: FileCompleted): Promise<void> {
    await retryWithBackoff(() => this.store.put(doneKey(o), JSON.stringify(fc)), {
      attempts: 4,
      firstMs: 250,
      onRetry: (e, attempt, waitMs) => this.logger.warn({ key: o.key, attempt, waitMs, err: (e as Error).message }, 'writing the ingest/done marker failed; retrying'),
    });
    this.markerSeen.set(o.key, this.now());
  }

  /** Called on every poll for a finished object; `etag` is the landing object's, from the listing. */
  async check(o: LandingObject, fc: FileCompleted, ingestedSha256: string, etag: string): Promise<void> {
    if (this.now() - (this.markerSeen.get(o.key) ?? -Infinity) >= this.recheckMs) {
      if (await this.store.exists(doneKey(o))) this.markerSeen.set(o.key, this.now());
      else {
        await this.writeMarker(o, fc);
        this.logger.info({ key: o.key }, 'ingest/done marker was missing: rewritten');
      }
    }
    if (etag === '' || this.etagChecked.get(o.key) === etag) return;
    const archived = await this.store.head(rawArchiveKey(o, ingestedSha256));
    let landingSha256 = ingestedSha256;
    if (!archived || archived.etag !== etag) landingSha256 = await this.hash(o);
    this.etagChecked.set(o.key, etag);
    if (landingSha256 === ingestedSha256) return;
    this.onReplaced();
    this.logger.warn(
      { key: o.key, ingestedSha256, landingSha256 },
      'a different file was uploaded under a landing name already ingested: NOT ingested, the period keeps the rows of the first file. ' +
        'Replacing an ingested file is not supported yet; to reconcile the corrected file, run the period again (padan run) with it',
    );
  }

  private async hash(o: LandingObject): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'padan-ingest-check-'));
    try {
      const local = join(dir, o.file);
      await this.store.getFile(o.key, local);
      return (await inputChecksum(local)).sha256;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
