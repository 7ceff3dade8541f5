/**
 * The object store port: S3 in production, a local folder embedded. Keys use `/` separators.
 */
export interface ObjectInfo {
  readonly key: string;
  readonly bytes: number;
}

export interface ObjectStore {
  /** Writes a whole object from a local file (streamed, multipart where the store needs it). Readers see the old object or the new one, never half of one. */
  putFile(key: string, localPath: string): Promise<void>;
  put(key: string, body: Buffer | string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Copies an object to a local file. */
  getFile(key: string, localPath: string): Promise<void>;
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Copies an object inside the store (S3 CopyObject); readers of `toKey` see the old object or the new one. */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Removes objects; a key that does not exist is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** A human-readable location of a key (a path or an s3:// URL) for messages. */
  describe(key: string): string;
}
