import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotAuthenticatedError, NotFoundError } from "../../platform/errors.js";
import { profiles, users } from "./accounts.table.js";

export type ProfileRow = typeof profiles.$inferSelect;

export const BIO_MIN_LENGTH = 20;

/** The profile fields a developer needs before verification, in the order the UI asks for them. */
export function missingProfileFields(profile: ProfileRow): string[] {
  const missing: string[] = [];
  if (profile.bio.trim().length < BIO_MIN_LENGTH) missing.push("bio");
  if (!profile.nationalId) missing.push("nationalId");
  if (!profile.avatarKey) missing.push("avatar");
  if (!profile.phone) missing.push("phone");
  return missing;
}

/** Where a profile stands on the way to verification (the role change itself is the onboarding module's). */
export function onboardingState(profile: ProfileRow) {
  const missing = missingProfileFields(profile);
  const profileComplete = missing.filter((field) => field !== "phone").length === 0;
  const phoneVerified = Boolean(profile.phone && profile.phoneVerifiedAt);
  return { profileComplete, phoneVerified, missing };
}

/** Verification is a role, never a flag: the caller is verified where they hold `verified_developer`. */
function heldRoles(orgs: Array<{ roles: string[] }>) {
  const held = new Set(orgs.flatMap((org) => org.roles));
  return { verified: held.has("verified_developer"), isDeveloper: held.has("developer") || held.has("verified_developer") };
}

export async function findProfile(tx: Tx, userId: string): Promise<ProfileRow> {
  const [profile] = await tx.select().from(profiles).where(eq(profiles.userId, userId));
  if (!profile) throw new NotFoundError("profile");
  return profile;
}

export function avatarUrl(profile: Pick<ProfileRow, "avatarKey">): string | null {
  return profile.avatarKey ? `/media/${profile.avatarKey}` : null;
}

/** The caller's user, profile and memberships, with their effective permissions per organization. */
export async function getMe(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const [row] = await ctx.tx
    .select({ user: users, profile: profiles })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, actor.userId));
  if (!row) throw new NotAuthenticatedError();
  return {
    user: row.user,
    profile: row.profile,
    memberships: actor.orgs.map((org) => ({
      org: { id: org.orgId, slug: org.slug, name: org.name, openRegistration: org.openRegistration, createdAt: new Date(org.createdAt) },
      roles: org.roles,
      permissions: Object.keys(org.grants).sort(),
      ownScoped: Object.entries(org.grants)
        .filter(([, scope]) => scope === "own")
        .map(([permission]) => permission)
        .sort(),
      projectLimit: org.projectLimit,
    })),
    onboarding: { ...onboardingState(row.profile), ...heldRoles(actor.orgs) },
  };
}

export type ProfilePatch = {
  displayName?: string;
  bio?: string;
  nationalId?: string | null;
  phone?: string | null;
  dateOfBirth?: string | null;
  timezone?: string;
};

/**
 * Updates a profile; changing the phone number clears its verification.
 * Audited, under `orgId` when an organization's admin made the change.
 */
export async function updateProfile(ctx: Ctx, userId: string, patch: ProfilePatch, audit: { orgId: string | null } = { orgId: null }): Promise<ProfileRow> {
  const before = await findProfile(ctx.tx, userId);
  const changes: Partial<ProfileRow> = { ...patch };
  if (patch.phone !== undefined && patch.phone !== before.phone) changes.phoneVerifiedAt = null;
  const [after] = await ctx.tx.update(profiles).set(changes).where(eq(profiles.userId, userId)).returning();
  if (!after) throw new NotFoundError("profile");
  const changed = diff(before, patch);
  if (Object.keys(changed).length) {
    await recordAudit(ctx, { orgId: audit.orgId, action: "profile.updated", entityType: "profile", entityId: userId, changes: changed });
  }
  return after;
}
