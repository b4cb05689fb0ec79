import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@cairn/shared";
import type { FieldError } from "../errors.js";

/**
 * argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane). @node-rs/argon2
 * hashes on libuv's thread pool, so hashing never blocks the event loop.
 */
const ARGON2ID = 2 as Algorithm;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * At most (cores - 1) hashes at once, so a burst of sign-ins can never take
 * every core from the event loop: requests keep being answered while the
 * queue of logins drains.
 */
const HASH_SLOTS = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, options));
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // An account without a password still costs one verification, so timing does not tell it apart.
  const target = passwordHash ?? (await dummyHash);
  try {
    const matches = await withHashSlot(() => verify(target, password));
    return passwordHash !== null && matches;
  } catch {
    return false;
  }
}

const dummyHash = hashPassword("cairn-timing-equaliser-not-a-password");

/** The 10,000 most common passwords (from zxcvbn-ts's frequency list, MIT). */
const commonPasswords = new Set(
  readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean),
);

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}

/** Similarity of two strings in [0, 1], from the Levenshtein distance. */
function similarity(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  const distance = previous[b.length] ?? 0;
  return 1 - distance / Math.max(a.length, b.length);
}

/**
 * Django's validators, in one: length, not common, not all digits, not too
 * like the username or the email. Returns field errors for `path`.
 */
export function checkPasswordPolicy(
  password: string,
  attributes: { username?: string | null; email?: string | null },
  path = "password",
): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    errors.push({ path, message: `At least ${PASSWORD_MIN_LENGTH} characters.` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    errors.push({ path, message: `At most ${PASSWORD_MAX_LENGTH} characters.` });
  }
  if (isCommonPassword(password)) errors.push({ path, message: "This password is too common." });
  if (/^\d+$/.test(password)) errors.push({ path, message: "This password is entirely numeric." });
  const lowered = password.toLowerCase();
  const values = [attributes.username, attributes.email, attributes.email?.split("@")[0]];
  for (const value of values) {
    if (!value || value.length < 3) continue;
    const attribute = value.toLowerCase();
    if (lowered.includes(attribute) || attribute.includes(lowered) || similarity(lowered, attribute) >= 0.7) {
      errors.push({ path, message: "This password is too similar to your username or email." });
      break;
    }
  }
  return errors;
}
