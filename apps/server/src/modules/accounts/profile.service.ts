import type { ProfilePatchInput } from "@cairn/shared";
import { BIO_MIN_LENGTH } from "@cairn/shared";
import { eq, getTableColumns } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Actor, OrgAccess } from "../../platform/access/actor.js";
import type { Ctx } from "../../platform/context.js";
import { NotAuthenticatedError, NotFoundError } from "../../platform/errors.js";
import type { Principal } from "../../platform/auth/principal.js";
import { profiles, type users } from "./accounts.table.js";

export type ProfileRow = typeof profiles.$inferSelect;

/** What views of a profile read: every column but the bookkeeping. */
export type ProfileView = Omit<ProfileRow, "updatedAt">;
const { updatedAt: _profileUpdatedAt, ...viewColumns } = getTableColumns(profiles);
export const profileViewColumns = viewColumns;

/** What views of a user read: never the password hash. */
export type UserView = Pick<
  typeof users.$inferSelect,
  "id" | "email" | "username" | "isActive" | "isSuperuser" | "createdAt"
>;

type OnboardingFields = Pick<ProfileRow, "bio" | "nationalId" | "avatarKey" | "phone" | "phoneVerifiedAt">;

/** The profile fields a developer needs before verification, in the order the UI asks for them. */
export function missingProfileFields(profile: OnboardingFields): string[] {
  const missing: string[] = [];
  if (profile.bio.trim().length < BIO_MIN_LENGTH) missing.push("bio");
  if (!profile.nationalId) missing.push("nationalId");
  if (!profile.avatarKey) missing.push("avatar");
  if (!profile.phone) missing.push("phone");
  return missing;
}

/** Where a profile stands on the way to verification (the role change itself is the onboarding module's). */
export function onboardingState(profile: OnboardingFields) {
  const missing = missingProfileFields(profile);
  const profileComplete = missing.filter((field) => field !== "phone").length === 0;
  const phoneVerified = Boolean(profile.phone && profile.phoneVerifiedAt);
  return { profileComplete, phoneVerified, missing };
}

/**
 * Verification is a role, never a flag: the caller is verified where a role they hold is on
 * the verified step of the developer track (a role attribute), and a developer where any is on it.
 */
function developerStanding(orgs: Array<Pick<OrgAccess, "developerTrack">>) {
  return {
    verified: orgs.some((org) => org.developerTrack === "verified"),
    isDeveloper: orgs.some((org) => org.developerTrack !== null),
  };
}

export async function findProfile(tx: Tx, userId: string): Promise<ProfileRow> {
  const [profile] = await tx.select().from(profiles).where(eq(profiles.userId, userId));
  if (!profile) throw new NotFoundError("profile");
  return profile;
}

export function avatarUrl(profile: Pick<ProfileRow, "avatarKey">): string | null {
  return profile.avatarKey ? `/media/${profile.avatarKey}` : null;
}

/**
 * Every write of a profile goes through here. The cached principal carries
 * the user's profile (GET /api/me answers from it), so it is dropped once the
 * change commits.
 */
export async function writeProfile(
  ctx: Ctx,
  userId: string,
  changes: Partial<ProfileRow>,
): Promise<ProfileRow | undefined> {
  const [after] = await ctx.tx.update(profiles).set(changes).where(eq(profiles.userId, userId)).returning();
  ctx.afterCommit(() => ctx.services.principals.invalidate([userId]));
  return after;
}

/**
 * The caller's user, profile and memberships, with their effective permissions
 * per organization: all of it from the principal the request was
 * authenticated with (cached, and dropped after any change of the user, their
 * profile, memberships or roles).
 */
export function getMe(caller: Actor, principal: Principal | null) {
  const actor = requireUser(caller);
  if (principal?.userId !== actor.userId) throw new NotAuthenticatedError();
  const cached = principal.profile;
  const profile: ProfileView = {
    ...cached,
    phoneVerifiedAt: cached.phoneVerifiedAt === null ? null : new Date(cached.phoneVerifiedAt),
    completedAt: cached.completedAt === null ? null : new Date(cached.completedAt),
  };
  const user: UserView = {
    id: principal.userId,
    email: principal.email,
    username: principal.username,
    isActive: principal.isActive,
    isSuperuser: principal.isSuperuser,
    createdAt: new Date(principal.createdAt),
  };
  return {
    user,
    profile,
    memberships: actor.orgs.map((org) => ({
      org: {
        id: org.orgId,
        slug: org.slug,
        name: org.name,
        openRegistration: org.openRegistration,
        createdAt: new Date(org.createdAt),
      },
      roles: org.roles,
      permissions: Object.keys(org.grants).sort(),
      ownScoped: Object.entries(org.grants)
        .filter(([, scope]) => scope === "own")
        .map(([permission]) => permission)
        .sort(),
      projectLimit: org.projectLimit,
      developerTrack: org.developerTrack,
    })),
    onboarding: { ...onboardingState(profile), ...developerStanding(actor.orgs) },
  };
}

/** What PATCH /api/me/profile and PATCH /api/users/{id}/profile take, once checked. */
export type ProfilePatch = ProfilePatchInput;

/**
 * Updates a profile; changing the phone number clears its verification.
 * Audited, under `orgId` when an organization's admin made the change.
 */
export async function updateProfile(
  ctx: Ctx,
  userId: string,
  patch: ProfilePatch,
  audit: { orgId: string | null } = { orgId: null },
): Promise<ProfileRow> {
  const before = await findProfile(ctx.tx, userId);
  const changes: Partial<ProfileRow> = { ...patch };
  if (patch.phone !== undefined && patch.phone !== before.phone) changes.phoneVerifiedAt = null;
  const after = await writeProfile(ctx, userId, changes);
  if (!after) throw new NotFoundError("profile");
  const changed = diff(before, patch);
  if (Object.keys(changed).length) {
    await recordAudit(ctx, {
      orgId: audit.orgId,
      action: "profile.updated",
      entityType: "profile",
      entityId: userId,
      changes: changed,
    });
  }
  return after;
}
