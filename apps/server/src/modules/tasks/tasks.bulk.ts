import { taskKey, type BulkCreateTasksInput, type BulkUpdateTasksInput, type TaskStatus } from "@cairn/shared";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { can, requireUser } from "../../platform/access/engine.js";
import { recordAudits } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError, PermissionDeniedError, ValidationError } from "../../platform/errors.js";
import { emitEvents } from "../../platform/events/events.js";
import { taskAssigned, taskCreated, taskStatusChanged } from "./tasks.events.js";
import { taskPolicy } from "./tasks.policy.js";
import { selectTasks, taskSubject, visibleTasks } from "./tasks.queries.js";
import { pushTaskUpdated } from "./tasks.realtime.js";
import { resolveTaskTarget, statusSideEffects } from "./tasks.service.js";
import { addNewTaskBlockers, pushDependents } from "./tasks.dependencies.js";
import { tasks } from "./tasks.table.js";
import { assertParent, assertUnblocked, canonicalLabels, prepareAssignee, spell, takeNumbers } from "./tasks.write.js";

/**
 * Bulk paths: all or nothing. Every row is checked before anything is
 * written, and the writes are a handful of statements whatever the count
 * (one insert of the tasks, one of their audit entries, one of their events).
 */

/** Realtime pushes for at most this many tasks per bulk change (clients refetch lists on a bulk notice anyway). */
const PUSH_LIMIT = 100;

/**
 * PATCH /api/tasks/bulk: the same change on up to 500 tasks. The first id the
 * caller may not see is a 404 naming it, the first they may not change a 403
 * naming it and the permission; nothing changes then.
 */
export async function bulkUpdateTasks(ctx: Ctx, input: BulkUpdateTasksInput): Promise<{ updated: number }> {
  const actor = requireUser(ctx.actor);
  const { ids, set } = input;
  const visible = and(inArray(tasks.id, ids), visibleTasks(actor));
  // Locked in one order (by id), so two bulk edits over the same tasks cannot deadlock.
  await ctx.tx.select({ id: tasks.id }).from(tasks).where(visible).orderBy(asc(tasks.id)).for("update");
  const rows = await selectTasks(ctx.tx, actor.userId).where(visible);
  const byId = new Map(rows.map((row) => [row.task.id, row]));
  const fields = Object.entries(set).filter(([, value]) => value !== undefined).map(([field]) => field);
  const action = fields.every((field) => field === "status") ? "changeStatus" : "update";
  ids.forEach((id, index) => {
    const row = byId.get(id);
    if (!row) throw Object.assign(new NotFoundError(`task ${id}`), { errors: [{ path: `ids.${index}`, message: "No such task." }] });
    if (!can(actor, taskPolicy, action, taskSubject(row))) {
      const key = taskKey(row.task.projectId ? row.projectKey : null, row.task.number);
      throw new PermissionDeniedError("tasks.manage", `You need the tasks.manage permission to change ${key} (${id}); nothing was changed.`);
    }
  });
  if (set.assigneeId) {
    const projects = new Map(rows.filter((row) => row.task.projectId).map((row) => [row.task.projectId as string, row.task.orgId]));
    for (const [projectId, orgId] of projects) await prepareAssignee(ctx, { orgId, id: projectId }, set.assigneeId, "set.assigneeId");
    if (rows.some((row) => !row.task.projectId && set.assigneeId !== actor.userId)) {
      throw new ValidationError([{ path: "set.assigneeId", message: "A personal task can only be assigned to its creator." }]);
    }
  }
  const changed = rows.filter((row) => fields.some((field) => String(row.task[field as keyof typeof row.task]) !== String(set[field as keyof typeof set])));
  if (set.status === "done") await assertUnblocked(ctx.tx, changed.filter((row) => row.task.status !== "done").map((row) => row.task.id));
  const byOrg = new Map<string, Map<string, string>>();
  for (const orgId of new Set(rows.map((row) => row.task.orgId))) byOrg.set(orgId, set.labels ? await canonicalLabels(ctx.tx, orgId, set.labels) : new Map<string, string>());
  // One statement per organization (labels are spelled as each organization first wrote them), not one per task.
  // A task that changes status is completed or reopened and goes to the bottom of its new column, as one by one.
  const bottom = statusSideEffects(set.status ?? "todo").position;
  for (const orgId of new Set(changed.map((row) => row.task.orgId))) {
    const ids = changed.filter((row) => row.task.orgId === orgId).map((row) => row.task.id);
    const labels = set.labels ? spell(set.labels, byOrg.get(orgId) ?? new Map<string, string>()) : undefined;
    const moves = set.status ? sql`${tasks.status} <> ${set.status}` : sql`false`;
    await ctx.tx
      .update(tasks)
      .set({
        ...set,
        ...(labels ? { labels } : {}),
        ...(set.status
          ? {
              completedAt: sql`case when ${moves} then ${set.status === "done" ? sql`now()` : sql`null`} else ${tasks.completedAt} end`,
              position: sql`case when ${moves} then ${bottom}::float8 else ${tasks.position} end`,
            }
          : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(tasks.orgId, orgId), inArray(tasks.id, ids)));
  }
  const changesOf = (row: (typeof rows)[number]) =>
    Object.fromEntries(
      fields
        .map((field) => [field, [row.task[field as keyof typeof row.task], set[field as keyof typeof set]]] as const)
        .filter(([, [before, after]]) => String(before) !== String(after)),
    ) as Record<string, [unknown, unknown]>;
  await recordAudits(
    ctx,
    changed.map((row) => ({ orgId: row.task.orgId, action: "task.updated", entityType: "task", entityId: row.task.id, changes: { ...changesOf(row), bulk: [null, true] } })),
  );
  const about = (row: (typeof rows)[number]) => ({
    taskId: row.task.id,
    key: taskKey(row.task.projectId ? row.projectKey : null, row.task.number),
    title: row.task.title,
    projectId: row.task.projectId,
  });
  if (set.assigneeId !== undefined) {
    const reassigned = changed.filter((row) => row.task.assigneeId !== set.assigneeId);
    await emitEvents(
      ctx,
      taskAssigned,
      reassigned.map((row) => ({
        orgId: row.task.orgId,
        recipients: [set.assigneeId ?? null, row.task.assigneeId, row.projectManagerId].filter((id): id is string => id !== null),
        data: { ...about(row), assigneeId: set.assigneeId ?? null, previousAssigneeId: row.task.assigneeId },
      })),
    );
  }
  if (set.status) {
    const moved = changed.filter((row) => row.task.status !== set.status);
    await emitEvents(
      ctx,
      taskStatusChanged,
      moved.map((row) => ({
        orgId: row.task.orgId,
        recipients: [set.assigneeId ?? row.task.assigneeId, row.task.reporterId, row.projectManagerId, row.projectOwnerId].filter((id): id is string => !!id),
        data: { ...about(row), before: row.task.status, after: set.status as TaskStatus },
      })),
    );
  }
  if (set.status) {
    // Their dependents gain or lose the blocked badge when tasks close or reopen.
    const crossing = changed.filter((row) => row.task.status !== set.status && (set.status === "done" || row.task.status === "done"));
    await pushDependents(
      ctx,
      crossing.map((row) => row.task.id),
    );
  }
  const pushed = await selectTasks(ctx.tx, actor.userId).where(inArray(tasks.id, changed.slice(0, PUSH_LIMIT).map((row) => row.task.id)));
  const before = new Map(changed.map((row) => [row.task.id, row.task.assigneeId]));
  for (const row of pushed) pushTaskUpdated(ctx, row, [before.get(row.task.id) ?? null]);
  return { updated: changed.length };
}

/**
 * POST /api/tasks/bulk: up to 1,000 tasks in one project (or personal), all or
 * nothing. Row problems the schema cannot see (an assignee outside the
 * organization, a parent elsewhere) are 400s naming the row (`tasks.3.assigneeId`).
 */
export async function bulkCreateTasks(ctx: Ctx, input: BulkCreateTasksInput): Promise<{ ids: string[] }> {
  const actor = requireUser(ctx.actor);
  const target = await resolveTaskTarget(ctx, input);
  const { orgId, project } = target;
  // A personal to-do is its creator's work, as one by one (tasks.service.ts).
  const mine = !project && actor.orgs.some((org) => org.orgId === orgId);
  const drafts = input.tasks.map((draft) => (mine && draft.assigneeId === undefined ? { ...draft, assigneeId: actor.userId } : draft));
  const problems: Array<{ path: string; message: string }> = [];
  // In one order (by id) whatever the rows' order: newcomers' memberships are locked as they join, and two
  // bulk creations naming them in opposite orders would otherwise wait on each other.
  const assignees = [...new Set(drafts.map((draft) => draft.assigneeId).filter((id): id is string => !!id))].sort();
  for (const assigneeId of assignees) {
    const row = drafts.findIndex((draft) => draft.assigneeId === assigneeId);
    if (!project) {
      if (assigneeId !== actor.userId) problems.push({ path: `tasks.${row}.assigneeId`, message: "A personal task can only be assigned to its creator." });
      continue;
    }
    try {
      await prepareAssignee(ctx, { orgId, id: project.id }, assigneeId, `tasks.${row}.assigneeId`);
    } catch (error) {
      if (error instanceof ValidationError && error.errors) problems.push(...error.errors);
      else throw error;
    }
  }
  for (const [index, draft] of drafts.entries()) {
    if (!draft.parentId) continue;
    try {
      await assertParent(ctx.tx, orgId, project?.id ?? null, draft.parentId, `tasks.${index}.parentId`);
    } catch (error) {
      if (error instanceof ValidationError && error.errors) problems.push(...error.errors);
      else throw error;
    }
  }
  if (problems.length) throw new ValidationError(problems, "Some tasks are invalid; none was created.");
  const allLabels = drafts.flatMap((draft) => draft.labels ?? []);
  const spelled = allLabels.length ? await canonicalLabels(ctx.tx, orgId, allLabels) : new Map<string, string>();
  const first = await takeNumbers(ctx.tx, orgId, project?.id ?? actor.userId, drafts.length);
  const base = Date.now();
  const now = new Date();
  const values = drafts.map((draft, index) => {
    const status = draft.status ?? "todo";
    return {
      orgId,
      projectId: project?.id ?? null,
      number: first + index,
      title: draft.title,
      description: draft.description ?? "",
      status,
      priority: draft.priority ?? "medium",
      assigneeId: draft.assigneeId ?? null,
      reporterId: actor.userId,
      parentId: draft.parentId ?? null,
      labels: spell(draft.labels ?? [], spelled),
      position: base + index / 100,
      dueDate: draft.dueDate ?? null,
      estimateMinutes: draft.estimateMinutes ?? null,
      completedAt: status === "done" ? now : null,
    };
  });
  const ids = await insertRows(ctx, values);
  for (const [index, draft] of drafts.entries()) {
    if (draft.dependsOn?.length) await addNewTaskBlockers(ctx.tx, orgId, ids[index] as string, draft.dependsOn, `tasks.${index}.dependsOn`);
  }
  const blocked = drafts.flatMap((draft, index) => (draft.dependsOn?.length && values[index]?.status === "done" ? [ids[index] as string] : []));
  await assertUnblocked(ctx.tx, blocked);
  await auditCreated(ctx, ids);
  const about = (index: number) => ({
    taskId: ids[index] as string,
    key: taskKey(project?.key ?? null, first + index),
    title: values[index]?.title ?? "",
    projectId: project?.id ?? null,
  });
  const watchers = [project?.managerId ?? null, project?.ownerId ?? null].filter((id): id is string => id !== null);
  await emitEvents(
    ctx,
    taskCreated,
    values.map((value, index) => ({ orgId, recipients: watchers.filter((id) => id !== value.assigneeId), data: { ...about(index), assigneeId: value.assigneeId } })),
  );
  await emitEvents(
    ctx,
    taskAssigned,
    values.flatMap((value, index) =>
      value.assigneeId ? [{ orgId, recipients: [value.assigneeId], data: { ...about(index), assigneeId: value.assigneeId, previousAssigneeId: null } }] : [],
    ),
  );
  if (ids.length <= PUSH_LIMIT) {
    const rows = await selectTasks(ctx.tx, actor.userId).where(inArray(tasks.id, ids));
    for (const row of rows) pushTaskUpdated(ctx, row);
  }
  return { ids };
}

type Row = {
  orgId: string;
  projectId: string | null;
  number: number;
  title: string;
  description: string;
  status: TaskStatus;
  priority: string;
  assigneeId: string | null;
  reporterId: string;
  parentId: string | null;
  labels: string[];
  position: number;
  dueDate: string | null;
  estimateMinutes: number | null;
  completedAt: Date | null;
};

/**
 * The rows as one array per column, unnested by PostgreSQL: a thousand tasks are
 * one statement of a dozen parameters (not fifteen thousand to plan). Labels
 * travel `;`-joined, which a label cannot hold. Ids come back in the rows' order.
 */
async function insertRows(ctx: Ctx, rows: Row[]): Promise<string[]> {
  const [first] = rows;
  if (!first) return [];
  const column = <T>(pick: (row: Row) => T) => sql.param(rows.map(pick));
  const result: unknown = await ctx.tx.execute(
    sql`insert into tasks (org_id, project_id, number, title, description, status, priority, assignee_id, reporter_id, parent_id, labels, position, due_date, estimate_minutes, completed_at)
        select ${first.orgId}::uuid, ${first.projectId}::uuid, r.number, r.title, r.description, r.status, r.priority, r.assignee_id, ${first.reporterId}::uuid,
          r.parent_id, coalesce(string_to_array(nullif(r.labels, ''), ';'), '{}'::text[]), r.position, r.due_date, r.estimate_minutes, r.completed_at
        from unnest(${column((row) => row.number)}::int[], ${column((row) => row.title)}::text[], ${column((row) => row.description)}::text[],
          ${column((row) => row.status)}::text[], ${column((row) => row.priority)}::text[], ${column((row) => row.assigneeId)}::uuid[],
          ${column((row) => row.parentId)}::uuid[], ${column((row) => row.labels.join(";"))}::text[], ${column((row) => row.position)}::float8[],
          ${column((row) => row.dueDate)}::date[], ${column((row) => row.estimateMinutes)}::int[], ${column((row) => row.completedAt?.toISOString() ?? null)}::timestamptz[])
          as r(number, title, description, status, priority, assignee_id, parent_id, labels, position, due_date, estimate_minutes, completed_at)
        order by r.number
        returning id, number`,
  );
  // node-postgres and PGlite answer { rows }.
  const inserted = (result as { rows: Array<{ id: string; number: number }> }).rows;
  const byNumber = new Map(inserted.map((row) => [row.number, row.id]));
  return rows.map((row) => byNumber.get(row.number) as string);
}

/** One audit entry per new task, written by PostgreSQL from the rows themselves (one statement). */
async function auditCreated(ctx: Ctx, ids: string[]): Promise<void> {
  const actorId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const was = (column: string) => sql.raw(`jsonb_build_array(null, t.${column})`);
  await ctx.tx.execute(sql`
    insert into audit_log (org_id, actor_id, action, entity_type, entity_id, changes, ip, user_agent, request_id)
    select t.org_id, ${actorId}::uuid, 'task.created', 'task', t.id::text,
      jsonb_build_object('projectId', ${was("project_id")}, 'number', ${was("number")}, 'title', ${was("title")}, 'description', ${was("description")},
        'status', ${was("status")}, 'priority', ${was("priority")}, 'assigneeId', ${was("assignee_id")}, 'reporterId', ${was("reporter_id")},
        'parentId', ${was("parent_id")}, 'labels', ${was("labels")}, 'dueDate', ${was("due_date")}, 'estimateMinutes', ${was("estimate_minutes")},
        'bulk', jsonb_build_array(null, true)),
      ${ctx.meta.ip}, ${ctx.meta.userAgent}, ${ctx.meta.requestId}
    from tasks t where t.id = any(${sql.param(ids)}::uuid[]) order by t.number`);
}

