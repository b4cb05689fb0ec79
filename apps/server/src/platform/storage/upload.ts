import { unsafeTextReason } from "@cairn/shared";
import type { Multipart } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { finished, PassThrough, type Readable } from "node:stream";
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../errors.js";
import { ACCEPTED_FILE_TYPES, detectFileType, peekStream } from "./sniff.js";
import { newStorageKey, StorageLimitError, type ObjectStorage } from "./storage.js";

/**
 * One file from a multipart request, as every upload route receives it: the field is
 * named `file`, there is exactly one, and its bytes are streamed (never held whole).
 * The caller reads `stream`, then calls `finish()`, which reads the rest of the body
 * and refuses a second file: a request with two is a 400, not the first one in silence.
 */
export type Upload = {
  filename: string;
  stream: Readable;
  /** True when the parser stopped at the size limit. */
  truncated: () => boolean;
  /** Reads what follows the file; throws a 400 when another file comes after it. */
  finish: () => Promise<void>;
  /** The form's text fields, in whatever order they came: those before the file at once, the rest after `finish()`. */
  fields: Record<string, string>;
};

const FIELD = "file";
const oneFileOnly = () => new ValidationError([{ path: FIELD, message: "Send one file per request." }], "The request carries more than one file.");

const malformed = () => new ValidationError([{ path: FIELD, message: "The multipart body could not be read." }], "The multipart body is malformed or incomplete.");

function unreadable(error: unknown): never {
  if (error instanceof AppError) throw error;
  const code = (error as { code?: string }).code;
  if (code === "FST_FILES_LIMIT") throw oneFileOnly();
  if (error instanceof Error && "statusCode" in error) throw error;
  throw malformed();
}

export async function receiveFile(request: FastifyRequest, options: { maxBytes: number; what?: string }): Promise<Upload> {
  if (!request.isMultipart()) throw new UnsupportedMediaTypeError(`Send the ${options.what ?? "file"} as multipart/form-data in a field named ${FIELD}.`);
  const parts = request.parts({ limits: { fileSize: options.maxBytes, files: 2, fields: 10, parts: 12 } });
  const iterator = parts[Symbol.asyncIterator]();
  const next = (): Promise<IteratorResult<Multipart>> => iterator.next().catch(unreadable);
  const fields: Record<string, string> = {};
  const keep = (part: Multipart) => {
    if (part.type === "field" && typeof part.value === "string") fields[part.fieldname] = part.value;
  };
  for (;;) {
    const result = await next();
    if (result.done) throw new ValidationError([{ path: FIELD, message: `Attach the ${options.what ?? "file"} in a field named ${FIELD}.` }]);
    const part: Multipart = result.value;
    if (part.type !== "file") {
      keep(part);
      continue;
    }
    if (part.fieldname !== FIELD) {
      part.file.resume();
      throw new ValidationError([{ path: FIELD, message: `Attach the ${options.what ?? "file"} in a field named ${FIELD}.` }]);
    }
    const reason = unsafeTextReason(part.filename);
    if (reason) {
      part.file.resume();
      throw new ValidationError([{ path: `${FIELD}.filename`, message: reason }]);
    }
    const file = part.file;
    // The parser's own failures reach the reader as a 400, the size limit keeps its 413. A body
    // cut short (no closing boundary) leaves the parser's stream closed without an end or an
    // error: `finished` reports that as a premature close, so the reader never waits for ever.
    const stream = new PassThrough();
    finished(file, (error) => {
      if (error) stream.destroy("statusCode" in error ? error : malformed());
    });
    file.pipe(stream);
    return {
      filename: part.filename,
      stream,
      truncated: () => file.truncated,
      fields,
      async finish() {
        let extra = false;
        for (;;) {
          const following = await next();
          if (following.done) break;
          const rest: Multipart = following.value;
          if (rest.type === "file") {
            extra = true;
            rest.file.resume();
          } else keep(rest);
        }
        if (extra) throw oneFileOnly();
      },
    };
  }
}

/** An empty upload is refused as such, before its type is judged. */
export function emptyFileError(what = "file"): ValidationError {
  return new ValidationError([{ path: FIELD, message: `The ${what} is empty.` }], `The ${what} is empty (0 bytes).`);
}

/**
 * What an upload may be, judged from its first bytes:
 * - `images`: PNG, JPEG or WebP (what a browser shows and what sharp re-encodes);
 * - `documents`: the types `detectFileType` knows (ACCEPTED_FILE_TYPES), anything else is a 415;
 * - `any`: every file; what is not a known type is stored as `application/octet-stream`.
 */
export type UploadAccept = "images" | "documents" | "any";

/** An upload once stored: where, how big, its type from the content, and the name it came with (metadata only). */
export type StoredUpload = { key: string; size: number; contentType: string; originalName: string };

export type StoreOptions = {
  storage: ObjectStorage;
  /** The first segment of the random storage key (`projects`, `avatars`, `attachments`). */
  area: string;
  maxBytes: number;
  accept: UploadAccept;
  /** How messages name the upload: "The image is empty." (default "file"). */
  what?: string;
  /** How the size refusal names it: "An avatar is at most 5 MB." (default `what`). */
  noun?: string;
};

/** Bytes read before the type is judged: every signature `detectFileType` knows fits, and enough text to tell. */
const SNIFF_BYTES = 4096;
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);
export const OCTET_STREAM = "application/octet-stream";

/** The content type an upload is stored with, or null when `accept` refuses what its first bytes are. */
export function acceptedType(head: Buffer, originalName: string, accept: UploadAccept): string | null {
  const detected = detectFileType(head, originalName)?.contentType ?? null;
  if (accept === "any") return detected ?? OCTET_STREAM;
  if (accept === "images") return detected && IMAGE_TYPES.has(detected) ? detected : null;
  return detected;
}

function refusal(accept: UploadAccept): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    accept === "images"
      ? "The file is not a PNG, JPEG or WebP image."
      : `This file type is not accepted. Accepted: ${ACCEPTED_FILE_TYPES}.`,
  );
}

/** A size limit as people read it: "25 MB", "64 KB". */
export function sizeLimit(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

/** The name a file was uploaded with, kept as metadata only: no folders, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .trim()
    .slice(0, 255);
  return clean || "file";
}

/**
 * The one upload pipeline: the file of `receiveFile` is streamed to private
 * storage under a new random key, stopped at `maxBytes` while it streams
 * (413), typed from its first bytes (415 when `accept` refuses them), and
 * its name cleaned and kept as metadata only. An empty file is a 400 and a
 * second file in the request too. Whatever refuses the upload leaves nothing
 * stored; once it returns, the caller owns the key (and deletes it when its
 * own work fails).
 */
export async function storeUpload(upload: Upload, options: StoreOptions): Promise<StoredUpload> {
  const { storage, maxBytes, accept } = options;
  const what = options.what ?? "file";
  const noun = options.noun ?? what;
  const tooLarge = () =>
    new PayloadTooLargeError(
      `${/^[aeiou]/i.test(noun) ? "An" : "A"} ${noun} is at most ${sizeLimit(maxBytes)}.`,
    );
  const { head, stream } = await peekStream(upload.stream, SNIFF_BYTES);
  if (head.length === 0) {
    await upload.finish();
    throw emptyFileError(what);
  }
  const contentType = acceptedType(head, upload.filename, accept);
  if (!contentType) {
    stream.resume();
    throw refusal(accept);
  }
  const key = newStorageKey(options.area);
  let size: number;
  try {
    ({ size } = await storage.put(key, stream, { maxBytes }));
  } catch (error) {
    throw error instanceof StorageLimitError ? tooLarge() : error;
  }
  try {
    // The parser stops at the limit without an error: a cut file is as refused as a long one.
    if (upload.truncated()) throw tooLarge();
    await upload.finish();
  } catch (error) {
    await storage.delete(key);
    throw error;
  }
  return { key, size, contentType, originalName: cleanFileName(upload.filename) };
}
