import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore, S3StoreError } from '@padan/s3';
import type { S3ObjectStoreOptions } from '@padan/s3';

// Integration test against a real S3-compatible store (s3proxy from `pnpm stack:up`, MinIO, AWS).
// Every key lives under a prefix unique to this run, deleted at the end.

function s3Options(): S3ObjectStoreOptions {
  const env = process.env;
  const missing = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((n) => !env[n]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not set: this test needs a real S3-compatible store; start the services with pnpm stack:up and source .stack/env, or run the suite through .ci/run`,
    );
  }
  return {
    endpoint: env.S3_ENDPOINT as string,
    region: env.S3_REGION || 'us-east-1',
    bucket: env.S3_BUCKET as string,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID as string, secretAccessKey: env.S3_SECRET_ACCESS_KEY as string },
    forcePathStyle: true,
  };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

describe('S3ObjectStore against a real S3-compatible store', () => {
  const prefix = `test-runs/s3-object-store-${randomUUID()}/`;
  let store: S3ObjectStore;
  let dir: string;

  beforeAll(async () => {
    store = new S3ObjectStore(s3Options());
    dir = await mkdtemp(join(tmpdir(), 'padan-s3-test-'));
  });

  afterAll(async () => {
    if (store) {
      const left = await store.list(prefix);
      await store.delete(left.map((o) => o.key));
      expect(await store.list(prefix)).toEqual([]);
      store.destroy();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('puts and gets strings and buffers, describes keys as s3:// URLs and tells whether a key exists', async () => {
    const text = `${prefix}basic/period=2021-09/ringkasan β.json`;
    const bin = `${prefix}basic/bin`;
    const bytes = randomBytes(70_000);
    await store.put(text, '{"nik":"1571010101900001","nama":"SITI ÄISYAH"}');
    await store.put(bin, bytes);
    expect((await store.get(text)).toString('utf8')).toBe('{"nik":"1571010101900001","nama":"SITI ÄISYAH"}');
    expect(sha256(await store.get(bin))).toBe(sha256(bytes));
    await store.put(`${prefix}basic/empty`, '');
    expect((await store.get(`${prefix}basic/empty`)).length).toBe(0);

    expect(store.describe(bin)).toBe(`s3://${s3Options().bucket}/${bin}`);
    expect(await store.exists(bin)).toBe(true);
    expect(await store.exists(`${prefix}basic/missing`)).toBe(false);

    // Overwrite is allowed for put.
    await store.put(bin, 'second');
    expect((await store.get(bin)).toString()).toBe('second');
  });

  it('lists every key under a prefix across pages, sorted, with sizes (MaxKeys 7 → 4 pages)', async () => {
    const paged = new S3ObjectStore({ ...s3Options(), listPageSize: 7 });
    try {
      const keys = Array.from({ length: 25 }, (_, i) => `${prefix}paged/part-${String(i).padStart(3, '0')}.jsonl`);
      await mapLimit(keys, 8, (k) => paged.put(k, 'x'.repeat(k.length)));
      // A key that shares the prefix string but not the "folder" must be listed too (prefixes are strings).
      await paged.put(`${prefix}paged-other`, 'o');
      const listed = await paged.list(`${prefix}paged/`);
      expect(listed.map((o) => o.key)).toEqual(keys);
      expect(listed.map((o) => o.bytes)).toEqual(keys.map((k) => k.length));
      expect((await paged.list(`${prefix}paged`)).length).toBe(26);
      expect(await paged.list(`${prefix}paged/part-02`)).toHaveLength(5);
      expect(await paged.list(`${prefix}nothing-here/`)).toEqual([]);
    } finally {
      paged.destroy();
    }
  });

  it('lists more than 1000 keys with the default page size', async () => {
    const keys = Array.from({ length: 1013 }, (_, i) => `${prefix}many/k${String(i).padStart(5, '0')}`);
    await mapLimit(keys, 16, (k) => store.put(k, ''));
    const listed = await store.list(`${prefix}many/`);
    expect(listed).toHaveLength(1013);
    expect(listed[0]?.key).toBe(keys[0]);
    expect(listed.at(-1)?.key).toBe(keys.at(-1));
    await store.delete(keys);
    expect(await store.list(`${prefix}many/`)).toEqual([]);
  });

  it('uploads a 20 MB file in parts and downloads it to disk unchanged', async () => {
    const src = join(dir, 'big.bin');
    const data = randomBytes(20 * 1000 * 1000);
    await writeFile(src, data);
    const key = `${prefix}files/big.bin`;
    await store.putFile(key, src);

    const head = await store.head(key);
    expect(head?.bytes).toBe(data.length);
    // 20 MB in 8 MiB parts: a multipart ETag "<md5 of md5s>-3".
    expect(head?.etag).toMatch(/-3"?$/);
    expect(await store.list(`${prefix}files/big`)).toEqual([{ key, bytes: data.length }]);

    const dst = join(dir, 'out', 'nested', 'big.bin');
    await store.getFile(key, dst);
    expect((await stat(dst)).size).toBe(data.length);
    expect(sha256(await readFile(dst))).toBe(sha256(data));
  });

  it('uploads small and empty files with a single PutObject', async () => {
    const small = join(dir, 'small.csv');
    await writeFile(small, 'NIK,NAMA\n1571010101900001,SITI\n');
    await store.putFile(`${prefix}files/small.csv`, small);
    const head = await store.head(`${prefix}files/small.csv`);
    expect(head?.etag).not.toMatch(/-\d+"?$/);
    expect(await store.head(`${prefix}files/none.csv`)).toBeNull();
    expect((await store.get(`${prefix}files/small.csv`)).toString()).toBe('NIK,NAMA\n1571010101900001,SITI\n');

    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    await store.putFile(`${prefix}files/empty.csv`, empty);
    const dst = join(dir, 'empty-out.csv');
    await store.getFile(`${prefix}files/empty.csv`, dst);
    expect((await stat(dst)).size).toBe(0);
  });

  it('putIfAbsent writes once: the second call returns false and leaves the object unchanged', async () => {
    const key = `${prefix}claims/landing-abc.claim`;
    expect(await store.putIfAbsent(key, 'first')).toBe(true);
    expect(await store.putIfAbsent(key, 'second')).toBe(false);
    expect((await store.get(key)).toString()).toBe('first');

    // Concurrent claims of one new key: exactly one winner.
    for (let round = 0; round < 5; round++) {
      const contested = `${prefix}claims/race-${round}.claim`;
      const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIfAbsent(contested, `writer ${i}`)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await store.get(contested)).toString()).toBe(`writer ${wins.indexOf(true)}`);
    }
  });

  it('names the bucket and key of a missing object', async () => {
    const key = `${prefix}nope/missing.json`;
    const err = await store.get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3StoreError);
    expect((err as S3StoreError).code).toBe('NoSuchKey');
    expect((err as Error).message).toContain(`s3://${s3Options().bucket}/${key}`);
    const fileErr = await store.getFile(key, join(dir, 'missing.json')).catch((e: unknown) => e);
    expect((fileErr as Error).message).toContain(`s3://${s3Options().bucket}/${key}`);
    await expect(stat(join(dir, 'missing.json'))).rejects.toThrow();
  });

  it('says which variables to check when the credentials are wrong, without printing the secret', async () => {
    const secret = `wrong-secret-${randomUUID()}`;
    const bad = new S3ObjectStore({ ...s3Options(), credentials: { accessKeyId: s3Options().credentials.accessKeyId, secretAccessKey: secret }, maxAttempts: 1 });
    try {
      const err = (await bad.put(`${prefix}denied`, 'x').catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(S3StoreError);
      expect(err.message).toContain('check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY');
      expect(err.message).toContain(`${prefix}denied`);
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err)).not.toContain(secret);
      const listErr = (await bad.list(prefix).catch((e: unknown) => e)) as Error;
      expect(listErr.message).toContain('check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY');
      expect(listErr.message).not.toContain(secret);
    } finally {
      bad.destroy();
    }
    const unknownId = new S3ObjectStore({ ...s3Options(), credentials: { accessKeyId: 'nobody', secretAccessKey: secret }, maxAttempts: 1 });
    try {
      const err = (await unknownId.get(`${prefix}x`).catch((e: unknown) => e)) as Error;
      expect(err.message).toContain('check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY');
      expect(err.message).not.toContain(secret);
    } finally {
      unknownId.destroy();
    }
  });

  it('is configured from the S3_* variables that pnpm stack:up prints', async () => {
    const fromEnv = S3ObjectStore.fromEnv();
    try {
      await fromEnv.checkBucket();
      await fromEnv.put(`${prefix}env/ok`, 'ok');
      expect((await store.get(`${prefix}env/ok`)).toString()).toBe('ok');
    } finally {
      fromEnv.destroy();
    }
    expect(() => S3ObjectStore.fromEnv({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY not set/);
  });

  it('says what to do when the endpoint is unreachable or the bucket is missing', async () => {
    const down = new S3ObjectStore({ ...s3Options(), endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    try {
      const err = (await down.get(`${prefix}x`).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(S3StoreError);
      expect(err.message).toContain('S3_ENDPOINT');
      expect(err.message).toContain('http://127.0.0.1:1');
    } finally {
      down.destroy();
    }
    const noBucket = new S3ObjectStore({ ...s3Options(), bucket: `padan-missing-${randomUUID().slice(0, 8)}`, maxAttempts: 1 });
    try {
      const err = (await noBucket.put('k', 'x').catch((e: unknown) => e)) as S3StoreError;
      expect(err.code).toBe('NoSuchBucket');
      expect(err.message).toContain('S3_BUCKET');
      const headErr = (await noBucket.checkBucket().catch((e: unknown) => e)) as S3StoreError;
      expect(headErr.code).toBe('NoSuchBucket');
      expect(headErr.message).toContain('S3_BUCKET');
    } finally {
      noBucket.destroy();
    }
  });
});
