import { and, asc, sql, type SQL } from "drizzle-orm";
import { definePolicy, requireUser, requires, type Scoped } from "../../platform/access/engine.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { csvLine, keysetLines, type RunInCtx } from "../reports/index.js";
import { resolveOrgFilter } from "../projects/index.js";
import { timeConditions, type TimeFilters } from "./time.list.js";
import { presentEntry, selectEntries } from "./time.service.js";
import { timeEntries } from "./time.table.js";

/**
 * GET /api/reports/time.csv: the timesheet's rows (what the caller sees, with
 * its filters) in the organizations where the caller holds reports.view,
 * streamed in batches by keyset, each batch in its own short transaction.
 */
export const timeReportPolicy = definePolicy<{ export: Scoped }, { export: Pick<typeof timeEntries, "orgId"> }>("report", {
  export: requires("reports.view"),
});

const HEADER = ["id", "organization", "date", "user", "minutes", "hours", "task", "task_title", "project", "note", "created_at"] as const;

/** reports.view and the filters are checked before a byte is sent: a refusal is a problem, never a cut-off file. */
export async function authorizeTimeReport(ctx: Ctx, query: TimeFilters): Promise<void> {
  const actor = requireUser(ctx.actor);
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org) : undefined;
  requireListScope(actor, timeReportPolicy, "export", orgId);
  await timeConditions(ctx, query);
}

export function timeReportLines(run: RunInCtx, query: TimeFilters, batchSize = 500): AsyncGenerator<string> {
  return keysetLines<{ spentOn: string; id: string }, Ctx>(
    run,
    HEADER,
    async (ctx, cursor, limit) => {
      const actor = requireUser(ctx.actor);
      const conditions: SQL[] = [...(await timeConditions(ctx, query)), listScope(actor, timeReportPolicy, "export", timeEntries)];
      if (cursor) conditions.push(sql`(${timeEntries.spentOn}, ${timeEntries.id}) > (${cursor.spentOn}::date, ${cursor.id}::uuid)`);
      const rows = await selectEntries(ctx)
        .where(and(...conditions))
        .orderBy(asc(timeEntries.spentOn), asc(timeEntries.id))
        .limit(limit);
      const slugs = new Map(actor.orgs.map((org) => [org.orgId, org.slug]));
      return rows.map((row) => {
        const entry = presentEntry(actor, row);
        const line = [entry.id, slugs.get(entry.orgId) ?? entry.orgId, entry.spentOn, entry.user?.username, entry.minutes, (entry.minutes / 60).toFixed(2)];
        return { cursor: { spentOn: entry.spentOn, id: entry.id }, text: csvLine([...line, entry.task.key, entry.task.title, entry.task.project?.key, entry.note, entry.createdAt]) };
      });
    },
    batchSize,
  );
}
