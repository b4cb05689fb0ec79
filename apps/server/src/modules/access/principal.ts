import { isPermission, memberTrack, type GrantScope, type Permission } from "@cairn/shared";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { OrgAccess } from "../../platform/access/actor.js";
import type { Principal } from "../../platform/auth/principal.js";
import { profiles, users } from "../accounts/index.js";
import { profileViewColumns } from "../accounts/index.js";
import { memberships, organizations } from "./tenancy.table.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";

export type { CachedProfile, Principal } from "../../platform/auth/principal.js";

export async function loadPrincipal(db: Db, userId: string): Promise<Principal | null> {
  const [user] = await db
    .select({
      id: users.id,
      username: users.username,
      email: users.email,
      createdAt: users.createdAt,
      isActive: users.isActive,
      isSuperuser: users.isSuperuser,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const [profile] = await db.select(profileViewColumns).from(profiles).where(eq(profiles.userId, userId));
  if (!profile) return null;
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
          developerTrack: roles.developerTrack,
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
    const projectLimit =
      values.length && values.every((value) => value !== null) ? Math.max(...values) : null;
    const developerTrack = memberTrack(rows.map((row) => row.developerTrack));
    return { ...org, createdAt: org.createdAt.toISOString(), roles: roleKeys, grants, projectLimit, developerTrack };
  });
  return {
    userId: user.id,
    username: user.username,
    email: user.email,
    createdAt: user.createdAt.toISOString(),
    isActive: user.isActive,
    isSuperuser: user.isSuperuser,
    orgs,
    profile: {
      ...profile,
      phoneVerifiedAt: profile.phoneVerifiedAt?.toISOString() ?? null,
      completedAt: profile.completedAt?.toISOString() ?? null,
    },
  };
}
