import { and, asc, sql, type SQL } from "drizzle-orm";
import { requireUser } from "../../platform/access/engine.js";
import { resolveOrgFilter } from "../../platform/access/org-scope.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { findOrganization } from "../access/index.js";
import { presentProject, selectProjects } from "../projects/index.js";
import { projectConditions, type ProjectFilters } from "../projects/index.js";
import { projects } from "../projects/index.js";
import { csvLine, keysetLines } from "./csv.js";
import { reportPolicy } from "./reports.policy.js";

export type RunInCtx = <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;
export type ProjectReportQuery = ProjectFilters;

const COLUMNS = [
  "id",
  "organization",
  "key",
  "name",
  "status",
  "priority",
  "visibility",
  "client",
  "team",
  "owner",
  "manager",
  "start_date",
  "due_date",
  "archived",
  "members",
  "created_at",
  "updated_at",
] as const;
const FINANCIAL_COLUMNS = ["currency", "cost", "discount", "net_price", "amount_paid"] as const;

/**
 * The columns of the file: `payment_status` is a financial field, so it is
 * a column (after due_date, where it always was) only for a caller who may
 * see money, and its cells, like the other financial ones, are empty on the
 * rows whose money they may not see (as the project's API fields are absent).
 */
const header = (financial: boolean) => (financial ? [...COLUMNS.slice(0, 13), "payment_status", ...COLUMNS.slice(13), ...FINANCIAL_COLUMNS] : [...COLUMNS]);

/**
 * Checks reports.view, and the filters' own rules (the `paymentStatus` filter
 * needs projects.view_financials), before a byte is sent: the request fails
 * as a problem, never as a cut-off file.
 */
export async function authorizeProjectReport(ctx: Ctx, query: ProjectReportQuery): Promise<{ financial: boolean }> {
  const actor = requireUser(ctx.actor);
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org, findOrganization) : undefined;
  // No row the caller could export (anywhere, or in ?org=) is a 403 naming reports.view.
  requireListScope(actor, reportPolicy, "export", orgId);
  await projectConditions(ctx, query);
  const orgs = actor.isSuperuser ? actor.orgs : actor.orgs.filter((org) => org.grants["reports.view"]);
  return { financial: actor.isSuperuser || orgs.some((org) => org.grants["projects.view_financials"]) };
}

/**
 * The projects the caller may see, in the organizations where they hold
 * reports.view, as CSV lines. Rows are read in batches by keyset (org, key),
 * each batch in its own short transaction, and yielded as they come: the file
 * is streamed, never built in memory, and no connection is held while the
 * client reads slowly.
 */
export function projectReportLines(run: RunInCtx, query: ProjectReportQuery, options: { financial: boolean; batchSize?: number }): AsyncGenerator<string> {
  return keysetLines<{ orgId: string; key: string }, Ctx>(
    run,
    header(options.financial),
    async (ctx, cursor, limit) => {
      const bound = await projectConditions(ctx, query);
      const conditions: SQL[] = [...bound.conditions, listScope(requireUser(ctx.actor), reportPolicy, "export", projects)];
      if (cursor) conditions.push(sql`(${projects.orgId}, ${projects.key}) > (${cursor.orgId}, ${cursor.key})`);
      const rows = await selectProjects(ctx.tx, sql.placeholder("viewer"))
        .where(and(...conditions))
        .orderBy(asc(projects.orgId), asc(projects.key))
        .limit(limit)
        .execute(bound.values);
      const slugs = new Map(requireUser(ctx.actor).orgs.map((org) => [org.orgId, org.slug]));
      return rows.map((row) => {
        const view = presentProject(ctx.actor, row);
        const line = [
          view.id,
          slugs.get(view.orgId) ?? view.orgId,
          view.key,
          view.name,
          view.status,
          view.priority,
          view.visibility,
          view.client?.name,
          view.team?.name,
          view.owner?.username,
          view.manager?.username,
          view.startDate,
          view.dueDate,
          ...(options.financial ? [view.paymentStatus] : []),
          view.archived,
          view.memberCount,
          view.createdAt,
          view.updatedAt,
        ];
        const money = [view.currency, view.cost, view.discount, view.netPrice, view.paidAmount];
        return { cursor: { orgId: view.orgId, key: view.key }, text: csvLine(options.financial ? [...line, ...money] : line) };
      });
    },
    options.batchSize,
  );
}
