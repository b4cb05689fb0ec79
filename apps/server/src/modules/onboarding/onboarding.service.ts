import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { Ctx } from "../../platform/context.js";
import { emitEvent } from "../../platform/events/events.js";
import { developerVerified } from "./onboarding.events.js";
import {
  findProfile,
  onboardingState,
  updateProfile,
  writeProfile,
  type ProfilePatch,
  type ProfileRow,
} from "../accounts/index.js";
import { membershipRoles, roles } from "../access/index.js";
import { notifyPermissionsChanged } from "../access/index.js";
import { memberships } from "../access/index.js";
import { moveAlongTrack, NoTrackRoleError } from "./developer-track.js";

/*
 * Verification is a change of role (group), never a flag: what a verified developer
 * may do is what the organization's verified-track role grants. Which roles are on the
 * track is a role attribute (`developer_track`), never a role key.
 *
 * After verification every profile field stays editable, and the role stays: a verified
 * developer who changes their phone number keeps the verified role while they confirm the new
 * one. The new number is the profile's at once, unconfirmed (`phoneVerified: false`, shown so
 * to them and to admins) until its code is entered; confirming it promotes no one again (the
 * promotion happened once). Only an admin takes the role away (verification.service.ts).
 */

/** Profile complete and phone confirmed: what promotion waits for. */
export function isReadyForVerification(profile: ProfileRow): boolean {
  const state = onboardingState(profile);
  return state.profileComplete && state.phoneVerified;
}

/** Organizations where the user, an active member, holds a role on the unverified step of the developer track. */
async function developerOrgs(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ orgId: membershipRoles.orgId })
    .from(membershipRoles)
    .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
    .innerJoin(
      memberships,
      and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)),
    )
    .where(
      and(eq(membershipRoles.userId, userId), eq(roles.developerTrack, "unverified"), eq(memberships.isActive, true)),
    );
  return rows.map((row) => row.orgId);
}

/** Whether the user was ever verified in this organization (by onboarding or by an admin). */
async function wasPromotedBefore(tx: Tx, orgId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "member"),
        eq(auditLog.entityId, userId),
        eq(auditLog.orgId, orgId),
        eq(auditLog.action, "developer.verified"),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Promotes a developer in every organization where they hold a role on the
 * unverified step of the developer track, in the caller's transaction: those
 * roles give way to the organization's verified-track role (its default one),
 * with the audit entry `developer.verified` and the domain event (which
 * notifies them). Their cached permissions are dropped after commit, so the
 * next request sees the new role. Promotion is automatic once per
 * organization: after that (say an admin demoted them), only an admin
 * promotes again. Returns the organizations where the promotion happened.
 */
export async function promoteVerifiedDeveloper(ctx: Ctx, userId: string): Promise<string[]> {
  const promoted: string[] = [];
  for (const orgId of await developerOrgs(ctx.tx, userId)) {
    if (await wasPromotedBefore(ctx.tx, orgId, userId)) continue;
    const move = await moveAlongTrack(ctx, orgId, userId, "verified").catch((error: unknown) => {
      if (!(error instanceof NoTrackRoleError)) throw error;
      ctx.log.warn({ orgId }, "organization has no role on the verified developer track; not promoting");
      return null;
    });
    if (!move) continue;
    const { before, after } = move;
    await recordAudit(ctx, {
      orgId,
      action: "developer.verified",
      entityType: "member",
      entityId: userId,
      changes: { roles: [before, after] },
    });
    // The developer's own step promoted them: they are told, though they acted.
    await emitEvent(ctx, developerVerified, { orgId, recipients: [userId], data: { userId, before, after }, includeActor: true });
    promoted.push(orgId);
  }
  if (promoted.length) ctx.afterCommit(() => notifyPermissionsChanged(ctx, [userId]));
  return promoted;
}

/**
 * Runs after anything that may complete or break an onboarding (profile
 * edit, avatar, phone verification): keeps `completedAt` in step with the
 * profile, and promotes the developer at the moment they become ready,
 * whichever step came last.
 */
export async function settleOnboarding(ctx: Ctx, before: ProfileRow): Promise<ProfileRow> {
  let after = await findProfile(ctx.tx, before.userId);
  const { profileComplete } = onboardingState(after);
  if (profileComplete !== Boolean(after.completedAt)) {
    const updated = await writeProfile(ctx, after.userId, {
      completedAt: profileComplete ? new Date() : null,
    });
    if (updated) after = updated;
  }
  if (!isReadyForVerification(before) && isReadyForVerification(after))
    await promoteVerifiedDeveloper(ctx, after.userId);
  return after;
}

/** PATCH /api/me/profile: edits the caller's profile, then settles their onboarding. */
export async function editMyProfile(ctx: Ctx, patch: ProfilePatch): Promise<ProfileRow> {
  const actor = requireUser(ctx.actor);
  const before = await findProfile(ctx.tx, actor.userId);
  await updateProfile(ctx, actor.userId, patch);
  return settleOnboarding(ctx, before);
}
