import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectInfo, ObjectStore } from '@padan/runtime';
import { parseS3Env, s3OptionsOf } from './s3-env.js';

/**
 * The ObjectStore port on S3 (AWS S3, MinIO, s3proxy).
 *
 * - Bodies given to PutObject are always Buffers. A stream body with the SDK's default checksums is
 *   sent `aws-chunked` with a trailing checksum, which s3proxy answers before reading (EPIPE).
 *   Files go through lib-storage `Upload`, which reads the file as a stream and buffers one part at a
 *   time (at most `queueSize × partSize` bytes in memory): one PutObject below `partSize`, multipart
 *   above it.
 * - Errors are `S3StoreError`s naming the operation, the `s3://bucket/key` and what to do. The secret
 *   access key never appears in a message.
 */
export interface S3ObjectStoreOptions {
  /** e.g. `http://127.0.0.1:9000` for s3proxy/MinIO; omit for AWS. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** `true` for s3proxy and MinIO (`http://host/bucket/key` instead of `http://bucket.host/key`). */
  readonly forcePathStyle: boolean;
  /** Multipart part size for putFile; files up to this size are one PutObject. Default 8 MiB, at least 5 MiB. */
  readonly partSize?: number;
  /** Parts uploaded in parallel by putFile. Default 4. */
  readonly queueSize?: number;
  /** ListObjectsV2 page size (MaxKeys), 1–1000. Default 1000. */
  readonly listPageSize?: number;
  /** SDK attempts per request (retries with backoff on throttling and 5xx). Default 3. */
  readonly maxAttempts?: number;
}

/** An S3 failure, with the operation, the object and what to do in the message. */
/** A listed object with its ETag. */
export interface S3ObjectInfo extends ObjectInfo {
  readonly etag: string;
}

export class S3StoreError extends Error {
  constructor(
    message: string,
    /** The S3 error code (`NoSuchKey`, `AccessDenied`, …) or the Node error code (`ECONNREFUSED`). */
    readonly code: string,
    /** The HTTP status, when S3 answered. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'S3StoreError';
  }
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DELETE_BATCH = 1000;

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
  errors?: unknown[];
}

function errorCode(err: unknown): { code: string; status: number | undefined } {
  const e = (err ?? {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  // Connection errors: Node puts the code on the error, or on its cause, or (AggregateError from
  // happy-eyeballs) on the inner errors.
  for (const candidate of [e, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const c = (candidate ?? {}) as AwsLikeError;
    if (typeof c.code === 'string' && /^E[A-Z]+$/.test(c.code)) return { code: c.code, status };
  }
  const code = e.Code ?? (e.name && e.name !== 'Error' && e.name !== 'S3ServiceException' ? e.name : undefined);
  if (code) return { code, status };
  if (status === 404) return { code: 'NotFound', status };
  if (status === 403) return { code: 'AccessDenied', status };
  if (status === 412) return { code: 'PreconditionFailed', status };
  return { code: 'Unknown', status };
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly endpoint: string;
  private readonly accessKeyId: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number;

  constructor(options: S3ObjectStoreOptions) {
    if (!options.bucket) throw new Error('S3ObjectStore: bucket is empty; set S3_BUCKET');
    if (!options.region) throw new Error('S3ObjectStore: region is empty; set S3_REGION (us-east-1 for s3proxy and MinIO)');
    if (!options.credentials?.accessKeyId || !options.credentials.secretAccessKey) {
      throw new Error('S3ObjectStore: credentials are missing; set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
    }
    const partSize = options.partSize ?? 8 * 1024 * 1024;
    if (partSize < MIN_PART_SIZE) throw new Error(`S3ObjectStore: partSize ${partSize} is below S3's minimum part size of 5 MiB`);
    const listPageSize = options.listPageSize ?? 1000;
    if (!Number.isInteger(listPageSize) || listPageSize < 1 || listPageSize > 1000) {
      throw new Error(`S3ObjectStore: listPageSize ${listPageSize} must be an integer from 1 to 1000`);
    }
    this.bucket = options.bucket;
    this.endpoint = options.endpoint ?? `https://s3.${options.region}.amazonaws.com`;
    this.accessKeyId = options.credentials.accessKeyId;
    this.partSize = partSize;
    this.queueSize = options.queueSize ?? 4;
    this.listPageSize = listPageSize;
    this.client = new S3Client({
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      region: options.region,
      credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey },
      forcePathStyle: options.forcePathStyle,
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  /**
   * Reads the settings of `s3Env` from `env`: S3_ENDPOINT (optional), S3_REGION (default
   * us-east-1), S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_FORCE_PATH_STYLE (default:
   * true when S3_ENDPOINT is set). For the CLI and tools; a service reads `s3Env` in its own
   * schema and passes `s3OptionsOf(config)`.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStore {
    return new S3ObjectStore({ ...s3OptionsOf(parseS3Env(env)), ...overrides });
  }

  /**
   * Checks that the bucket exists and the credentials may use it (HeadBucket), for readiness
   * probes and startup: throws an S3StoreError saying which setting to fix.
   */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      // HeadBucket answers without a body: 404 means the bucket, not an object, is missing.
      const { status } = errorCode(err);
      const e = status === 404 ? Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }) : err;
      throw this.fail('HeadBucket of', '', e);
    }
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    checkKey(key);
    try {
      await stat(localPath);
    } catch (cause) {
      throw new Error(`cannot upload ${localPath} to ${this.describe(key)}: ${(cause as Error).message}`, { cause });
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: createReadStream(localPath) },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      throw this.fail('upload of', key, err, ` from ${localPath}`);
    }
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    checkKey(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: toBuffer(body) }));
    } catch (err) {
      throw this.fail('PutObject', key, err);
    }
  }

  /**
   * Writes the object only if the key holds none (`If-None-Match: *`). Returns false when it already
   * exists (412): the first writer wins, exactly once, on S3, MinIO and s3proxy ≥ 4.0.
   * A 409 (AWS: a concurrent conditional write is in flight) is retried until one answer is final.
   */
  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    checkKey(key);
    const bytes = toBuffer(body);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, IfNoneMatch: '*' }));
        return true;
      } catch (err) {
        const { code, status } = errorCode(err);
        if (status === 412 || code === 'PreconditionFailed') return false;
        if ((status === 409 || code === 'ConditionalRequestConflict') && attempt < 5) {
          await new Promise((r) => setTimeout(r, 50 * attempt));
          continue;
        }
        throw this.fail('conditional PutObject (If-None-Match) of', key, err);
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  /** Size and ETag of an object (HeadObject), null when there is none. A multipart ETag ends in `-<parts>`. */
  async head(key: string): Promise<{ bytes: number; etag: string } | null> {
    checkKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: res.ContentLength ?? 0, etag: res.ETag ?? '' };
    } catch (err) {
      const { code, status } = errorCode(err);
      if (status === 404 && code !== 'NoSuchBucket') return null;
      throw this.fail('HeadObject', key, err);
    }
  }

  async get(key: string): Promise<Buffer> {
    checkKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) return Buffer.alloc(0);
      const bytes = await res.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      throw this.fail('GetObject', key, err);
    }
  }

  /** CopyObject inside the bucket (one request, up to 5 GB: snapshot files are far below). */
  async copy(fromKey: string, toKey: string): Promise<void> {
    checkKey(fromKey);
    checkKey(toKey);
    try {
      const source = `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: source }));
    } catch (err) {
      throw this.fail('CopyObject', fromKey, err, ` to ${toKey}`);
    }
  }

  /** Streams the object to `localPath` through a temp file and a rename: a reader never sees half a file. */
  async getFile(key: string, localPath: string): Promise<void> {
    checkKey(key);
    await mkdir(dirname(localPath), { recursive: true });
    const tmp = `${localPath}.tmp-${process.pid}-${Date.now().toString(36)}`;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = res.Body;
      if (body === undefined) await pipeline(Readable.from([]), createWriteStream(tmp));
      else await pipeline(body as Readable, createWriteStream(tmp));
      await rename(tmp, localPath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw this.fail('download of', key, err, ` to ${localPath}`);
    }
  }

  /** Every object whose key starts with `prefix`, sorted by key (ListObjectsV2, all pages). */
  async list(prefix: string): Promise<ObjectInfo[]> {
    return (await this.listWithETags(prefix)).map((o) => ({ key: o.key, bytes: o.bytes }));
  }

  /**
   * `list` with each object's ETag, from the same listing (no request per object): a changed ETag
   * tells a watcher that an object was overwritten. A multipart ETag ends in `-<parts>`.
   */
  async listWithETags(prefix: string): Promise<S3ObjectInfo[]> {
    const out: S3ObjectInfo[] = [];
    let token: string | undefined;
    do {
      let res;
      try {
        res = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: this.listPageSize,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (err) {
        throw this.fail('ListObjectsV2 of prefix', prefix, err);
      }
      for (const o of res.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, bytes: o.Size ?? 0, etag: o.ETag ?? '' });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
      if (res.IsTruncated && !token) {
        throw new S3StoreError(
          `ListObjectsV2 of ${this.describe(prefix)} at ${this.endpoint} said the listing is truncated but gave no continuation token; the store does not implement ListObjectsV2 pagination`,
          'NoContinuationToken',
          undefined,
        );
      }
    } while (token);
    // S3 lists in UTF-8 byte order; the port promises the same order as FolderObjectStore (JS string order).
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Deletes objects (DeleteObjects, 1000 keys per request). Deleting a missing key is not an error. */
  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const chunk = keys.slice(i, i + DELETE_BATCH);
      let res;
      try {
        res = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
        );
      } catch (err) {
        throw this.fail('DeleteObjects of', chunk[0] ?? '', err, ` and ${chunk.length - 1} more keys`);
      }
      const failed = res.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new S3StoreError(
          `DeleteObjects could not delete ${failed.length} of ${chunk.length} keys, first ${this.describe(first?.Key ?? '?')}: ${first?.Code ?? '?'} ${first?.Message ?? ''}`.trim(),
          first?.Code ?? 'Unknown',
          undefined,
        );
      }
    }
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  private fail(op: string, key: string, err: unknown, extra = ''): S3StoreError {
    const { code, status } = errorCode(err);
    const where = `${this.describe(key)}${extra}`;
    const raw = (err as AwsLikeError | undefined)?.message ?? String(err);
    let advice: string;
    switch (code) {
      case 'InvalidAccessKeyId':
      case 'SignatureDoesNotMatch':
      case 'InvalidClientTokenId':
      case 'ExpiredToken':
        advice = `the store at ${this.endpoint} refused the credentials (access key id "${this.accessKeyId}"); check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY`;
        break;
      case 'AccessDenied':
      case 'Forbidden':
        advice = `access denied at ${this.endpoint} for access key id "${this.accessKeyId}"; check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY and that this identity may use bucket ${this.bucket}`;
        break;
      case 'NoSuchBucket':
        advice = `bucket ${this.bucket} does not exist at ${this.endpoint}; check S3_BUCKET or create the bucket (pnpm stack:up creates it locally)`;
        break;
      case 'NoSuchKey':
      case 'NotFound':
        advice = 'no such object';
        break;
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ECONNRESET':
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
        advice = `cannot reach the S3 endpoint ${this.endpoint} (${code}); check S3_ENDPOINT, or start the local services with pnpm stack:up and source .stack/env`;
        break;
      case 'InternalError':
        advice =
          `the store answered 500 InternalError (${raw}); on s3proxy's filesystem provider this happens when a key is both an object and a prefix of other keys (a and a/b): choose keys where no key is a folder of another`;
        break;
      default:
        advice = `${code}${status !== undefined ? ` (HTTP ${status})` : ''}: ${raw}`;
    }
    return new S3StoreError(`S3 ${op} ${where} failed: ${advice}`, code, status, { cause: err });
  }
}

function checkKey(key: string): void {
  if (key === '' || key.startsWith('/')) throw new Error(`object key "${key}" must be non-empty and must not start with '/'`);
}

function toBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
