import { taskKey } from "@cairn/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, ValidationError } from "../../platform/errors.js";
import { membershipRoles, memberships, rolePermissions } from "../access/index.js";
import { addMemberRow, assertOrgMember, projectMembers } from "../projects/index.js";
import { taskDependencies, taskLabels, taskSequences, tasks } from "./tasks.table.js";

/**
 * The building blocks of every task write (one, bulk, import): numbers,
 * labels, assignees, parents and blockers, each checked against the database
 * in the change's transaction.
 */

/**
 * Takes `count` numbers in a project (or a person's personal tasks): one
 * upsert whose row lock makes concurrent creations take turns, so two tasks
 * never get the same number. Returns the first.
 */
export async function takeNumbers(tx: Tx, orgId: string, scopeId: string, count: number): Promise<number> {
  const [row] = await tx
    .insert(taskSequences)
    .values({ orgId, scopeId, last: count })
    .onConflictDoUpdate({ target: [taskSequences.orgId, taskSequences.scopeId], set: { last: sql`${taskSequences.last} + ${count}` } })
    .returning({ last: taskSequences.last });
  if (!row) throw new Error("task sequence upsert returned nothing");
  return row.last - count + 1;
}

/**
 * Labels as the organization spells them: a new one is created on first use,
 * one already known (in any case) keeps its first spelling.
 */
export async function canonicalLabels(tx: Tx, orgId: string, labels: string[]): Promise<Map<string, string>> {
  const lowered = [...new Set(labels.map((label) => label.toLowerCase()))];
  const spelled = new Map<string, string>();
  if (!lowered.length) return spelled;
  const first = new Map(labels.map((label) => [label.toLowerCase(), label]));
  // Inserted in one order for everyone (by the lowered name, the unique key): two creations naming the
  // same new labels in opposite orders would otherwise each hold one the other waits for.
  const ordered = [...first.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, name]) => name);
  await tx
    .insert(taskLabels)
    .values(ordered.map((name) => ({ orgId, name })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ name: taskLabels.name })
    .from(taskLabels)
    .where(and(eq(taskLabels.orgId, orgId), sql`lower(${taskLabels.name}) = any(${sql.param(lowered)}::text[])`));
  for (const row of rows) spelled.set(row.name.toLowerCase(), row.name);
  return spelled;
}

export const spell = (labels: string[], spelled: Map<string, string>) => labels.map((label) => spelled.get(label.toLowerCase()) ?? label);

/**
 * Makes sure someone can work on a project's task: an active member of the
 * organization (400), whose roles let them work on tasks (409), on the
 * project or put on it within their role's project limit (409 naming it).
 */
export async function prepareAssignee(ctx: Ctx, project: { orgId: string; id: string }, userId: string, path = "assigneeId"): Promise<void> {
  const username = await assertOrgMember(ctx.tx, project.orgId, userId, path);
  const [works] = await ctx.tx
    .select({ permission: rolePermissions.permission })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .where(
      and(
        eq(membershipRoles.orgId, project.orgId),
        eq(membershipRoles.userId, userId),
        inArray(rolePermissions.permission, ["tasks.view_assigned", "tasks.view_all", "tasks.oversee"]),
      ),
    )
    .limit(1);
  if (!works) {
    throw new ConflictError(`${username} cannot work on tasks: none of their roles grants tasks.view_assigned.`, "cannot_work", [
      { path, message: "Their roles do not let them see tasks assigned to them." },
    ]);
  }
  const onProject = async () =>
    (
      await ctx.tx
        .select({ userId: projectMembers.userId })
        .from(projectMembers)
        .where(and(eq(projectMembers.orgId, project.orgId), eq(projectMembers.projectId, project.id), eq(projectMembers.userId, userId)))
    ).length > 0;
  if (await onProject()) return;
  // A newcomer joins one change at a time: their membership row is locked and the question asked again,
  // so changes assigning them at once add them once, not a duplicate (409) or a second project past their
  // limit (409) for the same project. `no key update`: the foreign key checks of tasks being assigned to
  // them meanwhile (key share) do not wait for it, so it makes no circle with the project's numbers.
  await ctx.tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, project.orgId), eq(memberships.userId, userId)))
    .for("no key update");
  if (!(await onProject())) await addMemberRow(ctx, { orgId: project.orgId, projectId: project.id, userId, role: "member" });
}

/** A parent must be a task of the same project (or the same person's personal tasks). */
export async function assertParent(tx: Tx, orgId: string, projectId: string | null, parentId: string, path = "parentId"): Promise<void> {
  const [parent] = await tx
    .select({ projectId: tasks.projectId })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), eq(tasks.id, parentId)));
  if (!parent || parent.projectId !== projectId) throw new ValidationError([{ path, message: "The parent must be a task of the same project." }]);
}

/** Refuses a parent that is the task itself or one of its descendants (409 naming the loop). */
export async function assertNoParentCycle(tx: Tx, taskId: string, parentId: string): Promise<void> {
  const loop = await tx
    .select({ id: sql<string>`up.id` })
    .from(sql`(with recursive up(id, parent_id, depth) as (
      select id, parent_id, 1 from tasks where id = ${parentId}
      union all
      select t.id, t.parent_id, up.depth + 1 from tasks t join up on t.id = up.parent_id where up.depth < 1000
    ) select id from up) as up`)
    .where(sql`up.id = ${taskId}`)
    .limit(1);
  if (loop.length) {
    throw new ConflictError("A task cannot be the parent of its own parent: that would make a loop.", "parent_cycle", [
      { path: "parentId", message: "This task is above the chosen parent." },
    ]);
  }
}

/** A task moves to `done` only when every task blocking it is done (409 naming the blockers by key). */
export async function assertUnblocked(tx: Tx, taskIds: string[]): Promise<void> {
  if (!taskIds.length) return;
  const open = await tx
    .select({
      taskId: taskDependencies.taskId,
      number: tasks.number,
      title: tasks.title,
      projectKey: sql<string | null>`(select p.key from projects p where p.id = ${tasks.projectId})`,
    })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(inArray(taskDependencies.taskId, taskIds), sql`${tasks.status} <> 'done'`))
    .orderBy(tasks.number);
  if (open.length) {
    const names = open.slice(0, 5).map((row) => `${taskKey(row.projectKey, row.number)} ${row.title}`);
    throw new ConflictError(`Blocked by tasks that are not done: ${names.join(", ")}${open.length > 5 ? ", …" : ""}.`, "blocked", [
      { path: "status", message: "Finish the blocking tasks first." },
    ]);
  }
}
