import { and, eq, inArray, sql, type Column, type SQL } from "drizzle-orm";
import { requireUser, orgsWith } from "../../platform/access/engine.js";
import type { UserActor } from "../../platform/access/actor.js";
import type { Permission } from "@cairn/shared";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError, PermissionDeniedError, ValidationError } from "../../platform/errors.js";
import { users } from "../accounts/index.js";
import { findOrganization } from "../access/index.js";
import { memberships } from "../access/index.js";

/**
 * Tenancy helpers shared by teams, clients, projects, audit and reports: which
 * organizations a request is about, and whether a user id named in a body is
 * a member of the organization it is used in.
 */

/** `?org=<id or slug>`: the caller's organization, or any for the superuser; otherwise a 404. */
export async function resolveOrgFilter(ctx: Ctx, idOrSlug: string): Promise<string> {
  const actor = requireUser(ctx.actor);
  const value = idOrSlug.toLowerCase();
  const mine = actor.orgs.find((org) => org.orgId === value || org.slug === value);
  if (mine) return mine.orgId;
  if (actor.isSuperuser) {
    const org = await findOrganization(ctx.tx, idOrSlug);
    if (org) return org.id;
  }
  throw new NotFoundError("organization");
}

/** The organization a new object goes to: `orgId` when given, else the caller's only one. */
export async function resolveTargetOrg(ctx: Ctx, orgId: string | undefined): Promise<string> {
  const actor = requireUser(ctx.actor);
  if (orgId) return resolveOrgFilter(ctx, orgId);
  if (actor.orgs.length === 1 && actor.orgs[0]) return actor.orgs[0].orgId;
  throw new ValidationError([{ path: "orgId", message: "Name the organization: you belong to several (or none)." }]);
}

/**
 * `column in (organizations where the actor holds permission)`; everything
 * for the superuser. Every list of tenant data starts from this.
 */
export function inOrgsWith(actor: UserActor, permission: Permission, column: Column): SQL {
  if (actor.isSuperuser) return sql`true`;
  const orgIds = orgsWith(actor, permission);
  return orgIds.length ? inArray(column, orgIds) : sql`false`;
}

/** A list needs the permission in at least one organization: otherwise a 403 naming it. */
export function requireSomewhere(actor: UserActor, permission: Permission): void {
  if (!actor.isSuperuser && !orgsWith(actor, permission).length) throw new PermissionDeniedError(permission);
}

/** `column in (the actor's organizations)`; everything for the superuser. */
export function inMemberOrgs(actor: UserActor, column: Column): SQL {
  if (actor.isSuperuser) return sql`true`;
  const orgIds = actor.orgs.map((org) => org.orgId);
  return orgIds.length ? inArray(column, orgIds) : sql`false`;
}

/** Organizations where the actor holds `permission` in scope `all` (the superuser: every one, as null). */
export function orgsWithAll(actor: UserActor, permission: Permission): string[] | null {
  if (actor.isSuperuser) return null;
  return actor.orgs.filter((org) => org.grants[permission] === "all").map((org) => org.orgId);
}

/** Throws a 400 on `path` unless `userId` is an active member of the organization. Returns their username. */
export async function assertOrgMember(tx: Tx, orgId: string, userId: string, path: string): Promise<string> {
  const [row] = await tx
    .select({ username: users.username })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), eq(memberships.isActive, true), eq(users.isActive, true)));
  if (!row) throw new ValidationError([{ path, message: "Not an active member of this organization." }]);
  return row.username;
}

/** Escapes LIKE wildcards so a search for "50%" means those characters. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, "\\$&")}%`;
}
