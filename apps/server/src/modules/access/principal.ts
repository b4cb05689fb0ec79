import { isPermission, type GrantScope, type Permission } from "@cairn/shared";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { OrgAccess } from "../../platform/access/actor.js";
import type { KeyValue } from "../../platform/ephemeral/ephemeral.js";
import { users } from "../accounts/accounts.table.js";
import { memberships, organizations } from "../orgs/orgs.table.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";

/** Who a user is for the permission engine: identity plus what they hold in each organization. */
export type Principal = {
  userId: string;
  username: string;
  isActive: boolean;
  isSuperuser: boolean;
  orgs: OrgAccess[];
};

/**
 * Principals are cached (Redis or memory) because every request needs one;
 * every change of membership, role assignment or role grants invalidates the
 * holders' entries after commit. The TTL bounds any race between a read and
 * an invalidation.
 */
const CACHE_TTL_SECONDS = 300;
const cacheKey = (userId: string) => `principal:${userId}`;

export async function loadPrincipal(db: Db, userId: string): Promise<Principal | null> {
  const [user] = await db
    .select({ id: users.id, username: users.username, isActive: users.isActive, isSuperuser: users.isSuperuser })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const orgRows = await db
    .select({
      orgId: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      openRegistration: organizations.openRegistration,
      createdAt: organizations.createdAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
    .orderBy(organizations.name);
  const grantRows = orgRows.length
    ? await db
        .select({
          orgId: membershipRoles.orgId,
          key: roles.key,
          projectLimit: roles.projectLimit,
          permission: rolePermissions.permission,
          scope: rolePermissions.scope,
        })
        .from(membershipRoles)
        .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
        .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
        .where(
          and(
            eq(membershipRoles.userId, userId),
            inArray(
              membershipRoles.orgId,
              orgRows.map((row) => row.orgId),
            ),
          ),
        )
    : [];
  const orgs = orgRows.map((org): OrgAccess => {
    const rows = grantRows.filter((row) => row.orgId === org.orgId);
    const roleKeys = [...new Set(rows.map((row) => row.key))].sort();
    const grants: Partial<Record<Permission, GrantScope>> = {};
    for (const row of rows) {
      if (!row.permission || !isPermission(row.permission)) continue;
      // The union of roles: `all` wins over `own`.
      if (grants[row.permission] !== "all") grants[row.permission] = row.scope ?? "all";
    }
    const limits = new Map(rows.map((row) => [row.key, row.projectLimit]));
    // A limit binds only when every role the member holds sets one: a second, unlimited role lifts it.
    const values = [...limits.values()];
    const projectLimit = values.length && values.every((value) => value !== null) ? Math.max(...(values)) : null;
    return { ...org, createdAt: org.createdAt.toISOString(), roles: roleKeys, grants, projectLimit };
  });
  return { userId: user.id, username: user.username, isActive: user.isActive, isSuperuser: user.isSuperuser, orgs };
}

export type PrincipalStore = {
  get(userId: string): Promise<Principal | null>;
  /** Drops cached principals; call after the change commits. */
  invalidate(userIds: string[]): Promise<void>;
};

export function createPrincipalStore(db: Db, kv: KeyValue): PrincipalStore {
  return {
    async get(userId) {
      const cached = await kv.get(cacheKey(userId));
      if (cached) return JSON.parse(cached) as Principal;
      const principal = await loadPrincipal(db, userId);
      if (principal) await kv.set(cacheKey(userId), JSON.stringify(principal), CACHE_TTL_SECONDS);
      return principal;
    },
    async invalidate(userIds) {
      if (userIds.length) await kv.del(...userIds.map(cacheKey));
    },
  };
}
