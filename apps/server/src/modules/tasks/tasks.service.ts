import { taskKey, type CreateTaskInput, type MoveTaskInput, type TaskDraft, type TaskStatus, type UpdateTaskInput } from "@cairn/shared";
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { UserActor } from "../../platform/access/actor.js";
import { authorize, requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ValidationError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { deleteAttachmentsOf } from "../attachments/index.js";
import { findVisibleProject, projectSubject, resolveOrgFilter, resolveTargetOrg } from "../projects/index.js";
import { taskAssigned, taskCreated, taskStatusChanged } from "./tasks.events.js";
import { taskCreationPolicy, taskPolicy } from "./tasks.policy.js";
import { findVisibleTask, presentTask, taskSubject, type TaskRow, type TaskView } from "./tasks.queries.js";
import { pushTaskDeleted, pushTaskUpdated } from "./tasks.realtime.js";
import { addNewTaskBlockers, pushDependents } from "./tasks.dependencies.js";
import { tasks } from "./tasks.table.js";
import { assertNoParentCycle, assertParent, assertUnblocked, canonicalLabels, prepareAssignee, spell, takeNumbers } from "./tasks.write.js";

/** Where new tasks go: a project the caller may add tasks to, or their own personal list. */
export type TaskTarget = { orgId: string; project: { id: string; key: string; managerId: string | null; ownerId: string | null } | null };

/** Resolves and authorizes where tasks are created (404 for a project the caller cannot see, 403 naming tasks.manage). */
export async function resolveTaskTarget(ctx: Ctx, input: { orgId?: string; projectId?: string | null }): Promise<TaskTarget> {
  const actor = requireUser(ctx.actor);
  if (input.projectId) {
    const row = await findVisibleProject(ctx, input.projectId);
    const { project } = row;
    if (input.orgId && (await resolveOrgFilter(ctx, input.orgId)) !== project.orgId) {
      throw new ValidationError([{ path: "orgId", message: "The project is in another organization." }]);
    }
    authorize(actor, taskCreationPolicy, "createInProject", {
      orgId: project.orgId,
      projectId: project.id,
      assigneeId: null,
      reporterId: actor.userId,
      project: projectSubject(row),
    });
    return { orgId: project.orgId, project: { id: project.id, key: project.key, managerId: project.managerId, ownerId: project.ownerId } };
  }
  const orgId = await resolveTargetOrg(ctx, input.orgId);
  authorize(actor, taskCreationPolicy, "createPersonal", { orgId });
  return { orgId, project: null };
}

/** The people a task's events concern besides its assignee: the reporter and the project's manager and owner. */
function watchers(target: { managerId: string | null; ownerId: string | null } | null, reporterId: string | null): string[] {
  return [reporterId, target?.managerId ?? null, target?.ownerId ?? null].filter((id): id is string => id !== null);
}

/** A personal task is its creator's to-do: nobody else can be its assignee. */
function assertPersonalAssignee(actor: UserActor, assigneeId: string | null | undefined, path = "assigneeId"): void {
  if (assigneeId && assigneeId !== actor.userId) throw new ValidationError([{ path, message: "A personal task can only be assigned to its creator." }]);
}

/** A new card goes to the bottom of its column: positions grow with time, and moves take midpoints. */
const bottomPosition = (offset = 0) => Date.now() + offset / 100;

export async function getTask(ctx: Ctx, taskId: string): Promise<TaskView> {
  const row = await findVisibleTask(ctx, taskId);
  return presentTask(ctx.actor, row);
}

/** Re-reads a task after a change, pushes it to the people who see it, and returns it as the caller sees it. */
async function afterChange(ctx: Ctx, taskId: string, formerly: Array<string | null> = []): Promise<TaskView> {
  const row = await findVisibleTask(ctx, taskId);
  pushTaskUpdated(ctx, row, formerly);
  return presentTask(ctx.actor, row);
}

/** One task: numbered, labelled, assigned (the assignee joins the project within their limit), audited and announced. */
export async function createTask(ctx: Ctx, input: CreateTaskInput): Promise<TaskView> {
  const actor = requireUser(ctx.actor);
  const target = await resolveTaskTarget(ctx, input);
  const id = await insertTask(ctx, actor, target, input, 0);
  const row = await findVisibleTask(ctx, id);
  pushTaskUpdated(ctx, row);
  return presentTask(ctx.actor, row);
}

export async function insertTask(ctx: Ctx, actor: UserActor, target: TaskTarget, draft: TaskDraft, offset: number): Promise<string> {
  const { orgId, project } = target;
  if (project && draft.assigneeId) await prepareAssignee(ctx, { orgId, id: project.id }, draft.assigneeId);
  if (!project) {
    assertPersonalAssignee(actor, draft.assigneeId);
    // A personal to-do is its creator's work: it shows in their "assigned to me" unless they say otherwise.
    if (draft.assigneeId === undefined && actor.orgs.some((org) => org.orgId === orgId)) draft = { ...draft, assigneeId: actor.userId };
  }
  if (draft.parentId) await assertParent(ctx.tx, orgId, project?.id ?? null, draft.parentId);
  const labels = draft.labels?.length ? spell(draft.labels, await canonicalLabels(ctx.tx, orgId, draft.labels)) : [];
  const number = await takeNumbers(ctx.tx, orgId, project?.id ?? actor.userId, 1);
  const status = draft.status ?? "todo";
  const values = {
    orgId,
    projectId: project?.id ?? null,
    number,
    title: draft.title,
    description: draft.description ?? "",
    status,
    priority: draft.priority ?? "medium",
    assigneeId: draft.assigneeId ?? null,
    reporterId: actor.userId,
    parentId: draft.parentId ?? null,
    labels,
    position: bottomPosition(offset),
    dueDate: draft.dueDate ?? null,
    estimateMinutes: draft.estimateMinutes ?? null,
    completedAt: status === "done" ? new Date() : null,
  };
  const [task] = await ctx.tx.insert(tasks).values(values).returning({ id: tasks.id });
  if (!task) throw new Error("task insert returned nothing");
  if (draft.dependsOn?.length) {
    await addNewTaskBlockers(ctx.tx, orgId, task.id, draft.dependsOn);
    if (status === "done") await assertUnblocked(ctx.tx, [task.id]);
  }
  const { orgId: _org, position: _position, completedAt: _completed, ...fields } = values;
  await recordAudit(ctx, {
    orgId,
    action: "task.created",
    entityType: "task",
    entityId: task.id,
    changes: Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, [null, value]])),
  });
  const key = taskKey(project?.key ?? null, number);
  const about = { taskId: task.id, key, title: draft.title, projectId: project?.id ?? null };
  await emitEvent(ctx, taskCreated, {
    orgId,
    recipients: watchers(project, null).filter((id) => id !== values.assigneeId),
    data: { ...about, assigneeId: values.assigneeId },
  });
  if (values.assigneeId) {
    await emitEvent(ctx, taskAssigned, { orgId, recipients: [values.assigneeId], data: { ...about, assigneeId: values.assigneeId, previousAssigneeId: null } });
  }
  return task.id;
}

/** Whether a change touches more than the status (and board place): then it needs tasks.manage. */
const STATUS_ONLY = new Set(["status"]);

/**
 * PATCH: status alone needs `changeStatus` (the assignee with
 * tasks.update_status); any other field `update` (tasks.manage, or the
 * creator of a personal task): a 403 naming tasks.manage, and nothing changes.
 */
export async function updateTask(ctx: Ctx, taskId: string, patch: UpdateTaskInput): Promise<TaskView> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTask(ctx, taskId, { forUpdate: true });
  const { task: before } = row;
  const subject = taskSubject(row);
  const changes = diff(before, patch);
  if (patch.labels && sameLabels(before.labels, patch.labels)) delete changes.labels;
  const fields = Object.keys(changes);
  authorize(actor, taskPolicy, fields.every((field) => STATUS_ONLY.has(field)) ? "changeStatus" : "update", subject);
  if (!fields.length) return presentTask(ctx.actor, row);
  const project = before.projectId ? { orgId: before.orgId, id: before.projectId } : null;
  if ("assigneeId" in changes && patch.assigneeId) {
    if (project) await prepareAssignee(ctx, project, patch.assigneeId);
    else assertPersonalAssignee(actor, patch.assigneeId);
  }
  if ("parentId" in changes && patch.parentId) {
    await assertParent(ctx.tx, before.orgId, before.projectId, patch.parentId);
    await assertNoParentCycle(ctx.tx, taskId, patch.parentId);
  }
  if (changes.status && patch.status === "done") await assertUnblocked(ctx.tx, [taskId]);
  const labels = "labels" in changes && patch.labels ? spell(patch.labels, await canonicalLabels(ctx.tx, before.orgId, patch.labels)) : undefined;
  const set = Object.fromEntries(fields.map((field) => [field, patch[field as keyof UpdateTaskInput]]));
  await ctx.tx
    .update(tasks)
    .set({
      ...set,
      ...(labels ? { labels } : {}),
      ...(changes.status ? statusSideEffects(patch.status as TaskStatus) : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(tasks.orgId, before.orgId), eq(tasks.id, taskId)));
  await recordAudit(ctx, { orgId: before.orgId, action: "task.updated", entityType: "task", entityId: taskId, changes: labels ? { ...changes, labels: [before.labels, labels] } : changes });
  await announceChanges(ctx, row, changes);
  if (changes.status && (before.status === "done" || patch.status === "done")) await pushDependents(ctx, [taskId]);
  return afterChange(ctx, taskId, [before.assigneeId]);
}

const sameLabels = (a: string[], b: string[]) => a.length === b.length && a.every((label, index) => label.toLowerCase() === b[index]?.toLowerCase());

/** A task becoming done records when; reopened, it forgets; a new column puts it at the bottom. */
export function statusSideEffects(status: TaskStatus) {
  return { completedAt: status === "done" ? new Date() : null, position: bottomPosition() };
}

/** The events of a change: reassignment (to the new and previous assignee) and a new status (to the task's people). */
export async function announceChanges(ctx: Ctx, row: TaskRow, changes: Record<string, [unknown, unknown]>): Promise<void> {
  const { task } = row;
  const project = task.projectId ? { managerId: row.projectManagerId, ownerId: row.projectOwnerId } : null;
  const about = { taskId: task.id, key: taskKey(task.projectId ? row.projectKey : null, task.number), title: task.title, projectId: task.projectId };
  if (changes.assigneeId) {
    const [previous, next] = changes.assigneeId as [string | null, string | null];
    await emitEvent(ctx, taskAssigned, {
      orgId: task.orgId,
      recipients: [next, previous, row.projectManagerId].filter((id): id is string => id !== null),
      data: { ...about, assigneeId: next, previousAssigneeId: previous },
    });
  }
  if (changes.status) {
    const [before, after] = changes.status as [string, string];
    const assigneeId = (changes.assigneeId?.[1] as string | null | undefined) ?? task.assigneeId;
    await emitEvent(ctx, taskStatusChanged, {
      orgId: task.orgId,
      recipients: [assigneeId, ...watchers(project, task.reporterId)].filter((id): id is string => id !== null),
      data: { ...about, before, after },
    });
  }
}

export async function deleteTask(ctx: Ctx, taskId: string): Promise<void> {
  const row = await findVisibleTask(ctx, taskId, { forUpdate: true });
  const { task } = row;
  authorize(ctx.actor, taskPolicy, "delete", taskSubject(row));
  pushTaskDeleted(ctx, row);
  await deleteAttachmentsOf(ctx, "task", task.orgId, taskId);
  await ctx.tx.delete(tasks).where(and(eq(tasks.orgId, task.orgId), eq(tasks.id, taskId)));
  await recordAudit(ctx, {
    orgId: task.orgId,
    action: "task.deleted",
    entityType: "task",
    entityId: taskId,
    changes: { number: [task.number, null], title: [task.title, null], status: [task.status, null], assigneeId: [task.assigneeId, null] },
  });
}

/** The cards of one board column: a project's tasks of a status, or a person's personal ones. */
function columnOf(task: { orgId: string; projectId: string | null; reporterId: string | null }, status: TaskStatus) {
  return and(
    eq(tasks.orgId, task.orgId),
    task.projectId ? eq(tasks.projectId, task.projectId) : and(isNull(tasks.projectId), task.reporterId ? eq(tasks.reporterId, task.reporterId) : sql`false`),
    eq(tasks.status, status),
  );
}

/** Two neighbours closer than this get the column renumbered first (positions are doubles). */
const MIN_GAP = 1e-3;
const STEP = 1024;

/** Renumbers a column 1024, 2048, … in its current order (rare: only when midpoints run out). */
async function spreadColumn(tx: Tx, column: ReturnType<typeof columnOf>): Promise<void> {
  await tx.execute(sql`
    update tasks set position = ranked.rn * ${STEP}
    from (select id, row_number() over (order by position, id) as rn from tasks where ${column}) ranked
    where tasks.id = ranked.id`);
}

/** Where a card lands after `afterId` (null: the top) in a column, without the card itself. */
async function landing(tx: Tx, column: ReturnType<typeof columnOf>, taskId: string, afterId: string | null | undefined): Promise<number> {
  const others = and(column, sql`${tasks.id} <> ${taskId}`);
  if (afterId === undefined) {
    const [last] = await tx.select({ position: tasks.position }).from(tasks).where(others).orderBy(desc(tasks.position)).limit(1);
    return (last?.position ?? 0) + STEP;
  }
  if (afterId === null) {
    const [first] = await tx.select({ position: tasks.position }).from(tasks).where(others).orderBy(asc(tasks.position)).limit(1);
    return (first?.position ?? STEP) - STEP;
  }
  const [after] = await tx.select({ position: tasks.position }).from(tasks).where(and(others, eq(tasks.id, afterId)));
  if (!after) throw new ValidationError([{ path: "afterId", message: "That card is not in the column the task moves to." }]);
  const [next] = await tx
    .select({ position: tasks.position })
    .from(tasks)
    .where(and(others, gt(tasks.position, after.position)))
    .orderBy(asc(tasks.position))
    .limit(1);
  if (!next) return after.position + STEP;
  return (after.position + next.position) / 2;
}

/** The board's drop: a new status (the assignee may) and a place in the column. */
export async function moveTask(ctx: Ctx, taskId: string, input: MoveTaskInput): Promise<TaskView> {
  const row = await findVisibleTask(ctx, taskId, { forUpdate: true });
  const { task } = row;
  authorize(ctx.actor, taskPolicy, "changeStatus", taskSubject(row));
  const status = input.status ?? task.status;
  const column = columnOf(task, status);
  // Moves within one column take turns, so two drops never compute the same midpoint.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`task-column:${task.projectId ?? task.reporterId}:${status}`}))`);
  if (status !== task.status && status === "done") await assertUnblocked(ctx.tx, [taskId]);
  let position = await landing(ctx.tx, column, taskId, input.afterId);
  const neighbours = await ctx.tx
    .select({ position: tasks.position })
    .from(tasks)
    .where(and(column, sql`${tasks.id} <> ${taskId}`, sql`abs(${tasks.position} - ${position}) < ${MIN_GAP}`))
    .limit(1);
  if (neighbours.length) {
    await spreadColumn(ctx.tx, column);
    position = await landing(ctx.tx, column, taskId, input.afterId);
  }
  await ctx.tx
    .update(tasks)
    .set({ status, position, ...(status !== task.status ? { completedAt: status === "done" ? new Date() : null } : {}), updatedAt: new Date() })
    .where(and(eq(tasks.orgId, task.orgId), eq(tasks.id, taskId)));
  if (status !== task.status) {
    const changes = { status: [task.status, status] as [unknown, unknown] };
    await recordAudit(ctx, { orgId: task.orgId, action: "task.updated", entityType: "task", entityId: taskId, changes });
    await announceChanges(ctx, row, changes);
    if (task.status === "done" || status === "done") await pushDependents(ctx, [taskId]);
  }
  return afterChange(ctx, taskId);
}
