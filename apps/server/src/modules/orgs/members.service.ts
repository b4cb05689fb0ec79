import type { DeveloperTrack, MemberState } from "@cairn/shared";
import { and, asc, count, desc, eq, exists, inArray, not, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize, can } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { emitEvent } from "../../platform/events/events.js";
import { memberAdded, memberRoleChanged } from "./orgs.events.js";
import { createUser, findUserByLogin, sendPasswordLink } from "../accounts/index.js";
import { profiles, users } from "../accounts/index.js";
import { getOrganization, membershipRoles, memberships, notifyPermissionsChanged, organizations, rolePermissions, roles, type OrgRow } from "../access/index.js";
import { memberPolicy } from "./orgs.policy.js";

export type MemberView = {
  user: { id: string; username: string; email?: string; isActive: boolean };
  profile: { displayName: string; avatarUrl: string | null };
  roles: string[];
  isActive: boolean;
  /** `invited` until the password is set, `deactivated` when the membership or the account is off. */
  state: MemberState;
  joinedAt: Date;
  /** Where the member stands on the developer track here, from their roles' attribute; null off it. */
  developerTrack: DeveloperTrack | null;
  /**
   * What the caller may do with this member: update, changeRoles, deactivate, reactivate,
   * resendInvitation, promote (unverified developers), demote (verified developers).
   */
  allowedActions: string[];
};

export async function findOpenOrganization(tx: Tx): Promise<OrgRow> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.openRegistration, true));
  if (!org) throw new ConflictError("No organization is open for self-registration.", "registration_closed");
  return org;
}

/** Role ids for keys in one organization; unknown keys are a 400 naming them. */
async function roleIds(tx: Tx, orgId: string, keys: string[]): Promise<string[]> {
  const unique = [...new Set(keys)];
  if (!unique.length) return [];
  const rows = await tx.select({ id: roles.id, key: roles.key }).from(roles).where(and(eq(roles.orgId, orgId), inArray(roles.key, unique)));
  const missing = unique.filter((key) => !rows.some((row) => row.key === key));
  if (missing.length) throw new ValidationError([{ path: "roles", message: `Unknown roles: ${missing.join(", ")}.` }]);
  return rows.map((row) => row.id);
}

/** Adds a user to an organization with roles (no authorization: callers decide). */
export async function addMembership(ctx: Ctx, orgId: string, userId: string, roleKeys: string[]): Promise<void> {
  const ids = await roleIds(ctx.tx, orgId, roleKeys);
  await ctx.tx.insert(memberships).values({ orgId, userId });
  if (ids.length) await ctx.tx.insert(membershipRoles).values(ids.map((roleId) => ({ orgId, userId, roleId })));
  await recordAudit(ctx, {
    orgId,
    action: "member.added",
    entityType: "member",
    entityId: userId,
    changes: { roles: [null, [...roleKeys].sort()] },
  });
  ctx.afterCommit(() => notifyPermissionsChanged(ctx, [userId]));
}

export async function memberRoleKeys(tx: Tx, orgId: string, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ key: roles.key })
    .from(membershipRoles)
    .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
    .where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.userId, userId)));
  return rows.map((row) => row.key).sort();
}

/** Replaces a member's roles; audited, and their open sessions refresh themselves. */
export async function setMemberRoles(ctx: Ctx, orgId: string, userId: string, roleKeys: string[], action = "member.role_changed") {
  const before = await memberRoleKeys(ctx.tx, orgId, userId);
  const ids = await roleIds(ctx.tx, orgId, roleKeys);
  await ctx.tx.delete(membershipRoles).where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.userId, userId)));
  if (ids.length) await ctx.tx.insert(membershipRoles).values(ids.map((roleId) => ({ orgId, userId, roleId })));
  const after = [...new Set(roleKeys)].sort();
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await recordAudit(ctx, { orgId, action, entityType: "member", entityId: userId, changes: { roles: [before, after] } });
    await emitEvent(ctx, memberRoleChanged, { orgId, recipients: [userId], data: { userId, before, after } });
    ctx.afterCommit(() => notifyPermissionsChanged(ctx, [userId]));
  }
  return after;
}

/** The member's place on the developer track, as in the principal: `verified` wins over `unverified`. */
const developerTrackOf = (orgId: string) =>
  sql<DeveloperTrack | null>`(select case when bool_or(${roles.developerTrack} = 'verified') then 'verified' when bool_or(${roles.developerTrack} = 'unverified') then 'unverified' end from ${membershipRoles} join ${roles} on ${roles.id} = ${membershipRoles.roleId} where ${membershipRoles.orgId} = ${orgId} and ${membershipRoles.userId} = ${users.id})`;

const roleKeysOf = (orgId: string) =>
  sql<string[]>`coalesce((select array_agg(${roles.key} order by ${roles.key}) from ${membershipRoles} join ${roles} on ${roles.id} = ${membershipRoles.roleId} where ${membershipRoles.orgId} = ${orgId} and ${membershipRoles.userId} = ${users.id}), '{}')`;

export type MemberQuery = PageQuery & {
  search?: string;
  role?: string;
  /** Members holding this permission through any of their roles (pickers: "who may manage a team"). */
  permission?: string;
  /** Members holding this permission through none of their roles ("outside people": no members.view). */
  withoutPermission?: string;
  state?: MemberState;
  ordering?: string;
  isActive?: boolean;
};

/** The member's state as SQL, so lists filter on exactly what they show. */
const stateOf = sql<MemberState>`case when not ${memberships.isActive} or not ${users.isActive} then 'deactivated' when ${users.passwordHash} is null then 'invited' else 'active' end`;

function selectMembers(tx: Tx, orgId: string) {
  return tx
    .select({
      id: users.id,
      username: users.username,
      email: users.email,
      userActive: users.isActive,
      displayName: profiles.displayName,
      avatarKey: profiles.avatarKey,
      isActive: memberships.isActive,
      state: stateOf,
      joinedAt: memberships.joinedAt,
      roles: roleKeysOf(orgId),
      developerTrack: developerTrackOf(orgId),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(profiles, eq(profiles.userId, users.id));
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof selectMembers>["where"]>>[number];

function presentMember(ctx: Ctx, orgId: string, row: MemberRow, showEmail: boolean): MemberView {
  const manage = can(ctx.actor, memberPolicy, "update", { orgId });
  const allowedActions = manage
    ? [
        "update",
        "changeRoles",
        row.isActive ? "deactivate" : "reactivate",
        ...(row.state === "invited" ? ["resendInvitation"] : []),
        ...(row.developerTrack === "unverified" ? ["promote"] : []),
        ...(row.developerTrack === "verified" ? ["demote"] : []),
      ]
    : [];
  return {
    user: { id: row.id, username: row.username, isActive: row.userActive, ...(showEmail ? { email: row.email } : {}) },
    profile: { displayName: row.displayName, avatarUrl: row.avatarKey ? `/media/${row.avatarKey}` : null },
    roles: row.roles,
    isActive: row.isActive,
    state: row.state,
    joinedAt: row.joinedAt,
    developerTrack: row.developerTrack,
    allowedActions,
  };
}

const holdsVia = (tx: Tx, orgId: string, condition: SQL) =>
  exists(
    tx
      .select({ one: sql`1` })
      .from(membershipRoles)
      .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
      .where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.userId, users.id), condition)),
  );

export async function listMembers(ctx: Ctx, idOrSlug: string, query: MemberQuery): Promise<Page<MemberView>> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, memberPolicy, "list", { orgId: org.id });
  const showEmail = can(ctx.actor, memberPolicy, "viewEmail", { orgId: org.id });
  const conditions: SQL[] = [eq(memberships.orgId, org.id)];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, "\\$&")}%`;
    conditions.push(
      sql`(${users.username} ilike ${pattern} or ${profiles.displayName} ilike ${pattern}${showEmail ? sql` or ${users.email} ilike ${pattern}` : sql``})`,
    );
  }
  if (query.role) conditions.push(holdsVia(ctx.tx, org.id, eq(roles.key, query.role)));
  const grants = (permission: string) =>
    holdsVia(
      ctx.tx,
      org.id,
      exists(
        ctx.tx
          .select({ one: sql`1` })
          .from(rolePermissions)
          .where(and(eq(rolePermissions.roleId, roles.id), eq(rolePermissions.permission, permission))),
      ),
    );
  if (query.permission) conditions.push(grants(query.permission));
  if (query.withoutPermission) conditions.push(not(grants(query.withoutPermission)));
  if (query.state) conditions.push(sql`${stateOf} = ${query.state}`);
  if (query.isActive !== undefined) conditions.push(eq(memberships.isActive, query.isActive));
  const where = and(...conditions);
  const ordering = parseOrdering(query.ordering);
  const column = { username: users.username, joinedAt: memberships.joinedAt, displayName: profiles.displayName }[ordering?.field ?? "username"] ?? users.username;
  const [total] = await ctx.tx
    .select({ value: count() })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(where);
  const rows = await selectMembers(ctx.tx, org.id)
    .where(where)
    .orderBy(ordering?.descending ? desc(column) : asc(column), asc(users.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return {
    items: rows.map((row) => presentMember(ctx, org.id, row, showEmail)),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.value ?? 0,
  };
}

/** One member of an organization as the list shows them (no authorization: callers decide); 404 when not a member. */
export async function getMember(ctx: Ctx, orgId: string, userId: string): Promise<MemberView> {
  const [row] = await selectMembers(ctx.tx, orgId).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) throw new NotFoundError("member");
  return presentMember(ctx, orgId, row, true);
}

/**
 * POST /api/orgs/{org}/members/{userId}/invitation: the set-password email again, for a
 * member who has not set a password yet (anyone else is a 409 saying so).
 */
export async function resendInvitation(ctx: Ctx, idOrSlug: string, userId: string): Promise<void> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, memberPolicy, "update", { orgId: org.id });
  const member = await getMember(ctx, org.id, userId);
  if (member.state !== "invited") {
    throw new ConflictError(`${member.user.username} has already set a password: there is no invitation to send.`, "not_invited");
  }
  const user = await findUserByLogin(ctx.tx, member.user.username);
  if (!user) throw new NotFoundError("member");
  await sendPasswordLink(ctx, user, "welcome", org.name);
  await recordAudit(ctx, { orgId: org.id, action: "member.invitation_sent", entityType: "member", entityId: userId, changes: {} });
}

/**
 * An admin adds someone: a new user gets an account without a password and a
 * set-password email; an existing user (same email) joins and is told so.
 */
export async function addMember(ctx: Ctx, idOrSlug: string, input: { email: string; username: string; roles: string[] }): Promise<MemberView> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, memberPolicy, "add", { orgId: org.id });
  if (!input.roles.length) throw new ValidationError([{ path: "roles", message: "Give the member at least one role." }]);
  const existing = await findUserByLogin(ctx.tx, input.email);
  if (existing) {
    const [membership] = await ctx.tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, existing.id)));
    if (membership) {
      throw new ConflictError(`${existing.username} is already a member of ${org.name}.`, "already_member", [
        { path: "email", message: "Already a member of this organization." },
      ]);
    }
    await addMembership(ctx, org.id, existing.id, input.roles);
    // Told like any event (inbox, and email at once unless they chose otherwise).
    await emitEvent(ctx, memberAdded, { orgId: org.id, recipients: [existing.id], data: { userId: existing.id, roles: input.roles } });
    return getMember(ctx, org.id, existing.id);
  }
  const user = await createUser(ctx, { email: input.email, username: input.username, password: null });
  await addMembership(ctx, org.id, user.id, input.roles);
  await sendPasswordLink(ctx, user, "welcome", org.name);
  return getMember(ctx, org.id, user.id);
}

/** Members who can still manage roles once a change is applied: an organization keeps at least one. */
async function countRoleManagers(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx
    .select({ value: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(membershipRoles, and(eq(membershipRoles.orgId, memberships.orgId), eq(membershipRoles.userId, memberships.userId)))
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.isActive, true), eq(users.isActive, true), eq(rolePermissions.permission, "roles.manage")));
  return row?.value ?? 0;
}

/**
 * Runs a change of a member's roles or state, refused with a 409 (the transaction rolls
 * it back) when it removes the organization's last active member who can manage roles.
 * Refused only when this change removes the last one: an organization may start with none.
 */
export async function keepingRoleManager<T>(ctx: Ctx, orgId: string, change: () => Promise<T>): Promise<T> {
  const managersBefore = await countRoleManagers(ctx.tx, orgId);
  const result = await change();
  if (managersBefore > 0 && (await countRoleManagers(ctx.tx, orgId)) === 0) {
    throw new ConflictError("The organization must keep at least one active member who can manage roles.", "last_admin");
  }
  return result;
}

export async function updateMember(
  ctx: Ctx,
  idOrSlug: string,
  userId: string,
  patch: { roles?: string[]; isActive?: boolean },
): Promise<MemberView> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, memberPolicy, "update", { orgId: org.id });
  const before = await getMember(ctx, org.id, userId);
  await keepingRoleManager(ctx, org.id, async () => {
    if (patch.roles) await setMemberRoles(ctx, org.id, userId, patch.roles);
    if (patch.isActive === undefined || patch.isActive === before.isActive) return;
    await ctx.tx
      .update(memberships)
      .set({ isActive: patch.isActive })
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
    await recordAudit(ctx, {
      orgId: org.id,
      action: patch.isActive ? "member.reactivated" : "member.deactivated",
      entityType: "member",
      entityId: userId,
      changes: diff({ isActive: before.isActive }, { isActive: patch.isActive }),
    });
    ctx.afterCommit(() => notifyPermissionsChanged(ctx, [userId]));
  });
  return getMember(ctx, org.id, userId);
}
