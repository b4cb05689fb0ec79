import { and, asc, sql } from "drizzle-orm";
import { requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { inMemberOrgs, likePattern, resolveOrgFilter } from "../projects/index.js";
import { taskLabels } from "./tasks.table.js";

/** The labels of the caller's organizations (or one), for suggestions: created on first use by any task. */
export async function listLabels(ctx: Ctx, query: { search?: string; org?: string }): Promise<{ items: Array<{ name: string; orgId: string }> }> {
  const actor = requireUser(ctx.actor);
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org) : undefined;
  const rows = await ctx.tx
    .select({ name: taskLabels.name, orgId: taskLabels.orgId })
    .from(taskLabels)
    .where(
      and(
        inMemberOrgs(actor, taskLabels.orgId),
        orgId ? sql`${taskLabels.orgId} = ${orgId}` : undefined,
        query.search ? sql`${taskLabels.name} ilike ${likePattern(query.search)}` : undefined,
      ),
    )
    .orderBy(asc(sql`lower(${taskLabels.name})`))
    .limit(50);
  return { items: rows };
}
