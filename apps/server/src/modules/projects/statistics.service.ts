import { and, count, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { countAttachments } from "../attachments/index.js";
import { projectPolicy } from "./projects.policy.js";
import { findVisibleProject, projectSubject } from "./projects.queries.js";
import { projectMembers } from "./projects.table.js";

/** What the tasks module reports about one project's tasks. */
export type TaskStatistics = {
  total: number;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  overdue: number;
  done: number;
  minutesLogged: number;
};

export type TaskStatisticsSource = (tx: Tx, orgId: string, projectId: string) => Promise<TaskStatistics>;

const NO_TASKS: TaskStatistics = {
  total: 0,
  byStatus: { todo: 0, in_progress: 0, done: 0 },
  byPriority: { low: 0, medium: 0, high: 0, urgent: 0 },
  overdue: 0,
  done: 0,
  minutesLogged: 0,
};

let taskSource: TaskStatisticsSource = async () => NO_TASKS;

/**
 * The tasks module plugs its counts in here when it exists; until then every
 * count is zero and the endpoint already has its final shape.
 */
export function provideTaskStatistics(source: TaskStatisticsSource): void {
  taskSource = source;
}

export async function getProjectStatistics(ctx: Ctx, projectId: string) {
  const row = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "view", projectSubject(row));
  const { orgId, dueDate } = row.project;
  const tasks = await taskSource(ctx.tx, orgId, projectId);
  const files = await countAttachments(ctx.tx, "project", orgId, projectId);
  const members = await ctx.tx
    .select({ value: count() })
    .from(projectMembers)
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId)));
  const today = new Date().toISOString().slice(0, 10);
  return {
    projectId,
    tasks: { total: tasks.total, byStatus: tasks.byStatus, byPriority: tasks.byPriority, overdue: tasks.overdue },
    hoursLogged: Math.round((tasks.minutesLogged / 60) * 100) / 100,
    completionPercent: tasks.total ? Math.round((tasks.done / tasks.total) * 1000) / 10 : 0,
    members: members[0]?.value ?? 0,
    files,
    daysLeft: dueDate ? Math.round((Date.parse(dueDate) - Date.parse(today)) / 86_400_000) : null,
  };
}
