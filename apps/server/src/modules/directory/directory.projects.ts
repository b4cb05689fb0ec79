import { and, asc, eq, exists, inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { users } from "../accounts/index.js";
import { visibleProjects } from "../projects/index.js";
import { projectMembers, projects } from "../projects/index.js";

/**
 * The directory's window on projects: the projects module's tables, read
 * only, through its own visibility predicate, so a developer's card never
 * names a project the caller could not open.
 */

/** A project as the directory names it. */
export type ProjectRef = { id: string; name: string };

/** The organizations whose developers the caller sees, as a condition on an organization column. */
export type Scope = (orgColumn: PgColumn) => SQL;

/** The projects each developer is on, limited to those the caller may see (and to the scope's organizations). */
export async function developerProjects(ctx: Ctx, userIds: string[], scope: Scope): Promise<Map<string, ProjectRef[]>> {
  const byUser = new Map<string, ProjectRef[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return byUser;
  const rows = await ctx.tx
    .select({ userId: projectMembers.userId, id: projects.id, name: projects.name })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(and(inArray(projectMembers.userId, userIds), visibleProjects(requireUser(ctx.actor)), scope(projects.orgId)))
    .orderBy(asc(projects.name), asc(projects.id));
  for (const { userId, ...project } of rows) byUser.get(userId)?.push(project);
  return byUser;
}

/**
 * `?project=`: developers on that project. A project the caller may not see
 * matches nobody, exactly like one that does not exist.
 */
export function onProjectCondition(ctx: Ctx, projectId: string, scope: Scope): SQL {
  return exists(
    ctx.tx
      .select({ one: sql`1` })
      .from(projectMembers)
      .innerJoin(projects, eq(projects.id, projectMembers.projectId))
      .where(and(eq(projectMembers.userId, users.id), eq(projectMembers.projectId, projectId), visibleProjects(requireUser(ctx.actor)), scope(projects.orgId))),
  );
}
