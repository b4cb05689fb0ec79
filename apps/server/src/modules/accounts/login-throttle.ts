import type { Ctx } from "../../platform/context.js";
import type { LimiterOptions, LimitResult } from "../../platform/ephemeral/ephemeral.js";
import { ThrottledError } from "../../platform/errors.js";
import { queueEmail } from "../../platform/mail/outbox.js";

/**
 * Brute-force limits of sign-in, keyed so that an attacker's failures do not
 * lock the owner out. A browser holding a device cookie for the account has a
 * budget of its own; everyone else is counted per (account, address), under a
 * slower ceiling per account that catches attacks spread over many addresses,
 * and the per-address limit across accounts.
 */
export const loginLimits = {
  device: { name: "login:account-device", points: 10, durationSeconds: 15 * 60 },
  source: { name: "login:account-ip", points: 10, durationSeconds: 15 * 60 },
  untrusted: { name: "login:account-untrusted", points: 100, durationSeconds: 60 * 60 },
  ip: { name: "login:ip", points: 100, durationSeconds: 15 * 60 },
} satisfies Record<string, LimiterOptions>;

/** One window per account in which its owner is warned at most once. */
export const ATTACK_WARNING_WINDOW_SECONDS = 60 * 60;

/** `account`: the budget belongs to the target account, so spending it is an attack on that account. */
type Budget = { limit: LimiterOptions; key: string; account: boolean };

/** Where an attempt comes from: its budgets, and `own`, the one a lock or a success is about. */
export type LoginSource = { trusted: boolean; own: Budget; budgets: Budget[] };

/** The account whose password is tried, known or not. */
export type LoginTarget = {
  /** The account id when it exists, so email and username share one count; the typed login otherwise. */
  key: string;
  user: { id: string; email: string; username: string; isActive: boolean } | undefined;
};

/** A trusted device (its id from a genuine device cookie) is judged on its own budget alone. */
export function loginSource(ctx: Ctx, target: LoginTarget, deviceId: string | null): LoginSource {
  if (deviceId) {
    const own = { limit: loginLimits.device, key: `${target.key}:${deviceId}`, account: true };
    return { trusted: true, own, budgets: [own] };
  }
  const ip = ctx.meta.ip ?? "-";
  const own = { limit: loginLimits.source, key: `${target.key}|${ip}`, account: true };
  const ceiling = { limit: loginLimits.untrusted, key: target.key, account: true };
  // The per-address limit spans accounts: its lock is not an attack on this one.
  const address = { limit: loginLimits.ip, key: ip, account: false };
  return { trusted: false, own, budgets: [own, ceiling, address] };
}

/** Refuses (429) before the password is even checked once any budget of the source is spent. */
export async function assertLoginAllowed(ctx: Ctx, source: LoginSource): Promise<void> {
  const { ephemeral } = ctx.services;
  const results = await Promise.all(source.budgets.map((budget) => ephemeral.limiter(budget.limit).peek(budget.key)));
  const blocked = results.filter((result) => !result.allowed);
  if (!blocked.length) return;
  ctx.log.warn({ ip: ctx.meta.ip, trusted: source.trusted }, "login throttled");
  throw new ThrottledError(Math.max(...blocked.map((result) => result.retryAfterSeconds)), "Too many failed sign-in attempts.");
}

/**
 * Counts a failure against every budget of the source. When it locks an
 * existing account for untrusted sources, the owner is told (once per window).
 */
export async function recordLoginFailure(ctx: Ctx, source: LoginSource, target: LoginTarget): Promise<void> {
  const { ephemeral } = ctx.services;
  const spent = await Promise.all(
    source.budgets.map(async (budget) => ({ budget, spent: isSpent(await ephemeral.limiter(budget.limit).consume(budget.key)) })),
  );
  const locked = spent.filter((outcome) => outcome.spent && outcome.budget.account);
  if (source.trusted || !locked.length || !target.user?.isActive) return;
  // Only the ceiling spent: the attempts came from many addresses, this one merely the latest.
  const spread = locked.every((outcome) => outcome.budget !== source.own);
  await warnOwner(ctx, target.user, spread);
}

/** A success clears the count of the source it came from, and only that one. */
export async function recordLoginSuccess(ctx: Ctx, source: LoginSource): Promise<void> {
  await ctx.services.ephemeral.limiter(source.own.limit).reset(source.own.key);
}

/** This failure used the last point (or a concurrent one already had). */
function isSpent(result: LimitResult): boolean {
  return !result.allowed || result.remaining === 0;
}

/**
 * Emails the owner that sign-in attempts were blocked. Deduplicated by an
 * atomic counter, so concurrent failures and every attacking address within
 * the window make one email, not a flood the attacker could trigger.
 */
async function warnOwner(ctx: Ctx, user: { id: string; email: string; username: string }, spread: boolean): Promise<void> {
  const sent = await ctx.services.ephemeral.kv.incr(`login:attack-warned:${user.id}`, ATTACK_WARNING_WINDOW_SECONDS);
  if (sent !== 1) return;
  ctx.log.warn({ userId: user.id, ip: ctx.meta.ip }, "login: account under attack, owner warned");
  const address = ctx.meta.ip ? `the address ${ctx.meta.ip}` : "an unknown address";
  const from = spread ? `from many addresses, most recently ${address}` : `from ${address}`;
  const profile = `${ctx.services.config.publicUrl}/profile`;
  await queueEmail(ctx, user.email, {
    subject: "Sign-in attempts to your Cairn account were blocked",
    preview: "Someone tried wrong passwords on your account; further attempts are blocked for a while.",
    greeting: `Hello ${user.username},`,
    paragraphs: [
      `Someone tried to sign in to your Cairn account with wrong passwords ${from}. We blocked further attempts for a while.`,
      "Your own devices are not affected: browsers where you have signed in before can still sign in as usual.",
      "If this was not you, consider changing your password (Profile → Change password).",
    ],
    action: { label: "Open your profile", url: profile },
  });
}
