import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { users } from "../accounts/index.js";
import { DIGEST_DEFAULTS, notifyingKinds, saveSettings, settingsOf } from "./notifications.preferences.js";

/**
 * Unsubscribe links that work without signing in: a token naming the user and
 * the kinds of one email, signed with a key derived from SECRET_KEY, valid 90
 * days. Presented (POST, as RFC 8058's one-click `List-Unsubscribe-Post` does),
 * it turns those kinds' email off; nothing else is reachable with it.
 */
const TTL_SECONDS = 90 * 24 * 60 * 60;

/** Kinds of email that are not events: the digests. */
export const DIGEST_KINDS = { "digest.daily": "Daily digest", "digest.weekly": "Weekly summary" } as const;

type Claims = { u: string; k: string[]; e: number };

const keyOf = (secret: string) =>
  createHmac("sha256", secret).update("cairn:notifications:unsubscribe").digest();
const sign = (secret: string, body: string) =>
  createHmac("sha256", keyOf(secret)).update(body).digest("base64url");

export function unsubscribeToken(secret: string, userId: string, kinds: string[], now = new Date()): string {
  const body = Buffer.from(
    JSON.stringify({
      u: userId,
      k: kinds,
      e: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
    } satisfies Claims),
  ).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

export class UnsubscribeLinkError extends AppError {
  constructor(reason: "invalid" | "expired") {
    super(
      400,
      reason === "expired" ? "link_expired" : "invalid_link",
      reason === "expired" ? "Link expired" : "Invalid link",
      reason === "expired"
        ? "This unsubscribe link has expired: sign in and change your notification preferences instead."
        : "This unsubscribe link is not valid: it may have been cut or changed.",
    );
  }
}

/** The user and kinds of a token; tampered or expired tokens throw (400). */
export function readUnsubscribeToken(
  secret: string,
  token: string,
  now = new Date(),
): { userId: string; kinds: string[] } {
  const [body, signature, ...rest] = token.split(".");
  if (!body || !signature || rest.length) throw new UnsubscribeLinkError("invalid");
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new UnsubscribeLinkError("invalid");
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Claims;
  } catch {
    throw new UnsubscribeLinkError("invalid");
  }
  if (typeof claims.u !== "string" || !Array.isArray(claims.k) || typeof claims.e !== "number")
    throw new UnsubscribeLinkError("invalid");
  if (claims.e * 1000 < now.getTime()) throw new UnsubscribeLinkError("expired");
  return { userId: claims.u, kinds: claims.k.filter((kind): kind is string => typeof kind === "string") };
}

export type UnsubscribeView = { kinds: Array<{ kind: string; label: string }> };

function labelled(ctx: Ctx, kinds: string[]): UnsubscribeView {
  const declared = new Map(
    notifyingKinds(ctx.services.events.events).map((kind) => [kind.name, kind.notify.label]),
  );
  const labels: Record<string, string> = { ...DIGEST_KINDS };
  return {
    kinds: kinds.flatMap((kind) =>
      declared.has(kind) || kind in labels
        ? [{ kind, label: declared.get(kind) ?? labels[kind] ?? kind }]
        : [],
    ),
  };
}

/** GET: what a link would stop, without changing anything (mail scanners open links). */
export function describeUnsubscribe(ctx: Ctx, token: string): UnsubscribeView {
  return labelled(ctx, readUnsubscribeToken(ctx.services.config.secretKey, token).kinds);
}

/** POST: the email of the token's kinds is off for its user (in-app stays as it was). */
export async function unsubscribe(ctx: Ctx, token: string): Promise<UnsubscribeView> {
  const { userId, kinds } = readUnsubscribeToken(ctx.services.config.secretKey, token);
  const current = (await settingsOf(ctx.tx, [userId])).get(userId);
  const view = labelled(ctx, kinds);
  const events = { ...(current?.events ?? {}) };
  let daily = current?.dailyDigest ?? DIGEST_DEFAULTS.daily;
  let weekly = current?.weeklyDigest ?? DIGEST_DEFAULTS.weekly;
  for (const { kind } of view.kinds) {
    if (kind === "digest.daily") daily = false;
    else if (kind === "digest.weekly") weekly = false;
    else events[kind] = { ...events[kind], email: "off" };
  }
  // A token of a deleted account changes nothing (the foreign key would refuse the row).
  const [exists] = await ctx.tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!exists) return view;
  await saveSettings(ctx.tx, userId, { dailyDigest: daily, weeklyDigest: weekly, events });
  await recordAudit(ctx, {
    orgId: null,
    action: "notification_preferences.unsubscribed",
    entityType: "user",
    entityId: userId,
    changes: { email: [null, view.kinds.map((item) => item.kind)] },
  });
  return view;
}
