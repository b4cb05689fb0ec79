import type { DeveloperTrack } from "@cairn/shared";
import { and, asc, count, desc, eq, exists, inArray, isNotNull, not, sql, type SQL } from "drizzle-orm";
import { requireUser } from "../../platform/access/engine.js";
import { likePattern } from "../../platform/access/org-scope.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { profiles, users } from "../accounts/index.js";
import { avatarUrl, onboardingState } from "../accounts/index.js";
import { membershipRoles, roles } from "../access/index.js";
import { getOrganization } from "../access/index.js";
import { memberships, organizations } from "../access/index.js";
import { developerProjects, onProjectCondition, type ProjectRef, type Scope } from "./directory.projects.js";
import { developerPolicy } from "./directory.policy.js";

/** A developer as the directory shows them: public profile fields only. */
export type DeveloperView = {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  timezone: string;
  verified: boolean;
  roles: string[];
  projects: ProjectRef[];
};

export type DeveloperDetail = DeveloperView & {
  phoneVerified: boolean;
  profileComplete: boolean;
  completedAt: Date | null;
  /** Per organization: the developer's roles there, and whether one of them is on the verified step of the track. */
  orgs: Array<{ id: string; slug: string; name: string; roles: string[]; verified: boolean }>;
};

export type DeveloperQuery = PageQuery & { search?: string; project?: string; verified?: boolean; org?: string; ordering?: string };

/**
 * Where the caller may look for developers: the developer policy's `view` rule
 * as SQL over a membership's (or a project's) organization, within `?org=`.
 */
async function directoryScope(ctx: Ctx, org: string | undefined): Promise<Scope> {
  const actor = requireUser(ctx.actor);
  const orgId = org ? (await getOrganization(ctx, org)).id : undefined;
  // Nothing the caller could see (anywhere, or in ?org=) is a 403 naming developers.view.
  requireListScope(actor, developerPolicy, "view", orgId);
  return (orgColumn) => {
    const visible = listScope(actor, developerPolicy, "view", { orgId: orgColumn });
    return orgId ? sql`(${visible} and ${orgColumn} = ${orgId})` : visible;
  };
}

/**
 * Active memberships of the listed user inside the scope holding a role on the developer
 * track (at one of `tracks` when given): the attribute, never a role key, says who is a developer.
 */
function onTrack(ctx: Ctx, scope: Scope, tracks?: DeveloperTrack[]) {
  return exists(
    ctx.tx
      .select({ one: sql`1` })
      .from(memberships)
      .innerJoin(membershipRoles, and(eq(membershipRoles.orgId, memberships.orgId), eq(membershipRoles.userId, memberships.userId)))
      .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
      .where(
        and(
          eq(memberships.userId, users.id),
          eq(memberships.isActive, true),
          tracks ? inArray(roles.developerTrack, tracks) : isNotNull(roles.developerTrack),
          scope(memberships.orgId),
        ),
      ),
  );
}

/** Every role the listed user holds in the scope's organizations, sorted. */
const rolesIn = (scope: Scope) =>
  sql<string[]>`coalesce((select array_agg(distinct ${roles.key} order by ${roles.key}) from ${membershipRoles} join ${roles} on ${roles.id} = ${membershipRoles.roleId} join ${memberships} on ${memberships.orgId} = ${membershipRoles.orgId} and ${memberships.userId} = ${membershipRoles.userId} where ${membershipRoles.userId} = ${users.id} and ${memberships.isActive} and ${scope(memberships.orgId)}), '{}')`;

const columns = (ctx: Ctx, scope: Scope) => ({
  id: users.id,
  username: users.username,
  createdAt: users.createdAt,
  displayName: profiles.displayName,
  bio: profiles.bio,
  avatarKey: profiles.avatarKey,
  timezone: profiles.timezone,
  roles: rolesIn(scope),
  verified: sql<boolean>`${onTrack(ctx, scope, ["verified"])}`.mapWith(Boolean),
});

type Row = {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarKey: string | null;
  timezone: string;
  roles: string[];
  verified: boolean;
};

function present(row: Row, projects: ProjectRef[]): DeveloperView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    bio: row.bio,
    avatarUrl: avatarUrl(row),
    timezone: row.timezone,
    verified: row.verified,
    roles: row.roles,
    projects,
  };
}

const ORDERING = { username: users.username, displayName: profiles.displayName, createdAt: users.createdAt } as const;

/**
 * GET /api/developers: active members holding a role on the developer track
 * (a role attribute: `developer` and `verified_developer` by default, and any
 * custom role an admin puts on it) in the organizations where the caller holds
 * developers.view; filters by name, project, verification and organization.
 */
export async function listDevelopers(ctx: Ctx, query: DeveloperQuery): Promise<Page<DeveloperView>> {
  const scope = await directoryScope(ctx, query.org);
  const conditions: SQL[] = [eq(users.isActive, true), onTrack(ctx, scope)];
  if (query.search) {
    const pattern = likePattern(query.search);
    conditions.push(sql`(${users.username} ilike ${pattern} or ${profiles.displayName} ilike ${pattern})`);
  }
  if (query.verified !== undefined) {
    const verified = onTrack(ctx, scope, ["verified"]);
    conditions.push(query.verified ? verified : not(verified));
  }
  if (query.project) conditions.push(onProjectCondition(ctx, query.project, scope));
  const where = and(...conditions);
  const ordering = parseOrdering(query.ordering);
  const column = ORDERING[(ordering?.field ?? "username") as keyof typeof ORDERING] ?? users.username;
  const [total] = await ctx.tx.select({ value: count() }).from(users).innerJoin(profiles, eq(profiles.userId, users.id)).where(where);
  const rows = await ctx.tx
    .select(columns(ctx, scope))
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(where)
    .orderBy(ordering?.descending ? desc(column) : asc(column), asc(users.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const projects = await developerProjects(ctx, rows.map((row) => row.id), scope);
  return {
    items: rows.map((row) => present(row, projects.get(row.id) ?? [])),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.value ?? 0,
  };
}

/** GET /api/developers/{userId}: public profile, roles, verification state and the projects the caller may see. */
export async function getDeveloper(ctx: Ctx, userId: string): Promise<DeveloperDetail> {
  const scope = await directoryScope(ctx, undefined);
  const [row] = await ctx.tx
    .select({ ...columns(ctx, scope), profile: profiles })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(and(eq(users.id, userId), eq(users.isActive, true), onTrack(ctx, scope)));
  if (!row) throw new NotFoundError("developer");
  const orgRows = await ctx.tx
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, key: roles.key, track: roles.developerTrack })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(membershipRoles, and(eq(membershipRoles.orgId, memberships.orgId), eq(membershipRoles.userId, memberships.userId)))
    .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
    .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true), scope(memberships.orgId)))
    .orderBy(asc(organizations.name), asc(roles.key));
  const orgs = new Map<string, DeveloperDetail["orgs"][number]>();
  for (const { key, track, ...org } of orgRows) {
    const entry = orgs.get(org.id) ?? { ...org, roles: [], verified: false };
    entry.roles.push(key);
    if (track === "verified") entry.verified = true;
    orgs.set(org.id, entry);
  }
  const projects = await developerProjects(ctx, [row.id], scope);
  // The private fields (national id, phone) are read only to compute the state; they are not returned.
  const state = onboardingState(row.profile);
  return {
    ...present(row, projects.get(row.id) ?? []),
    phoneVerified: state.phoneVerified,
    profileComplete: state.profileComplete,
    completedAt: row.profile.completedAt,
    orgs: [...orgs.values()],
  };
}
