import type { DeveloperTrack } from "@cairn/shared";
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import { membershipRoles, roles } from "../access/index.js";
import { memberRoleKeys } from "../orgs/index.js";

/**
 * The developer track as data: roles carry `developer_track` (`unverified`,
 * `verified`), and moving a member along the track swaps the roles they hold on
 * one step for a role of the other. No role key is named here: an organization
 * may put custom roles on the track, and promotion follows the attribute.
 */

type TrackRole = { id: string; developerTrack: DeveloperTrack };

/**
 * The organization's roles on the track, the one a move lands on first: default
 * roles before custom ones (a default role is the organization's own step; custom
 * roles on the same step are alternatives an admin gives by hand), then the oldest.
 */
async function trackRoles(tx: Tx, orgId: string): Promise<TrackRole[]> {
  const rows = await tx
    .select({ id: roles.id, developerTrack: roles.developerTrack })
    .from(roles)
    .where(and(eq(roles.orgId, orgId), isNotNull(roles.developerTrack)))
    .orderBy(desc(roles.isSystem), asc(roles.createdAt), asc(roles.key));
  return rows.flatMap((row) =>
    row.developerTrack ? [{ id: row.id, developerTrack: row.developerTrack }] : [],
  );
}

/** The roles an organization's member holds on the track. */
async function heldTrackRoles(
  tx: Tx,
  orgId: string,
  userId: string,
  onTrack: TrackRole[],
): Promise<TrackRole[]> {
  if (!onTrack.length) return [];
  const held = await tx
    .select({ roleId: membershipRoles.roleId })
    .from(membershipRoles)
    .where(
      and(
        eq(membershipRoles.orgId, orgId),
        eq(membershipRoles.userId, userId),
        inArray(
          membershipRoles.roleId,
          onTrack.map((role) => role.id),
        ),
      ),
    );
  const ids = new Set(held.map((row) => row.roleId));
  return onTrack.filter((role) => ids.has(role.id));
}

export type TrackMove = { before: string[]; after: string[] };

/** The organization has no role on the step a move goes to (custom roles only, all taken off the track). */
export class NoTrackRoleError extends Error {
  constructor(readonly track: DeveloperTrack) {
    super(`no ${track} developer role`);
  }
}

/**
 * Moves a member of `orgId` to step `to` of the developer track, in the caller's
 * transaction: the roles they hold on the other step go, and unless they already
 * hold a role on step `to`, the organization's role for it (the default one) comes.
 * Other roles stay. Returns the role keys before and after, or null when the member
 * already stood there (nothing changed). Audit, events and cache invalidation are
 * the caller's: an onboarding promotion and an admin's decision are told differently.
 */
export async function moveAlongTrack(
  ctx: Ctx,
  orgId: string,
  userId: string,
  to: DeveloperTrack,
): Promise<TrackMove | null> {
  const onTrack = await trackRoles(ctx.tx, orgId);
  const held = await heldTrackRoles(ctx.tx, orgId, userId, onTrack);
  const leaving = held.filter((role) => role.developerTrack !== to);
  const staying = held.some((role) => role.developerTrack === to);
  if (!leaving.length && staying) return null;
  const target = onTrack.find((role) => role.developerTrack === to);
  if (!staying && !target) throw new NoTrackRoleError(to);
  const before = await memberRoleKeys(ctx.tx, orgId, userId);
  if (leaving.length) {
    await ctx.tx.delete(membershipRoles).where(
      and(
        eq(membershipRoles.orgId, orgId),
        eq(membershipRoles.userId, userId),
        inArray(
          membershipRoles.roleId,
          leaving.map((role) => role.id),
        ),
      ),
    );
  }
  if (!staying && target)
    await ctx.tx.insert(membershipRoles).values({ orgId, userId, roleId: target.id }).onConflictDoNothing();
  return { before, after: await memberRoleKeys(ctx.tx, orgId, userId) };
}
