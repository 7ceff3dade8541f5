import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseS3Env, s3Env, s3OptionsOf } from './s3-env.js';

const base = { S3_BUCKET: 'padan', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'hunter2-secret' };

describe('s3Env', () => {
  it('gives a service schema and S3ObjectStore.fromEnv the same defaults: path style with an endpoint, virtual-hosted on AWS', () => {
    // The service schema once defaulted S3_FORCE_PATH_STYLE to true even for AWS, unlike fromEnv.
    const service = z.object(s3Env).parse({ ...base });
    expect(s3OptionsOf(service)).toEqual(s3OptionsOf(parseS3Env(base)));
    expect(s3OptionsOf(service).forcePathStyle).toBe(false);
    expect(s3OptionsOf(service).region).toBe('us-east-1');
    const local = parseS3Env({ ...base, S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(s3OptionsOf(local)).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(s3OptionsOf(parseS3Env({ ...base, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'false' })).forcePathStyle).toBe(false);
  });

  it('names every unset or broken variable and how to fix it, never a value', () => {
    expect(() => parseS3Env({})).toThrow(/S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY not set; start the local services/);
    let msg = '';
    try {
      parseS3Env({ ...base, S3_ENDPOINT: 'not a url', S3_FORCE_PATH_STYLE: 'yes' });
    } catch (e) {
      msg = String(e);
    }
    expect(msg).toMatch(/S3_ENDPOINT: must be a URL/);
    expect(msg).toMatch(/S3_FORCE_PATH_STYLE: true or false/);
    expect(msg).not.toContain('hunter2');
    expect(msg).not.toContain('not a url');
  });
});
