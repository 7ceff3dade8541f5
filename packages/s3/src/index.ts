export { S3ObjectStore, S3StoreError } from './s3-object-store.js';
export type { S3ObjectInfo, S3ObjectStoreOptions } from './s3-object-store.js';
export { s3Env, s3OptionsOf, parseS3Env } from './s3-env.js';
export type { S3Env } from './s3-env.js';
