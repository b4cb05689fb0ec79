/** Things the browser tests hand to the app or read from the server: images to upload, SMS codes. */
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { env } from "./harness.js";

/** CRC-32 of PNG chunks (ISO 3309), bit by bit: small and dependency-free. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG, written by hand: `size`×`size` pixels of one RGB colour. */
export function tinyPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  // Each row: filter byte 0, then RGB triples.
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Waits for the console SMS backend's line for `phone` in the server log; returns the code. */
export async function waitForSmsCode(phone: string, timeoutMs = 20_000): Promise<string> {
  const pattern = new RegExp(`SMS to ${phone.replace("+", "\\+")}: Your Cairn code is (\\d{6})`, "g");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let text = "";
    try {
      text = readFileSync(env.logFile, "utf8");
    } catch {
      // the log file appears with the first line
    }
    const codes = [...text.matchAll(pattern)].map((match) => match[1] ?? "");
    const last = codes.at(-1);
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `No SMS to ${phone} in ${env.logFile} within ${timeoutMs / 1000} s (the server must log at level info).`,
  );
}
