import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";

/**
 * Device cookies (OWASP authentication cheat sheet, "device cookies"): a
 * browser that has signed in to an account carries a signed token naming that
 * account. Failed sign-ins from it are counted on their own, so a stranger's
 * wrong passwords never lock the owner's own browser out. The cookie proves
 * only "this browser signed in as this user before"; it never authenticates.
 */

/** Set on /api/auth only, where @fastify/cookie parses cookies. */
export const DEVICE_COOKIE = "cairn_device";
export const DEVICE_COOKIE_TTL_SECONDS = 365 * 24 * 60 * 60;

/** A shared family computer keeps the trust of a few accounts, the most recent first. */
const MAX_ACCOUNTS_PER_DEVICE = 5;
const ENTRY_SEPARATOR = "~";
// Longer values are not ours: refuse them before splitting or hashing anything.
const MAX_COOKIE_LENGTH = 1024;
const HKDF_INFO = "cairn-device-cookie";

type Entry = { userId: string; nonce: string; signature: string };

/** A key of its own, derived from SECRET_KEY, so a device signature can never pass for an access token's. */
function deviceKey(secretKey: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync("sha256", secretKey, "", HKDF_INFO, 32)));
}

function sign(key: KeyObject, userId: string, nonce: string): Buffer {
  return createHmac("sha256", key).update(`${userId}.${nonce}`).digest();
}

function parseEntries(cookie: string | null | undefined): Entry[] {
  if (!cookie || cookie.length > MAX_COOKIE_LENGTH) return [];
  return cookie
    .split(ENTRY_SEPARATOR)
    .slice(0, MAX_ACCOUNTS_PER_DEVICE)
    .flatMap((part) => {
      const [userId, nonce, signature, ...rest] = part.split(".");
      return userId && nonce && signature && rest.length === 0 ? [{ userId, nonce, signature }] : [];
    });
}

function isGenuine(key: KeyObject, entry: Entry): boolean {
  const expected = sign(key, entry.userId, entry.nonce);
  const given = Buffer.from(entry.signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The device's id for `userId` when the presented cookie carries a genuine
 * entry for that account; null otherwise (no cookie, forged, or another
 * account's), which makes the attempt an untrusted one.
 */
export function trustedDeviceId(secretKey: string, cookie: string | null | undefined, userId: string): string | null {
  const key = deviceKey(secretKey);
  const entry = parseEntries(cookie).find((candidate) => candidate.userId === userId && isGenuine(key, candidate));
  return entry ? entry.nonce : null;
}

/**
 * The cookie value to set after `userId` signed in: a fresh entry for that
 * account first, then the browser's other genuine entries, up to the cap.
 */
export function issueDeviceCookie(secretKey: string, cookie: string | null | undefined, userId: string): string {
  const key = deviceKey(secretKey);
  const nonce = randomBytes(16).toString("base64url");
  const fresh: Entry = { userId, nonce, signature: sign(key, userId, nonce).toString("base64url") };
  const others = parseEntries(cookie).filter((entry) => entry.userId !== userId && isGenuine(key, entry));
  return [fresh, ...others]
    .slice(0, MAX_ACCOUNTS_PER_DEVICE)
    .map((entry) => `${entry.userId}.${entry.nonce}.${entry.signature}`)
    .join(ENTRY_SEPARATOR);
}
