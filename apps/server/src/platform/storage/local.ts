import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertStorageKey, StorageLimitError, StorageNotFoundError, type ObjectStorage } from "./storage.js";

/** Counts bytes and fails the pipeline as soon as there are too many. */
function byteLimit(maxBytes: number, counter: { size: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.size += chunk.length;
      if (counter.size > maxBytes) callback(new StorageLimitError(maxBytes));
      else callback(null, chunk);
    },
  });
}

/**
 * Files on the local disk under `root` (DATA_DIR/private). A write goes to a
 * temporary name and is renamed into place, so a reader never sees half a file
 * and a failed upload leaves nothing.
 */
export function createLocalStorage(root: string): ObjectStorage {
  const resolve = (key: string) => {
    assertStorageKey(key);
    return path.join(root, ...key.split("/"));
  };
  return {
    kind: "local",
    async put(key, body, { maxBytes }) {
      const target = resolve(key);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o750 });
      const partial = `${target}.${randomBytes(4).toString("hex")}.partial`;
      const counter = { size: 0 };
      try {
        await pipeline(body, byteLimit(maxBytes, counter), createWriteStream(partial, { mode: 0o640, flags: "wx" }));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { size: counter.size };
    },
    async open(key) {
      const file = resolve(key);
      try {
        const info = await stat(file);
        return { stream: createReadStream(file), size: info.size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StorageNotFoundError(key);
        throw error;
      }
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
    internalPath(key) {
      assertStorageKey(key);
      return key;
    },
  };
}
