import { taskKey, type TimeEntryInput, type UpdateTimeEntryInput } from "@cairn/shared";
import { and, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { UserActor } from "../../platform/access/actor.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { profiles, users } from "../accounts/index.js";
import { inMemberOrgs, projects } from "../projects/index.js";
import { findVisibleTask, pushTaskUpdated, selectTasks, taskSubject, tasks, visibleTasks, type TaskRow } from "../tasks/index.js";
import { timeEntryPolicy, timeLogPolicy } from "./time.policy.js";
import { timeEntries } from "./time.table.js";

/**
 * Time entries: the assignee and whoever manages a task log `{minutes,
 * spentOn, note}`; people change and delete their own. The task's
 * `loggedMinutes` moves with every write in the same transaction, by an
 * increment (`logged_minutes + n`): the row lock of the UPDATE makes
 * concurrent logs take turns, and each adds to what the one before left.
 *
 * Who sees an entry (ADR 0009): its author always, and whoever may see its
 * task (the task policy's `view`, as SQL for lists): a manager's timesheet is
 * the time of the tasks they oversee, a developer's their own and that of the
 * tasks assigned to them.
 */

export type TimeEntryView = {
  id: string;
  orgId: string;
  taskId: string;
  userId: string;
  user: { id: string; username: string; displayName: string } | null;
  minutes: number;
  spentOn: string;
  note: string;
  createdAt: Date;
  updatedAt: Date;
  task: { id: string; key: string; title: string; projectId: string | null; project: { id: string; key: string; name: string } | null };
  /** `update` and `delete` for its author. */
  allowedActions: string[];
};

/** An entry with its task, project and person: one row of every list and of the CSV file. */
export function selectEntries(ctx: Ctx) {
  return ctx.tx
    .select({
      entry: timeEntries,
      username: users.username,
      displayName: sql<string>`coalesce(${profiles.displayName}, '')`,
      taskNumber: tasks.number,
      taskTitle: tasks.title,
      projectId: tasks.projectId,
      projectKey: projects.key,
      projectName: projects.name,
    })
    .from(timeEntries)
    .innerJoin(tasks, and(eq(tasks.orgId, timeEntries.orgId), eq(tasks.id, timeEntries.taskId)))
    .leftJoin(projects, eq(projects.id, tasks.projectId))
    .leftJoin(users, eq(users.id, timeEntries.userId))
    .leftJoin(profiles, eq(profiles.userId, timeEntries.userId));
}

export type EntryRow = Awaited<ReturnType<ReturnType<typeof selectEntries>["where"]>>[number];

export function presentEntry(actor: UserActor, row: EntryRow): TimeEntryView {
  const { entry } = row;
  const projectKey = row.projectId ? row.projectKey : null;
  return {
    id: entry.id,
    orgId: entry.orgId,
    taskId: entry.taskId,
    userId: entry.userId,
    user: row.username !== null ? { id: entry.userId, username: row.username, displayName: row.displayName } : null,
    minutes: entry.minutes,
    spentOn: entry.spentOn,
    note: entry.note,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    task: {
      id: entry.taskId,
      key: taskKey(projectKey, row.taskNumber),
      title: row.taskTitle,
      projectId: row.projectId,
      project: row.projectId && row.projectKey !== null ? { id: row.projectId, key: row.projectKey, name: row.projectName ?? "" } : null,
    },
    allowedActions: allowedActions(actor, timeEntryPolicy, { orgId: entry.orgId, userId: entry.userId }),
  };
}

/** The organizations an actor's entries may come from (all for the superuser). */
const inActorOrgs = (actor: UserActor): SQL => inMemberOrgs(actor, timeEntries.orgId);

/** Entries the actor sees: their own, and those of tasks they may see (over `selectEntries`' join). */
export function visibleEntries(actor: UserActor): SQL {
  return and(inActorOrgs(actor), or(eq(timeEntries.userId, actor.userId), visibleTasks(actor))) ?? sql`false`;
}

/** Moves a task's `loggedMinutes` by `delta` (an increment: concurrent writes add up). */
async function addToTask(ctx: Ctx, orgId: string, taskId: string, delta: number): Promise<void> {
  if (!delta) return;
  // Plain SQL: the total is derived data, so the task's `updatedAt` stays what its own fields make it.
  await ctx.tx.execute(sql`update ${tasks} set logged_minutes = logged_minutes + ${delta} where ${tasks.orgId} = ${orgId} and ${tasks.id} = ${taskId}`);
}

/** After a change, the task as it now is goes to whoever sees it (its `loggedMinutes`), the caller's view of it or not. */
async function announce(ctx: Ctx, orgId: string, taskId: string): Promise<void> {
  const [row] = await selectTasks(ctx.tx, requireUser(ctx.actor).userId).where(and(eq(tasks.orgId, orgId), eq(tasks.id, taskId)));
  if (row) pushTaskUpdated(ctx, row);
}

async function readEntry(ctx: Ctx, entryId: string): Promise<TimeEntryView> {
  const actor = requireUser(ctx.actor);
  const [row] = await selectEntries(ctx).where(and(eq(timeEntries.id, entryId), inActorOrgs(actor)));
  if (!row) throw new NotFoundError("time entry");
  return presentEntry(actor, row);
}

/** The assignee or a manager of the task logs time on it. */
export async function logTime(ctx: Ctx, taskId: string, input: TimeEntryInput): Promise<TimeEntryView> {
  const actor = requireUser(ctx.actor);
  const row: TaskRow = await findVisibleTask(ctx, taskId);
  authorize(actor, timeLogPolicy, "log", taskSubject(row));
  const { orgId } = row.task;
  const [entry] = await ctx.tx
    .insert(timeEntries)
    .values({ orgId, taskId, userId: actor.userId, minutes: input.minutes, spentOn: input.spentOn, note: input.note ?? "" })
    .returning({ id: timeEntries.id });
  if (!entry) throw new Error("time entry insert returned nothing");
  await addToTask(ctx, orgId, taskId, input.minutes);
  await recordAudit(ctx, {
    orgId,
    action: "task.time_logged",
    entityType: "task",
    entityId: taskId,
    changes: { timeEntryId: [null, entry.id], minutes: [null, input.minutes], spentOn: [null, input.spentOn], ...(input.note ? { note: [null, input.note] } : {}) },
  });
  await announce(ctx, orgId, taskId);
  return readEntry(ctx, entry.id);
}

/** A timesheet page: entries matching `where` (over `selectEntries`' join), newest day first, and the count and sum of them all. */
export async function entriesPage(ctx: Ctx, where: SQL | undefined, query: PageQuery): Promise<Page<TimeEntryView> & { totalMinutes: number }> {
  const actor = requireUser(ctx.actor);
  const [totals] = await ctx.tx
    .select({ count: sql<number>`count(*)::int`, minutes: sql<number>`coalesce(sum(${timeEntries.minutes}), 0)::int` })
    .from(timeEntries)
    .innerJoin(tasks, and(eq(tasks.orgId, timeEntries.orgId), eq(tasks.id, timeEntries.taskId)))
    .where(where);
  const rows = await selectEntries(ctx)
    .where(where)
    .orderBy(desc(timeEntries.spentOn), desc(timeEntries.createdAt), desc(timeEntries.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: rows.map((row) => presentEntry(actor, row)), page: query.page, pageSize: query.pageSize, total: totals?.count ?? 0, totalMinutes: totals?.minutes ?? 0 };
}

/** A task's entries (whoever sees the task sees its time), newest day first, with their sum. */
export async function listTaskTime(ctx: Ctx, taskId: string, query: PageQuery): Promise<Page<TimeEntryView> & { totalMinutes: number }> {
  const row = await findVisibleTask(ctx, taskId);
  return entriesPage(ctx, and(eq(timeEntries.orgId, row.task.orgId), eq(timeEntries.taskId, taskId)), query);
}

/** An entry the caller sees, locked for a change; anything else (another organization's included) is a 404. */
async function findEntry(ctx: Ctx, entryId: string) {
  const actor = requireUser(ctx.actor);
  const [found] = await selectEntries(ctx).where(and(eq(timeEntries.id, entryId), visibleEntries(actor)));
  if (!found) throw new NotFoundError("time entry");
  const [locked] = await ctx.tx
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.orgId, found.entry.orgId), eq(timeEntries.id, entryId)))
    .for("update");
  if (!locked) throw new NotFoundError("time entry");
  return locked;
}

/** People change their own entries; a new number of minutes moves the task's total by the difference. */
export async function updateTimeEntry(ctx: Ctx, entryId: string, patch: UpdateTimeEntryInput): Promise<TimeEntryView> {
  const actor = requireUser(ctx.actor);
  const entry = await findEntry(ctx, entryId);
  authorize(actor, timeEntryPolicy, "update", { orgId: entry.orgId, userId: entry.userId });
  const changes = diff(entry, patch);
  if (!Object.keys(changes).length) return readEntry(ctx, entryId);
  await ctx.tx
    .update(timeEntries)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(timeEntries.orgId, entry.orgId), eq(timeEntries.id, entryId)));
  if (patch.minutes !== undefined) await addToTask(ctx, entry.orgId, entry.taskId, patch.minutes - entry.minutes);
  await recordAudit(ctx, {
    orgId: entry.orgId,
    action: "task.time_entry_changed",
    entityType: "task",
    entityId: entry.taskId,
    changes: { timeEntryId: [entry.id, entry.id], ...changes },
  });
  await announce(ctx, entry.orgId, entry.taskId);
  return readEntry(ctx, entryId);
}

/** People delete their own entries; the task's total drops by its minutes. */
export async function deleteTimeEntry(ctx: Ctx, entryId: string): Promise<void> {
  const actor = requireUser(ctx.actor);
  const entry = await findEntry(ctx, entryId);
  authorize(actor, timeEntryPolicy, "delete", { orgId: entry.orgId, userId: entry.userId });
  await ctx.tx.delete(timeEntries).where(and(eq(timeEntries.orgId, entry.orgId), eq(timeEntries.id, entryId)));
  await addToTask(ctx, entry.orgId, entry.taskId, -entry.minutes);
  await recordAudit(ctx, {
    orgId: entry.orgId,
    action: "task.time_entry_deleted",
    entityType: "task",
    entityId: entry.taskId,
    changes: { timeEntryId: [entry.id, null], userId: [entry.userId, null], minutes: [entry.minutes, null], spentOn: [entry.spentOn, null] },
  });
  await announce(ctx, entry.orgId, entry.taskId);
}
