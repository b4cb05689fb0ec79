import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { TaskStatistics } from "../projects/index.js";
import { tasks } from "./tasks.table.js";

/** A project's task counts in one pass over its tasks (the project index serves it). */
export async function taskStatistics(tx: Tx, orgId: string, projectId: string): Promise<TaskStatistics> {
  const [row] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      todo: sql<number>`(count(*) filter (where ${tasks.status} = 'todo'))::int`,
      inProgress: sql<number>`(count(*) filter (where ${tasks.status} = 'in_progress'))::int`,
      done: sql<number>`(count(*) filter (where ${tasks.status} = 'done'))::int`,
      low: sql<number>`(count(*) filter (where ${tasks.priority} = 'low'))::int`,
      medium: sql<number>`(count(*) filter (where ${tasks.priority} = 'medium'))::int`,
      high: sql<number>`(count(*) filter (where ${tasks.priority} = 'high'))::int`,
      urgent: sql<number>`(count(*) filter (where ${tasks.priority} = 'urgent'))::int`,
      overdue: sql<number>`(count(*) filter (where ${tasks.status} <> 'done' and ${tasks.dueDate} < current_date))::int`,
      minutesLogged: sql<number>`coalesce(sum(${tasks.loggedMinutes}), 0)::int`,
    })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), eq(tasks.projectId, projectId)));
  const counts = row ?? { total: 0, todo: 0, inProgress: 0, done: 0, low: 0, medium: 0, high: 0, urgent: 0, overdue: 0, minutesLogged: 0 };
  return {
    total: counts.total,
    byStatus: { todo: counts.todo, in_progress: counts.inProgress, done: counts.done },
    byPriority: { low: counts.low, medium: counts.medium, high: counts.high, urgent: counts.urgent },
    overdue: counts.overdue,
    done: counts.done,
    minutesLogged: counts.minutesLogged,
  };
}
