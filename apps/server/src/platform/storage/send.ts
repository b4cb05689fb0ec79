import type { FastifyReply } from "fastify";
import { DETECTED_TYPES } from "./sniff.js";
import type { ObjectStorage } from "./storage.js";

/**
 * The type a stored file is served with: one the content was recognised as,
 * or `application/octet-stream` for anything else (a row from before, a type
 * an owner accepted without knowing it). Never a type a browser would render
 * as a page or run as a script.
 */
export function servedContentType(stored: string): string {
  return DETECTED_TYPES.has(stored) ? stored : "application/octet-stream";
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 8187). */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "download";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends a private file the caller has been authorized to download. Always an
 * attachment with the detected type and `nosniff`, so a browser never renders
 * an upload in the application's origin. With `accelRedirect` (production
 * behind Nginx) Node only answers with `X-Accel-Redirect: /_protected/<key>`
 * and Nginx sends the bytes from DATA_DIR/private; otherwise Node streams them.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  storage: ObjectStorage,
  file: { key: string; contentType: string; filename: string; size: number },
  options: { accelRedirect: boolean },
): Promise<FastifyReply> {
  void reply
    .header("Content-Type", servedContentType(file.contentType))
    .header("Content-Disposition", attachmentDisposition(file.filename))
    .header("X-Content-Type-Options", "nosniff")
    .header("Cache-Control", "private, no-store");
  const internal = options.accelRedirect ? storage.internalPath(file.key) : null;
  if (internal !== null) {
    return reply.header("X-Accel-Redirect", `/_protected/${internal}`).send("");
  }
  const { stream, size } = await storage.open(file.key);
  return reply.header("Content-Length", String(size)).send(stream);
}
