import { randomUUID } from "node:crypto";
import type { LoginInput } from "@cairn/shared";
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import { denyAccessToken, denySession } from "../../platform/auth/denylist.js";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "../../platform/auth/passwords.js";
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS, digestToken, newOpaqueToken, type AccessClaims } from "../../platform/auth/tokens.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotAuthenticatedError, ThrottledError, ValidationError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { userCreated } from "./accounts.events.js";
import { queueEmail } from "../../platform/mail/outbox.js";
import { issueDeviceCookie, trustedDeviceId } from "./device-trust.js";
import { assertLoginAllowed, loginSource, recordLoginFailure, recordLoginSuccess, type LoginTarget } from "./login-throttle.js";
import { passwordTokens, profiles, refreshTokens, users } from "./accounts.table.js";

export type UserRow = typeof users.$inferSelect;

export type Session = { access: string; refresh: string; accessExpiresAt: string; refreshExpiresAt: string; user: UserRow };

/** A refusal that must not roll back what was written before it; the caller turns it into a 401. */
export type Refused = { refused: string };

/** Finds a user by email or username, both case-insensitively. */
export async function findUserByLogin(tx: Tx, login: string): Promise<UserRow | undefined> {
  const value = login.trim().toLowerCase();
  const [user] = await tx
    .select()
    .from(users)
    .where(value.includes("@") ? sql`lower(${users.email}) = ${value}` : sql`lower(${users.username}) = ${value}`);
  return user;
}

export async function findUserById(tx: Tx, userId: string): Promise<UserRow | undefined> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  return user;
}

/** Throws 409 with field errors when the email or username is taken. */
export async function assertIdentityFree(tx: Tx, email: string, username: string): Promise<void> {
  const taken = await tx
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()} or lower(${users.username}) = ${username.toLowerCase()}`);
  const errors = [];
  if (taken.some((row) => row.email.toLowerCase() === email.toLowerCase())) {
    errors.push({ path: "email", message: "An account with this email already exists." });
  }
  if (taken.some((row) => row.username.toLowerCase() === username.toLowerCase())) {
    errors.push({ path: "username", message: "This username is taken." });
  }
  if (errors.length) throw new ConflictError("An account with these details already exists.", "duplicate", errors);
}

/** Creates a user and, in the same transaction, their profile. */
export async function createUser(
  ctx: Ctx,
  input: { email: string; username: string; password: string | null; isSuperuser?: boolean },
): Promise<UserRow> {
  await assertIdentityFree(ctx.tx, input.email, input.username);
  if (input.password !== null) {
    const problems = checkPasswordPolicy(input.password, input);
    if (problems.length) throw new ValidationError(problems, "The password does not meet the password rules.");
  }
  const [user] = await ctx.tx
    .insert(users)
    .values({
      email: input.email,
      username: input.username,
      passwordHash: input.password === null ? null : await hashPassword(input.password),
      isSuperuser: input.isSuperuser ?? false,
      passwordChangedAt: input.password === null ? null : new Date(),
    })
    .returning();
  if (!user) throw new Error("user insert returned nothing");
  await ctx.tx.insert(profiles).values({ userId: user.id, displayName: input.username });
  await recordAudit(ctx, {
    orgId: null,
    action: "user.created",
    entityType: "user",
    entityId: user.id,
    changes: { email: [null, user.email], username: [null, user.username] },
  });
  await emitEvent(ctx, userCreated, { orgId: null, recipients: [user.id], data: { userId: user.id }, includeActor: true });
  return user;
}

/** A sign-in, and the device cookie that makes this browser trusted for the account from now on. */
export type SignedIn = { session: Session; deviceCookie: string };

/**
 * Email-or-username sign-in, throttled per source (see login-throttle.ts):
 * a browser with a device cookie for the account has its own budget, so a
 * stranger's wrong passwords never lock the owner's devices out. A refused
 * attempt is returned, not thrown, so that the warning email queued when a
 * lock happens commits; the caller answers 401.
 */
export async function login(ctx: Ctx, input: LoginInput, presentedDevice: string | null): Promise<SignedIn | Refused> {
  const user = await findUserByLogin(ctx.tx, input.login);
  const target: LoginTarget = { key: user ? `user:${user.id}` : `login:${input.login.trim().toLowerCase()}`, user };
  const deviceId = user ? trustedDeviceId(ctx.services.config.secretKey, presentedDevice, user.id) : null;
  const source = loginSource(ctx, target, deviceId);
  await assertLoginAllowed(ctx, source);
  // Run for unknown accounts too, so the answer takes as long either way.
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid || !user.isActive) {
    await recordLoginFailure(ctx, source, target);
    const reason = !user ? "unknown" : !valid ? "password" : "inactive";
    ctx.log.warn({ login: input.login.trim().toLowerCase(), ip: ctx.meta.ip, trusted: source.trusted, reason }, "login failed");
    return { refused: "The login or password is not correct." };
  }
  await recordLoginSuccess(ctx, source);
  await ctx.tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  const deviceCookie = issueDeviceCookie(ctx.services.config.secretKey, presentedDevice, user.id);
  return { session: await startSession(ctx, user), deviceCookie };
}

/** A new refresh family (one sign-in) with its first refresh token and an access token. */
export async function startSession(ctx: Ctx, user: UserRow, familyId: string = randomUUID()): Promise<Session> {
  const { token, digest } = newOpaqueToken();
  const refreshExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);
  await ctx.tx.insert(refreshTokens).values({
    userId: user.id,
    familyId,
    tokenHash: digest,
    expiresAt: refreshExpiresAt,
    userAgent: ctx.meta.userAgent,
    ip: ctx.meta.ip,
  });
  const access = await ctx.services.tokens.issueAccess(user.id, familyId);
  return {
    access: access.token,
    refresh: token,
    accessExpiresAt: new Date(access.claims.exp * 1000).toISOString(),
    refreshExpiresAt: refreshExpiresAt.toISOString(),
    user,
  };
}

/**
 * Rotates a refresh token. A token presented twice means it leaked: the whole
 * family is revoked, including the token that replaced it, and its access
 * tokens are denied. The revocation must commit, so a refusal is returned
 * (and turned into a 401 by the caller) rather than thrown inside the transaction.
 */
export async function refreshSession(ctx: Ctx, presented: string): Promise<Session | Refused> {
  const [row] = await ctx.tx
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, digestToken(presented)))
    .for("update");
  if (!row) return { refused: "The refresh token is not valid." };
  if (row.usedAt || row.revokedAt) {
    await revokeFamily(ctx, row.familyId);
    if (row.usedAt) ctx.log.warn({ userId: row.userId, familyId: row.familyId }, "refresh token reuse: family revoked");
    return { refused: "The refresh token has already been used or revoked." };
  }
  if (row.expiresAt <= new Date()) return { refused: "The refresh token has expired." };
  const user = await findUserById(ctx.tx, row.userId);
  if (!user?.isActive) return { refused: "This account is not active." };
  await ctx.tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id));
  return startSession(ctx, user, row.familyId);
}

async function revokeFamily(ctx: Ctx, familyId: string): Promise<void> {
  await ctx.tx
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  ctx.afterCommit(async () => {
    await denySession(ctx.services.ephemeral.kv, familyId, ACCESS_TOKEN_TTL_SECONDS);
    await ctx.services.realtime.disconnectSession(familyId);
  });
}

/** Ends a sign-in: its refresh family is revoked and the presented access token denied until expiry. */
export async function logout(ctx: Ctx, presented: string | null, claims: AccessClaims | null): Promise<void> {
  let familyId = claims?.sid ?? null;
  if (presented) {
    const [row] = await ctx.tx
      .select({ familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, digestToken(presented)));
    familyId = row?.familyId ?? familyId;
  }
  if (familyId) await revokeFamily(ctx, familyId);
  if (claims) ctx.afterCommit(() => denyAccessToken(ctx.services.ephemeral.kv, claims));
}

/** Revokes every sign-in of a user except `keep`. */
async function revokeOtherSessions(ctx: Ctx, userId: string, keep: string | null): Promise<void> {
  const families = await ctx.tx
    .selectDistinct({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, new Date()),
        keep ? ne(refreshTokens.familyId, keep) : undefined,
      ),
    );
  for (const { familyId } of families) await revokeFamily(ctx, familyId);
}

export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = requireUser(ctx.actor);
  const user = await findUserById(ctx.tx, actor.userId);
  if (!user) throw new NotAuthenticatedError();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError([{ path: "currentPassword", message: "This is not your current password." }]);
  }
  await setPassword(ctx, user, input.newPassword, "newPassword");
  await revokeOtherSessions(ctx, user.id, actor.sessionId);
}

async function setPassword(ctx: Ctx, user: UserRow, password: string, path: string): Promise<void> {
  const problems = checkPasswordPolicy(password, user, path);
  if (problems.length) throw new ValidationError(problems, "The password does not meet the password rules.");
  await ctx.tx
    .update(users)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: new Date() })
    .where(eq(users.id, user.id));
  await recordAudit(ctx, { orgId: null, action: "user.password_changed", entityType: "user", entityId: user.id });
}

const RESET_TTL_MS = 60 * 60 * 1000;
const WELCOME_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Creates a single-use link token and queues the email that carries it. */
export async function sendPasswordLink(ctx: Ctx, user: UserRow, purpose: "reset" | "welcome", orgName?: string): Promise<void> {
  const { token, digest } = newOpaqueToken();
  await ctx.tx.insert(passwordTokens).values({
    userId: user.id,
    tokenHash: digest,
    purpose,
    expiresAt: new Date(Date.now() + (purpose === "reset" ? RESET_TTL_MS : WELCOME_TTL_MS)),
  });
  const base = ctx.services.config.publicUrl;
  const link = `${base}/reset-password?token=${encodeURIComponent(token)}${purpose === "welcome" ? "&welcome=1" : ""}`;
  await queueEmail(
    ctx,
    user.email,
    purpose === "reset"
      ? {
          subject: "Reset your Cairn password",
          preview: "Choose a new password for your Cairn account.",
          greeting: `Hello ${user.username},`,
          paragraphs: ["Someone asked to reset the password of your Cairn account. If it was you, choose a new password (the link works once, for one hour)."],
          action: { label: "Choose a new password", url: link },
          footer: { text: "If it was not you, ignore this email: your password stays as it is.", links: [] },
        }
      : {
          subject: `You have been added to ${orgName ?? "Cairn"}`,
          preview: `Set your password to start working${orgName ? ` in ${orgName}` : ""}.`,
          greeting: `Hello ${user.username},`,
          paragraphs: [
            `An administrator created a Cairn account for you${orgName ? ` in ${orgName}` : ""}. Your username is ${user.username}. Set your password to sign in (the link works once, for seven days).`,
          ],
          action: { label: "Set your password", url: link },
          footer: { text: "If the link has expired, ask for a new one (the sign-in page's Forgot password?).", links: [{ label: "Ask for a new link", url: `${base}/forgot-password` }] },
        },
  );
}

/** Always answers the same, whether or not the account exists; throttled per email and per IP. */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  const { ephemeral } = ctx.services;
  const [byEmail, byIp] = await Promise.all([
    ephemeral.limiter({ name: "reset:account", points: 5, durationSeconds: 3600 }).consume(email.trim().toLowerCase()),
    ephemeral.limiter({ name: "reset:ip", points: 20, durationSeconds: 3600 }).consume(ctx.meta.ip ?? "-"),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    throw new ThrottledError(Math.max(byEmail.retryAfterSeconds, byIp.retryAfterSeconds), "Too many password reset requests.");
  }
  if (!email.includes("@")) return;
  const user = await findUserByLogin(ctx.tx, email);
  if (!user?.isActive) return;
  await sendPasswordLink(ctx, user, "reset");
}

export async function confirmPasswordReset(ctx: Ctx, input: { token: string; newPassword: string }): Promise<void> {
  const [row] = await ctx.tx
    .select()
    .from(passwordTokens)
    .where(eq(passwordTokens.tokenHash, digestToken(input.token)))
    .for("update");
  if (!row || row.usedAt || row.expiresAt <= new Date()) {
    throw new ValidationError([{ path: "token", message: "This link is invalid or has expired. Ask for a new one." }]);
  }
  const user = await findUserById(ctx.tx, row.userId);
  if (!user?.isActive) throw new ValidationError([{ path: "token", message: "This account is not active." }]);
  await setPassword(ctx, user, input.newPassword, "newPassword");
  await ctx.tx.update(passwordTokens).set({ usedAt: new Date() }).where(eq(passwordTokens.userId, user.id));
  await revokeOtherSessions(ctx, user.id, null);
}
