import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Config } from "../../config.js";
import { createLocalStorage } from "./local.js";

/**
 * Private file storage: bytes that are never reachable by URL and leave only
 * after the application has authorized the caller. Keys are random and chosen
 * here, never derived from what a client sent, so no upload can name a path.
 *
 * The local-disk implementation keeps files under `config.privateDir`, the
 * folder Nginx serves at `/_protected/` for X-Accel-Redirect. An S3-compatible
 * implementation fits the same type: `put` becomes a multipart upload, `open`
 * a GetObject stream, and `internalPath` returns null (the route then streams,
 * or redirects to a presigned URL).
 */
export type ObjectStorage = {
  readonly kind: string;
  /** Writes the stream under `key`; at most `maxBytes` (a larger body fails and leaves nothing behind). */
  put(key: string, body: Readable, options: { maxBytes: number }): Promise<{ size: number }>;
  /** The stored bytes; throws `StorageNotFoundError` when there are none. */
  open(key: string): Promise<{ stream: Readable; size: number }>;
  /** Removes the object; a missing object is not an error (deletes are idempotent). */
  delete(key: string): Promise<void>;
  /** The path under the private root for `X-Accel-Redirect`, or null when the bytes are not on the proxy's disk. */
  internalPath(key: string): string | null;
};

export class StorageNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored object ${key}`);
    this.name = "StorageNotFoundError";
  }
}

export class StorageLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The body is larger than ${maxBytes} bytes`);
    this.name = "StorageLimitError";
  }
}

/** Keys are `area/yyyy/mm/<32 hex>`: random, short, safe as a path on every file system. */
export const STORAGE_KEY = /^[a-z0-9-]+\/\d{4}\/\d{2}\/[0-9a-f]{32}$/;

export function newStorageKey(area: string, now = new Date()): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, "0");
  return `${area}/${now.getUTCFullYear()}/${month}/${randomBytes(16).toString("hex")}`;
}

export function assertStorageKey(key: string): void {
  if (!STORAGE_KEY.test(key)) throw new Error(`Not a storage key: ${key}`);
}

const instances = new Map<string, ObjectStorage>();

/** The private storage for a configuration (one instance per root, shared by every request). */
export function privateStorage(config: Pick<Config, "privateDir">): ObjectStorage {
  let storage = instances.get(config.privateDir);
  if (!storage) {
    storage = createLocalStorage(config.privateDir);
    instances.set(config.privateDir, storage);
  }
  return storage;
}
