import { PassThrough, type Readable } from "node:stream";

/**
 * File types recognised by their content, never by the name or the
 * Content-Type a client claims. Anything else is refused. Zip containers are
 * told apart (docx, xlsx, pptx, odt) by the name only after the content has
 * proved to be a zip.
 */
export type DetectedType = { contentType: string; extension: string };

const ZIP_FAMILY: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  zip: "application/zip",
};

const TEXT_FAMILY: Record<string, string> = {
  csv: "text/csv",
  md: "text/markdown",
  txt: "text/plain",
  json: "application/json",
};

const startsWith = (head: Buffer, bytes: number[], offset = 0) => bytes.every((byte, index) => head[offset + index] === byte);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** UTF-8 text without NUL or other control bytes (tabs and line breaks aside). */
function looksLikeText(head: Buffer): boolean {
  if (!head.length) return false;
  for (const byte of head) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return false;
  }
  // The head may end inside a multi-byte character: ignore up to 3 trailing bytes.
  for (let trim = 0; trim <= 3 && trim < head.length; trim++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      // try one byte shorter
    }
  }
  return false;
}

export function detectFileType(head: Buffer, originalName: string): DetectedType | null {
  const extension = extensionOf(originalName);
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { contentType: "application/pdf", extension: "pdf" };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: "image/png", extension: "png" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", extension: "jpg" };
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39)) return { contentType: "image/gif", extension: "gif" };
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return { contentType: "image/webp", extension: "webp" };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const family = ZIP_FAMILY[extension] ? extension : "zip";
    return { contentType: ZIP_FAMILY[family] ?? "application/zip", extension: family };
  }
  if (looksLikeText(head)) {
    const family = TEXT_FAMILY[extension] ? extension : "txt";
    return { contentType: TEXT_FAMILY[family] ?? "text/plain", extension: family };
  }
  return null;
}

/** Every content type `detectFileType` may answer: the types a stored file is served with as they are. */
export const DETECTED_TYPES: ReadonlySet<string> = new Set([
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  ...Object.values(ZIP_FAMILY),
  ...Object.values(TEXT_FAMILY),
]);

/** The types `detectFileType` accepts, for error messages and documentation. */
export const ACCEPTED_FILE_TYPES = "PDF, PNG, JPEG, GIF, WebP, ZIP (docx, xlsx, pptx, odt, ods) and UTF-8 text (txt, csv, md, json)";

/**
 * Reads the first `bytes` of a stream without losing them: returns them and a
 * stream that yields everything, head included.
 */
export async function peekStream(source: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) finish();
    };
    const onEnd = () => {
      ended = true;
      finish();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("error", onError);
    };
    const finish = () => {
      cleanup();
      source.pause();
      resolve();
    };
    source.on("data", onData);
    source.once("end", onEnd);
    source.once("error", onError);
  });
  const head = Buffer.concat(chunks);
  const stream = new PassThrough();
  stream.write(head);
  if (ended) stream.end();
  else {
    source.on("error", (error) => stream.destroy(error));
    source.pipe(stream);
  }
  return { head: head.subarray(0, bytes), stream };
}
