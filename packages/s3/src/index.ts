export { S3ObjectStore, S3StoreError } from './s3-object-store.js';
export type { S3ObjectInfo, S3ObjectStoreOptions } from './s3-object-store.js';
