import { and, asc, sql, type SQL } from "drizzle-orm";
import { definePolicy, requireUser, requires, type Scoped } from "../../platform/access/engine.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { resolveOrgFilter } from "../projects/index.js";
import { presentTask, selectTasks, taskConditions, tasks, type TaskFilters } from "../tasks/index.js";
import { csvLine, keysetLines } from "./csv.js";
import type { RunInCtx } from "./reports.service.js";

/**
 * A tasks report's rows are the tasks the caller sees (the tasks policy, through
 * the list's filters) in the organizations where they hold reports.view.
 */
export const taskReportPolicy = definePolicy<{ export: Scoped }, { export: Pick<typeof tasks, "orgId"> }>("report", {
  export: requires("reports.view"),
});

const HEADER = [
  "id",
  "organization",
  "key",
  "title",
  "description",
  "status",
  "priority",
  "project",
  "assignee",
  "reporter",
  "labels",
  "due_date",
  "estimate_minutes",
  "logged_minutes",
  "parent",
  "overdue",
  "completed_at",
  "created_at",
  "updated_at",
] as const;

/** reports.view and the filters' own rules are checked before a byte is sent: a refusal is a problem, never a cut-off file. */
export async function authorizeTaskReport(ctx: Ctx, query: TaskFilters): Promise<void> {
  const actor = requireUser(ctx.actor);
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org) : undefined;
  requireListScope(actor, taskReportPolicy, "export", orgId);
  await taskConditions(ctx, query);
}

/** The tasks as CSV lines, read in batches by keyset (id), each batch in its own short transaction. */
export function taskReportLines(run: RunInCtx, query: TaskFilters, batchSize = 500): AsyncGenerator<string> {
  return keysetLines<string, Ctx>(
    run,
    HEADER,
    async (ctx, cursor, limit) => {
      const actor = requireUser(ctx.actor);
      const bound = await taskConditions(ctx, query);
      const conditions: SQL[] = [...bound.conditions, listScope(actor, taskReportPolicy, "export", tasks)];
      if (cursor) conditions.push(sql`${tasks.id} > ${cursor}`);
      const rows = await selectTasks(ctx.tx, sql.placeholder("viewer"))
        .where(and(...conditions))
        .orderBy(asc(tasks.id))
        .limit(limit)
        .execute(bound.values);
      const slugs = new Map(actor.orgs.map((org) => [org.orgId, org.slug]));
      return rows.map((row) => {
        const task = presentTask(ctx.actor, row);
        return {
          cursor: task.id,
          text: csvLine([
            task.id,
            slugs.get(task.orgId) ?? task.orgId,
            task.key,
            task.title,
            task.description,
            task.status,
            task.priority,
            task.project?.key,
            task.assignee?.username,
            task.reporter?.username,
            task.labels.join(";"),
            task.dueDate,
            task.estimateMinutes,
            task.loggedMinutes,
            task.parent?.key,
            task.overdue,
            task.completedAt,
            task.createdAt,
            task.updatedAt,
          ]),
        };
      });
    },
    batchSize,
  );
}
