import sharp from "sharp";
import { PayloadTooLargeError, UnsupportedMediaTypeError } from "../../platform/errors.js";

/** Largest upload accepted, before re-encoding. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** Stored avatars are square images of this many pixels a side. */
export const AVATAR_SIZE = 512;
/** Bounds the memory a small but hugely dimensioned file (a decompression bomb) could claim. */
const MAX_INPUT_PIXELS = 40_000_000;

export type ImageKind = "png" | "jpeg" | "webp";

const ACCEPTED = "PNG, JPEG or WebP";

/**
 * What the bytes are, from their signature only: the file name and the
 * declared content type are the client's word, the bytes are not.
 */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const starts = (offset: number, signature: number[]) => signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts(0, [0xff, 0xd8, 0xff])) return "jpeg";
  // RIFF....WEBP
  if (starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50])) return "webp";
  return null;
}

/**
 * Decodes the upload and encodes a fresh square WebP from its pixels: what is
 * stored holds no metadata (EXIF, GPS), no trailing payload and nothing the
 * browser could read as anything but an image.
 */
export async function normalizeAvatar(bytes: Buffer): Promise<Buffer> {
  const kind = sniffImage(bytes);
  if (!kind) throw new UnsupportedMediaTypeError(`The file is not a ${ACCEPTED} image.`);
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", animated: false });
    const { format } = await image.metadata();
    if (format !== kind) throw new UnsupportedMediaTypeError(`The file is not a ${ACCEPTED} image.`);
    return await image
      .autoOrient()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch (error) {
    if (error instanceof UnsupportedMediaTypeError) throw error;
    const message = error instanceof Error ? error.message : "";
    if (/pixel limit/i.test(message)) throw new PayloadTooLargeError("The image has too many pixels; use one under 40 megapixels.");
    throw new UnsupportedMediaTypeError(`The file could not be read as a ${ACCEPTED} image.`);
  }
}
