import { taskKey } from "@cairn/shared";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { Actor, UserActor } from "../../platform/access/actor.js";
import { allowedActions, requireUser } from "../../platform/access/engine.js";
import { asParam, listScope, listScopeValues, type Bind } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { projects } from "../projects/index.js";
import { taskPolicy, type TaskSubject } from "./tasks.policy.js";
import { tasks } from "./tasks.table.js";

/**
 * How tasks are read: one visibility predicate (the policy's `view` as SQL) for
 * every list, detail, export and push, and one select that brings a page of
 * tasks with what a row shows (project, people, parent, sub-task progress,
 * blockers) in a single query. Names come from scalar subqueries, evaluated
 * only for the rows of the page.
 */

/** Tasks the actor sees, exactly those `authorize(actor, taskPolicy, "view", …)` allows. */
export function visibleTasks(actor: UserActor, bind: Bind = asParam): SQL {
  return listScope(actor, taskPolicy, "view", tasks, { bind, name: "visible" });
}

/** The values `visibleTasks` binds for an actor, and its shape (one prepared statement per shape). */
export function taskVisibilityValues(actor: UserActor): { shape: string; values: Record<string, unknown> } {
  return listScopeValues(actor, taskPolicy, "view", { name: "visible" });
}

/** A task with what a row shows; `viewer` is the caller's id (a value or a placeholder). */
export function selectTasks(tx: Tx, viewer: unknown, total: SQL = sql`(count(*) over ())::int`) {
  return tx
    .select({
      task: tasks,
      projectKey: projects.key,
      projectName: projects.name,
      projectOwnerId: projects.ownerId,
      projectManagerId: projects.managerId,
      projectVisibility: projects.visibility,
      customerUserId: sql<string | null>`(select c.customer_user_id from clients c where c.id = "projects"."client_id")`,
      teamManagerId: sql<string | null>`(select t.manager_id from teams t where t.id = "projects"."team_id")`,
      viewerInTeam: sql<boolean>`exists (select 1 from team_members tm where tm.team_id = "projects"."team_id" and tm.user_id = ${viewer})`,
      viewerIsMember: sql<boolean>`exists (select 1 from project_members pm where pm.project_id = "tasks"."project_id" and pm.user_id = ${viewer})`,
      assigneeUsername: sql<string | null>`(select u.username from users u where u.id = "tasks"."assignee_id")`,
      assigneeDisplayName: sql<string | null>`(select p.display_name from profiles p where p.user_id = "tasks"."assignee_id")`,
      reporterUsername: sql<string | null>`(select u.username from users u where u.id = "tasks"."reporter_id")`,
      parentNumber: sql<number | null>`(select pt.number from tasks pt where pt.id = "tasks"."parent_id")`,
      parentTitle: sql<string | null>`(select pt.title from tasks pt where pt.id = "tasks"."parent_id")`,
      subtasks: sql<{ total: number; done: number }>`(select json_build_object('total', count(*)::int, 'done', (count(*) filter (where ct.status = 'done'))::int) from tasks ct where ct.parent_id = "tasks"."id")`,
      blockedBy: sql<string[]>`coalesce((select array_agg(d.depends_on_id::text order by d.created_at) from task_dependencies d where d.task_id = "tasks"."id"), '{}'::text[])`,
      /** How many of its blockers are not done yet. */
      openBlockers: sql<number>`(select count(*)::int from task_dependencies d join tasks bt on bt.id = d.depends_on_id where d.task_id = "tasks"."id" and bt.status <> 'done')`,
      /** How many rows match before the page is cut: a list's total without a second query. */
      total: sql<number>`${total}`,
    })
    .from(tasks)
    .leftJoin(projects, eq(projects.id, tasks.projectId));
}

export type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>["where"]>>[number];

/** A task as the rules see it, for the caller it was read for. */
export function taskSubject(row: TaskRow): TaskSubject {
  const { task } = row;
  return {
    orgId: task.orgId,
    projectId: task.projectId,
    assigneeId: task.assigneeId,
    reporterId: task.reporterId,
    project:
      task.projectId === null || row.projectVisibility === null
        ? null
        : {
            orgId: task.orgId,
            ownerId: row.projectOwnerId,
            managerId: row.projectManagerId,
            customerUserId: row.customerUserId,
            visibility: row.projectVisibility,
            teamManagerId: row.teamManagerId,
            viewerIsMember: row.viewerIsMember,
            viewerInTeam: row.viewerInTeam,
          },
  };
}

/** Today in UTC, as the database compares due dates. */
export const today = () => new Date().toISOString().slice(0, 10);

/** The API's task (API.md "Shapes"), with what the caller may do with it. */
export function presentTask(actor: Actor, row: TaskRow) {
  const { task } = row;
  const key = taskKey(task.projectId ? row.projectKey : null, task.number);
  return {
    id: task.id,
    orgId: task.orgId,
    projectId: task.projectId,
    key,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    assigneeId: task.assigneeId,
    reporterId: task.reporterId,
    parentId: task.parentId,
    labels: task.labels,
    position: task.position,
    dueDate: task.dueDate,
    estimateMinutes: task.estimateMinutes,
    loggedMinutes: task.loggedMinutes,
    blockedBy: row.blockedBy,
    openBlockers: row.openBlockers,
    isBlocked: task.status !== "done" && row.openBlockers > 0,
    completedAt: task.completedAt,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    project: task.projectId && row.projectKey !== null ? { id: task.projectId, key: row.projectKey, name: row.projectName ?? "" } : null,
    assignee: task.assigneeId && row.assigneeUsername !== null ? { id: task.assigneeId, username: row.assigneeUsername, displayName: row.assigneeDisplayName ?? "" } : null,
    reporter: task.reporterId && row.reporterUsername !== null ? { id: task.reporterId, username: row.reporterUsername } : null,
    parent:
      task.parentId && row.parentNumber !== null
        ? { id: task.parentId, key: taskKey(task.projectId ? row.projectKey : null, row.parentNumber), title: row.parentTitle ?? "" }
        : null,
    subtasks: row.subtasks,
    overdue: task.status !== "done" && task.dueDate !== null && task.dueDate < today(),
    allowedActions: allowedActions(actor, taskPolicy, taskSubject(row)),
  };
}

export type TaskView = ReturnType<typeof presentTask>;

/**
 * A task the actor sees; anything else (another organization's, a personal
 * task of someone else, one of a project they cannot see) is a 404. A change
 * locks the row first, so concurrent changes of one task take turns.
 */
export async function findVisibleTask(ctx: Ctx, taskId: string, options: { forUpdate?: boolean } = {}): Promise<TaskRow> {
  const actor = requireUser(ctx.actor);
  const visible = and(eq(tasks.id, taskId), visibleTasks(actor));
  if (options.forUpdate) await ctx.tx.select({ id: tasks.id }).from(tasks).where(visible).for("update");
  const [row] = await selectTasks(ctx.tx, actor.userId).where(visible);
  if (!row) throw new NotFoundError("task");
  return row;
}
