import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../context.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { UserActor } from "./actor.js";
import { requireUser } from "./engine.js";

/**
 * Tenancy helpers every module uses: which organization a request is about,
 * and whether a user named in a body is a member of the organization it is
 * used in. The identity tables belong to modules, which the platform never
 * imports: lookups take them (or a function reading them) as arguments.
 */

/** Finds an organization by id or slug, whoever asks (the access module's `findOrganization`). */
export type FindOrganization = (tx: Tx, idOrSlug: string) => Promise<{ id: string } | undefined>;

/** `?org=<id or slug>`: the caller's organization, or any for the superuser; otherwise a 404. */
export async function resolveOrgFilter(ctx: Ctx, idOrSlug: string, findOrganization: FindOrganization): Promise<string> {
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
export async function resolveTargetOrg(ctx: Ctx, orgId: string | undefined, findOrganization: FindOrganization): Promise<string> {
  const actor = requireUser(ctx.actor);
  if (orgId) return resolveOrgFilter(ctx, orgId, findOrganization);
  if (actor.orgs.length === 1 && actor.orgs[0]) return actor.orgs[0].orgId;
  throw new ValidationError([{ path: "orgId", message: "Name the organization: you belong to several (or none)." }]);
}

/** `column in (the actor's organizations)`; everything for the superuser. */
export function inMemberOrgs(actor: UserActor, column: PgColumn): SQL {
  if (actor.isSuperuser) return sql`true`;
  const orgIds = actor.orgs.map((org) => org.orgId);
  return orgIds.length ? inArray(column, orgIds) : sql`false`;
}

/** The tables that say who is an active member where (owned by the identity modules). */
export type MemberTables = {
  memberships: PgTable & { orgId: PgColumn; userId: PgColumn; isActive: PgColumn };
  users: PgTable & { id: PgColumn; username: PgColumn; isActive: PgColumn };
};

/** Throws a 400 on `path` unless `userId` is an active member of the organization. Returns their username. */
export async function assertOrgMember(tx: Tx, tables: MemberTables, orgId: string, userId: string, path: string): Promise<string> {
  const { memberships, users } = tables;
  const [row] = await tx
    .select({ username: sql<string>`${users.username}` })
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
