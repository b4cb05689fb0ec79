import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, ThrottledError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { findProfile, writeProfile } from "../accounts/index.js";
import { loadPrincipal } from "../access/index.js";
import { editMyProfile, settleOnboarding } from "./onboarding.service.js";

/** A code lives 10 minutes; 5 wrong tries burn it. */
export const CODE_TTL_SECONDS = 600;
export const MAX_WRONG_TRIES = 5;
/** The record outlives its code so an expired code can be told apart from none at all. */
const RECORD_TTL_SECONDS = 3600;

/** Sends per phone number: one per 30 seconds, five per hour; per account, ten per hour. */
export const PHONE_CODE_LIMITS = {
  burst: { name: "phone-code:phone:30s", points: 1, durationSeconds: 30 },
  hourly: { name: "phone-code:phone:1h", points: 5, durationSeconds: 3600 },
  account: { name: "phone-code:user:1h", points: 10, durationSeconds: 3600 },
};

/** What is kept (Redis or memory) while a code is pending: never the code itself. */
export type PendingCode = {
  phone: string;
  nonce: string;
  digest: string;
  expiresAt: number;
  burned?: boolean;
};

export const pendingCodeKey = (userId: string) => `otp:phone:${userId}`;
const triesKey = (nonce: string) => `otp:phone:tries:${nonce}`;
const claimKey = (nonce: string) => `otp:phone:claim:${nonce}`;

/** Keyed by the server secret and bound to the user, the number and this one code. */
function digestCode(secret: string, userId: string, phone: string, nonce: string, code: string): string {
  return createHmac("sha256", secret).update(`${userId}|${phone}|${nonce}|${code}`).digest("hex");
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

const maskPhone = (phone: string) => `…${phone.slice(-4)}`;

async function sendWait(services: Services, phone: string): Promise<number> {
  const { ephemeral } = services;
  const [burst, hourly] = await Promise.all([
    ephemeral.limiter(PHONE_CODE_LIMITS.burst).peek(phone),
    ephemeral.limiter(PHONE_CODE_LIMITS.hourly).peek(phone),
  ]);
  return Math.max(
    burst.allowed ? 0 : burst.retryAfterSeconds,
    hourly.allowed ? 0 : hourly.retryAfterSeconds,
    1,
  );
}

/**
 * POST /api/me/phone/code: sends a 6-digit code to the given number, which
 * becomes the caller's profile number (unverified) when it differs. The code comes from a cryptographic source, is kept only
 * as an HMAC bound to that number, and expires after 10 minutes.
 */
export async function requestPhoneCode(
  ctx: Ctx,
  phone: string,
): Promise<{ phone: string; expiresAt: Date; resendAfterSeconds: number }> {
  const actor = requireUser(ctx.actor);
  let profile = await findProfile(ctx.tx, actor.userId);
  // A new number becomes the profile's, unverified, in the same transaction as the send:
  // a client never has to PATCH the profile first, and a refused send changes nothing.
  if (profile.phone !== phone) profile = await editMyProfile(ctx, { phone });
  if (profile.phoneVerifiedAt)
    throw new ConflictError("This phone number is already verified.", "already_verified");

  const { ephemeral, config, sms } = ctx.services;
  const limiters = {
    burst: ephemeral.limiter(PHONE_CODE_LIMITS.burst),
    hourly: ephemeral.limiter(PHONE_CODE_LIMITS.hourly),
    account: ephemeral.limiter(PHONE_CODE_LIMITS.account),
  };
  const peeks = await Promise.all([
    limiters.burst.peek(phone),
    limiters.hourly.peek(phone),
    limiters.account.peek(actor.userId),
  ]);
  // Checked before spending, so a refused request does not eat into the other budgets.
  const refused = peeks.filter((result) => !result.allowed);
  if (refused.length)
    throw new ThrottledError(
      Math.max(...refused.map((result) => result.retryAfterSeconds)),
      "Too many codes requested for this number.",
    );
  const spent = await Promise.all([
    limiters.burst.consume(phone),
    limiters.hourly.consume(phone),
    limiters.account.consume(actor.userId),
  ]);
  const late = spent.filter((result) => !result.allowed);
  if (late.length)
    throw new ThrottledError(
      Math.max(...late.map((result) => result.retryAfterSeconds)),
      "Too many codes requested for this number.",
    );

  const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
  const nonce = randomBytes(12).toString("base64url");
  const expiresAt = Date.now() + CODE_TTL_SECONDS * 1000;
  const pending: PendingCode = {
    phone,
    nonce,
    digest: digestCode(config.secretKey, actor.userId, phone, nonce, code),
    expiresAt,
  };
  // A new code replaces the previous one, whose tries no longer count.
  await ephemeral.kv.set(pendingCodeKey(actor.userId), JSON.stringify(pending), RECORD_TTL_SECONDS);
  await sms.send(phone, `Your Cairn code is ${code}`);
  await recordAudit(ctx, {
    orgId: null,
    action: "phone.code_sent",
    entityType: "profile",
    entityId: actor.userId,
    changes: { phone: [null, phone] },
  });
  return {
    phone,
    expiresAt: new Date(expiresAt),
    resendAfterSeconds: PHONE_CODE_LIMITS.burst.durationSeconds,
  };
}

export type PhoneVerified = {
  phoneVerified: true;
  verified: boolean;
  roles: string[];
  permissions: string[];
};

/**
 * POST /api/me/phone/verify: checks the pending code. Single use; the fifth
 * wrong try burns it; a code sent to another number than the profile's, or an
 * expired one, is refused. On success the phone is verified and, if that
 * completes the onboarding, the developer is promoted in the same transaction;
 * the answer carries the roles and permissions as they now are.
 */
export async function verifyPhoneCode(ctx: Ctx, code: string): Promise<PhoneVerified> {
  const actor = requireUser(ctx.actor);
  const { kv } = ctx.services.ephemeral;
  const refuse = (message: string) => new ValidationError([{ path: "code", message }], message);
  const raw = await kv.get(pendingCodeKey(actor.userId));
  if (!raw) throw refuse("No code is pending for your phone: ask for a new one.");
  const pending = JSON.parse(raw) as PendingCode;
  const burned = async () => {
    await kv.set(
      pendingCodeKey(actor.userId),
      JSON.stringify({ ...pending, burned: true }),
      RECORD_TTL_SECONDS,
    );
    return new ThrottledError(
      await sendWait(ctx.services, pending.phone),
      `${MAX_WRONG_TRIES} wrong codes: this code no longer works. Ask for a new one.`,
    );
  };
  if (pending.burned) throw await burned();
  if (Date.now() > pending.expiresAt) throw refuse("This code has expired: ask for a new one.");
  const before = await findProfile(ctx.tx, actor.userId);
  if (before.phone !== pending.phone) {
    throw refuse(
      `This code was sent to another number (${maskPhone(pending.phone)}): ask for a code for the number in your profile.`,
    );
  }
  if (Number((await kv.get(triesKey(pending.nonce))) ?? 0) >= MAX_WRONG_TRIES) throw await burned();
  if (
    !sameDigest(
      digestCode(ctx.services.config.secretKey, actor.userId, pending.phone, pending.nonce, code),
      pending.digest,
    )
  ) {
    const tries = await kv.incr(triesKey(pending.nonce), RECORD_TTL_SECONDS);
    if (tries >= MAX_WRONG_TRIES) throw await burned();
    const left = MAX_WRONG_TRIES - tries;
    throw refuse(`Wrong code. ${left} ${left === 1 ? "try" : "tries"} left.`);
  }
  // Single use even under concurrent requests: only the first claim wins.
  if ((await kv.incr(claimKey(pending.nonce), RECORD_TTL_SECONDS)) !== 1)
    throw refuse("This code was already used: ask for a new one.");
  await kv.del(pendingCodeKey(actor.userId), triesKey(pending.nonce));

  await writeProfile(ctx, actor.userId, { phoneVerifiedAt: new Date() });
  await recordAudit(ctx, {
    orgId: null,
    action: "phone.verified",
    entityType: "profile",
    entityId: actor.userId,
    changes: { phoneVerified: [Boolean(before.phoneVerifiedAt), true] },
  });
  await settleOnboarding(ctx, before);
  // Read inside the transaction: the answer already shows a promotion made in it.
  const principal = await loadPrincipal(ctx.tx, actor.userId);
  const orgs = principal?.orgs ?? [];
  return {
    phoneVerified: true,
    verified: orgs.some((org) => org.developerTrack === "verified"),
    roles: [...new Set(orgs.flatMap((org) => org.roles))].sort(),
    permissions: [...new Set(orgs.flatMap((org) => Object.keys(org.grants)))].sort(),
  };
}
