import { eq } from "drizzle-orm";
import { authorize, can, membershipIn, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { users } from "../accounts/index.js";
import { findProfile, onboardingState, updateProfile, type ProfilePatch, type ProfileRow } from "../accounts/index.js";
import { settleOnboarding } from "../onboarding/index.js";
import { memberships } from "../access/index.js";
import { profilePolicy } from "./directory.policy.js";

export type UserProfileView = { profile: ProfileRow; username: string; onboarding: ReturnType<typeof onboardingState> };

/**
 * Decides access to another user's full profile: the caller must hold the
 * permission in an organization the user belongs to. A user of no shared
 * organization is a 404. Returns the organization the access came through
 * (null for the superuser), under which the audit entry is written.
 */
async function authorizeProfile(ctx: Ctx, userId: string, action: "view" | "change"): Promise<{ orgId: string | null; username: string }> {
  const actor = requireUser(ctx.actor);
  const [user] = await ctx.tx.select({ username: users.username }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError("user");
  if (actor.isSuperuser) return { orgId: null, username: user.username };
  const orgIds = (await ctx.tx.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId))).map((row) => row.orgId);
  const shared = orgIds.filter((orgId) => membershipIn(actor, orgId));
  const [first] = shared;
  if (!first) throw new NotFoundError("user");
  const granted = shared.find((orgId) => can(actor, profilePolicy, action, { orgId }));
  if (!granted) authorize(actor, profilePolicy, action, { orgId: first });
  return { orgId: granted ?? first, username: user.username };
}

/** GET /api/users/{userId}/profile: every field, for profiles.view_any; the reading is audited. */
export async function getUserProfile(ctx: Ctx, userId: string): Promise<UserProfileView> {
  const { orgId, username } = await authorizeProfile(ctx, userId, "view");
  const profile = await findProfile(ctx.tx, userId);
  await recordAudit(ctx, { orgId, action: "profile.viewed", entityType: "profile", entityId: userId });
  return { profile, username, onboarding: onboardingState(profile) };
}

/**
 * PATCH /api/users/{userId}/profile: an admin edits a member's profile
 * (profiles.change_any). Audited under their organization; like the owner's
 * own edit, it may complete the onboarding and promote a developer.
 */
export async function updateUserProfile(ctx: Ctx, userId: string, patch: ProfilePatch): Promise<UserProfileView> {
  const { orgId, username } = await authorizeProfile(ctx, userId, "change");
  const before = await findProfile(ctx.tx, userId);
  await updateProfile(ctx, userId, patch, { orgId });
  const profile = await settleOnboarding(ctx, before);
  return { profile, username, onboarding: onboardingState(profile) };
}
