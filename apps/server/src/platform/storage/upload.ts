import { unsafeTextReason } from "@cairn/shared";
import type { Multipart } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { finished, PassThrough, type Readable } from "node:stream";
import { AppError, UnsupportedMediaTypeError, ValidationError } from "../errors.js";

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
  for (;;) {
    const result = await next();
    if (result.done) throw new ValidationError([{ path: FIELD, message: `Attach the ${options.what ?? "file"} in a field named ${FIELD}.` }]);
    const part: Multipart = result.value;
    if (part.type !== "file") continue;
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
      async finish() {
        let extra = false;
        for (;;) {
          const following = await next();
          if (following.done) break;
          const rest: Multipart = following.value;
          if (rest.type === "file") {
            extra = true;
            rest.file.resume();
          }
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
