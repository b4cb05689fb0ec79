import { isPermission, type GrantScope, type Permission } from "@cairn/shared";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { OrgAccess } from "../../platform/access/actor.js";
import type { KeyValue } from "../../platform/ephemeral/ephemeral.js";
import { profiles, users } from "../accounts/accounts.table.js";
import { profileViewColumns, type ProfileView } from "../accounts/profile.service.js";
import { memberships, organizations } from "../orgs/orgs.table.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";

/**
 * Who a user is for the permission engine: identity plus what they hold in
 * each organization. A change to any of it (a user's username, email or
 * status, a membership, a role) must invalidate the cached copy.
 */
export type Principal = {
  userId: string;
  username: string;
  email: string;
  /** ISO-8601, as it survives the cache. */
  createdAt: string;
  isActive: boolean;
  isSuperuser: boolean;
  orgs: OrgAccess[];
  /** The user's own profile, for GET /api/me; every write goes through `writeProfile`, which invalidates. */
  profile: CachedProfile;
};

/** A profile as it survives the cache: instants as ISO-8601 text. */
export type CachedProfile = Omit<ProfileView, "phoneVerifiedAt" | "completedAt"> & {
  phoneVerifiedAt: string | null;
  completedAt: string | null;
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
    return { ...org, createdAt: org.createdAt.toISOString(), roles: roleKeys, grants, projectLimit };
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

export type PrincipalStore = {
  get(userId: string): Promise<Principal | null>;
  /** Drops cached principals; call after the change commits. */
  invalidate(userIds: string[]): Promise<void>;
};

/** Parsed principals kept per process, by user, with the cached text they were parsed from. */
const PARSED_MEMO_SIZE = 10_000;

export function createPrincipalStore(db: Db, kv: KeyValue): PrincipalStore {
  // The shared cache (Redis or memory) holds text; parsing it is skipped while the text is the
  // same as last time. Any change of the entry (invalidation, reload) gives new text and a new parse.
  const parsed = new Map<string, { text: string; principal: Principal }>();
  const parse = (userId: string, text: string): Principal => {
    const memo = parsed.get(userId);
    if (memo?.text === text) return memo.principal;
    const principal = deepFreeze(JSON.parse(text) as Principal);
    parsed.delete(userId);
    if (parsed.size >= PARSED_MEMO_SIZE) parsed.delete(parsed.keys().next().value as string);
    parsed.set(userId, { text, principal });
    return principal;
  };
  return {
    async get(userId) {
      const cached = await kv.get(cacheKey(userId));
      if (cached) return parse(userId, cached);
      const principal = await loadPrincipal(db, userId);
      if (!principal) return null;
      const text = JSON.stringify(principal);
      await kv.set(cacheKey(userId), text, CACHE_TTL_SECONDS);
      return parse(userId, text);
    },
    async invalidate(userIds) {
      for (const userId of userIds) parsed.delete(userId);
      if (userIds.length) await kv.del(...userIds.map(cacheKey));
    },
  };
}

/** Shared between requests, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
