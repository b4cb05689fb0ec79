import { taskKey, type TaskStatus } from "@cairn/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { taskPolicy } from "./tasks.policy.js";
import { findVisibleTask, selectTasks, taskSubject, visibleTasks } from "./tasks.queries.js";
import { pushTaskUpdated } from "./tasks.realtime.js";
import { TASK_DEP_RANK_STEP, taskDependencies, tasks } from "./tasks.table.js";

/**
 * "This task is blocked by that one": links between tasks of one organization,
 * in any of its projects, that never make a loop.
 *
 * Loops are refused in the database, under a per-organization transaction lock
 * (two links written at once, A→B and B→A, take turns: the second sees the
 * first and is refused). Each task holds a place (`dep_rank`) in an order in
 * which every blocker comes before what it blocks (the dynamic topological
 * order of Pearce and Kelly): a new blocker that already comes earlier cannot
 * close a loop, and that is answered from two rows; otherwise only the tasks
 * between the two places are walked, and their places swapped so the order
 * holds again. New tasks come last, so the usual link (a new task waits for an
 * older one) is never a walk.
 */

/** A blocker as its dependent's page lists it: `task` is null when the caller may not see it. */
export type DependencyView = {
  taskId: string;
  dependsOnId: string;
  createdAt: Date;
  task: { id: string; key: string; title: string; status: TaskStatus; projectId: string | null } | null;
};

/** Takes the organization's dependency lock for the rest of the transaction: changes of its graph take turns. */
async function lockGraph(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`task-dependencies:${orgId}`}))`);
}

type Ranked = { id: string; rank: number };

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** A side of a link with at most this many tasks between the two places is moved alone; past it both sides are walked. */
const SMALL_SIDE = 500;

/**
 * Tasks reached from `start` within the places [low, high], in their order:
 * `up` follows blockers (what `start` waits for), `down` what it blocks. At
 * most `limit` (the walk stops there: PostgreSQL runs a recursive query only
 * as far as its reader asks).
 */
async function reach(
  tx: Tx,
  orgId: string,
  start: string,
  direction: "up" | "down",
  low: number,
  high: number,
  limit: number,
): Promise<Ranked[]> {
  const step =
    direction === "up"
      ? sql`select d.depends_on_id from task_dependencies d join walk w on d.task_id = w.id join tasks t on t.id = d.depends_on_id
            where d.org_id = ${orgId} and t.dep_rank between ${low} and ${high}`
      : sql`select d.task_id from task_dependencies d join walk w on d.depends_on_id = w.id join tasks t on t.id = d.task_id
            where d.org_id = ${orgId} and t.dep_rank between ${low} and ${high}`;
  const result = await tx.execute(sql`
    with recursive walk(id) as (select ${start}::uuid union ${step})
    select w.id, t.dep_rank as rank from (select id from walk limit ${limit}) w join tasks t on t.id = w.id order by t.dep_rank`);
  return rowsOf<Ranked>(result).map((row) => ({ id: row.id, rank: Number(row.rank) }));
}

/** The nearest place taken in the organization below `rank` (`before`) or above it, or one step off when there is none. */
async function neighbourRank(tx: Tx, orgId: string, rank: number, side: "before" | "after"): Promise<number> {
  const result = await tx.execute(
    side === "before"
      ? sql`select coalesce(max(dep_rank), ${rank - TASK_DEP_RANK_STEP}) as rank from tasks where org_id = ${orgId} and dep_rank < ${rank}`
      : sql`select coalesce(min(dep_rank), ${rank + TASK_DEP_RANK_STEP}) as rank from tasks where org_id = ${orgId} and dep_rank > ${rank}`,
  );
  return Number(rowsOf<{ rank: number }>(result)[0]?.rank);
}

/** Gives tasks new places, by id. */
async function place(tx: Tx, orgId: string, ids: string[], ranks: number[]): Promise<void> {
  await tx.execute(sql`
    update tasks set dep_rank = r.rank from unnest(${sql.param(ids)}::uuid[], ${sql.param(ranks)}::float8[]) as r(id, rank)
    where tasks.org_id = ${orgId} and tasks.id = r.id`);
}

/**
 * Moves a run of tasks (in their order) into the free places strictly between
 * two ranks, one place apart next to the end named by `near` (so the next run
 * moved there finds room too), or spread evenly when the room is short; false
 * when the places there are too close to tell apart.
 */
async function moveBetween(
  tx: Tx,
  orgId: string,
  run: Ranked[],
  from: number,
  to: number,
  near: "from" | "to",
): Promise<boolean> {
  const step = Math.min((to - from) / (run.length + 1), 1);
  if (!(step > Math.max(Math.abs(from), Math.abs(to), 1) * 1e-14)) return false;
  const ranks = run.map((_, index) =>
    near === "from" ? from + step * (index + 1) : to - step * (run.length - index),
  );
  await place(
    tx,
    orgId,
    run.map((row) => row.id),
    ranks,
  );
  return true;
}

/**
 * Spreads the organization's places out again (a sequence step apart, in their order),
 * when moves have used up the room between two of them; the sequence of new
 * tasks' places is moved past them.
 */
async function spreadRanks(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(sql`
    update tasks set dep_rank = ranked.rn * ${TASK_DEP_RANK_STEP}
    from (select id, row_number() over (order by dep_rank, id) as rn from tasks where org_id = ${orgId}) ranked
    where tasks.id = ranked.id`);
  await tx.execute(
    sql`select setval('task_dep_rank_seq', greatest((select last_value from task_dep_rank_seq), (select max(dep_rank)::bigint from tasks where org_id = ${orgId})))`,
  );
}

/** The 409 of a link that would close a loop, naming it. */
async function loopError(
  tx: Tx,
  orgId: string,
  taskId: string,
  dependsOnId: string,
  region: string[],
): Promise<ConflictError> {
  const path = await loopPath(tx, orgId, taskId, dependsOnId, region);
  const loop = describeLoop(path, await keysOf(tx, orgId, path));
  return new ConflictError(
    `That would make a loop: ${loop}. A task cannot wait for itself.`,
    "dependency_cycle",
    [{ path: "dependsOnId", message: `This task already waits for the task being added: ${loop}.` }],
  );
}

/**
 * The loop a link `taskId` → `dependsOnId` would close, as tasks in blocking
 * order: taskId, dependsOnId, …, taskId. Walked only when there is one.
 */
async function loopPath(
  tx: Tx,
  orgId: string,
  taskId: string,
  dependsOnId: string,
  region: string[],
): Promise<string[]> {
  // Within the region found, each task with one task it was reached from (what it blocks, down from taskId).
  const result = await tx.execute(sql`
    with recursive walk(id, via) as (
      select ${taskId}::uuid, null::uuid
      union
      select d.task_id, d.depends_on_id from task_dependencies d join walk w on d.depends_on_id = w.id
      where d.org_id = ${orgId} and d.task_id = any(${sql.param(region)}::uuid[])
    ) select distinct on (id) id, via from walk`);
  const via = new Map(rowsOf<{ id: string; via: string | null }>(result).map((row) => [row.id, row.via]));
  // dependsOnId is reached from taskId through what taskId blocks: dependsOnId waits for via(dependsOnId), … for taskId.
  const path = [taskId, dependsOnId];
  for (let at = via.get(dependsOnId); at && path.length <= region.length + 2; at = via.get(at)) path.push(at);
  return path;
}

/** Task keys for a path's ids ("SHOP-3"). */
async function keysOf(tx: Tx, orgId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await tx
    .select({
      id: tasks.id,
      number: tasks.number,
      projectKey: sql<string | null>`(select p.key from projects p where p.id = ${tasks.projectId})`,
    })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), inArray(tasks.id, [...new Set(ids)])));
  return new Map(rows.map((row) => [row.id, taskKey(row.projectKey, row.number)]));
}

/** "SHOP-3 → SHOP-7 → SHOP-3", its middle cut when the loop is long. */
function describeLoop(path: string[], keys: Map<string, string>): string {
  const names = path.map((id) => keys.get(id) ?? "a task");
  const shown =
    names.length > 12 ? [...names.slice(0, 6), `… (${names.length - 11} more)`, ...names.slice(-5)] : names;
  return shown.join(" → ");
}

/**
 * Writes the link `taskId` is blocked by `dependsOnId` (both of `orgId`),
 * refusing a loop with a 409 naming it. The caller has checked both tasks.
 *
 * When the blocker already comes first, nothing is walked. Otherwise a loop
 * can only run through the tasks placed between the two, so the walk stays
 * there: first what the blocker waits for (up), then what the task blocks
 * (down), each stopped at SMALL_SIDE tasks. A side walked to its end answers
 * the question, and that side alone moves past the other (the blocker and
 * what it waits for just before the task, or the task and what it blocks just
 * after the blocker). Only when both sides are large are both walked in full
 * and their places exchanged (Pearce and Kelly).
 */
export async function linkBlocker(tx: Tx, orgId: string, taskId: string, dependsOnId: string): Promise<void> {
  await lockGraph(tx, orgId);
  for (let attempt = 0; attempt < 2; attempt++) {
    const placed = await tx
      .select({ id: tasks.id, rank: tasks.depRank })
      .from(tasks)
      .where(and(eq(tasks.orgId, orgId), inArray(tasks.id, [taskId, dependsOnId])));
    const rank = new Map(placed.map((row) => [row.id, row.rank]));
    const low = rank.get(taskId);
    const high = rank.get(dependsOnId);
    if (low === undefined || high === undefined) throw new NotFoundError("task");
    if (high < low) break;
    const up = await reach(tx, orgId, dependsOnId, "up", low, high, SMALL_SIDE + 1);
    if (up.length <= SMALL_SIDE) {
      if (up.some((row) => row.id === taskId))
        throw await loopError(
          tx,
          orgId,
          taskId,
          dependsOnId,
          up.map((row) => row.id),
        );
      if (await moveBetween(tx, orgId, up, await neighbourRank(tx, orgId, low, "before"), low, "from")) break;
      await spreadRanks(tx, orgId);
      continue;
    }
    const down = await reach(tx, orgId, taskId, "down", low, high, SMALL_SIDE + 1);
    if (down.length <= SMALL_SIDE) {
      if (down.some((row) => row.id === dependsOnId))
        throw await loopError(
          tx,
          orgId,
          taskId,
          dependsOnId,
          down.map((row) => row.id),
        );
      if (await moveBetween(tx, orgId, down, high, await neighbourRank(tx, orgId, high, "after"), "to"))
        break;
      await spreadRanks(tx, orgId);
      continue;
    }
    const below = await reach(tx, orgId, taskId, "down", low, high, Number.MAX_SAFE_INTEGER);
    if (below.some((row) => row.id === dependsOnId))
      throw await loopError(
        tx,
        orgId,
        taskId,
        dependsOnId,
        below.map((row) => row.id),
      );
    const above = await reach(tx, orgId, dependsOnId, "up", low, high, Number.MAX_SAFE_INTEGER);
    // The blocker and what it waits for take the lowest of their places together, the task and what it blocks the rest.
    const moved = [...above, ...below];
    await place(
      tx,
      orgId,
      moved.map((row) => row.id),
      moved.map((row) => row.rank).sort((a, b) => a - b),
    );
    break;
  }
  await tx.insert(taskDependencies).values({ orgId, taskId, dependsOnId });
}

/**
 * A new task's blockers (tasks of the same organization): nothing waits for a
 * task being created, so they make no loop. The new task comes last in the
 * order; should a blocker have been moved past it meanwhile, it is put last again.
 */
export async function addNewTaskBlockers(
  tx: Tx,
  orgId: string,
  taskId: string,
  dependsOn: string[],
  path = "dependsOn",
): Promise<void> {
  const ids = [...new Set(dependsOn)];
  if (!ids.length) return;
  const found = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), inArray(tasks.id, ids)));
  const known = new Set(found.map((row) => row.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length)
    throw new ValidationError(
      missing.map((id) => ({ path, message: `No task ${id} in this organization.` })),
    );
  await lockGraph(tx, orgId);
  await tx.execute(sql`
    with blockers as (select max(b.dep_rank) as rank from tasks b where b.org_id = ${orgId} and b.id = any(${sql.param(ids)}::uuid[]))
    update tasks set dep_rank = greatest(nextval('task_dep_rank_seq'), (select rank from blockers) + ${TASK_DEP_RANK_STEP})
    where org_id = ${orgId} and id = ${taskId} and dep_rank <= (select rank from blockers)`);
  await tx.insert(taskDependencies).values(ids.map((dependsOnId) => ({ orgId, taskId, dependsOnId })));
}

/** The blockers of a task and the tasks it blocks, each named when the caller may see it. */
export async function listDependencies(
  ctx: Ctx,
  taskId: string,
): Promise<{ items: DependencyView[]; blocking: DependencyView[] }> {
  const actor = requireUser(ctx.actor);
  const { task } = await findVisibleTask(ctx, taskId);
  const links = await ctx.tx
    .select()
    .from(taskDependencies)
    .where(
      and(
        eq(taskDependencies.orgId, task.orgId),
        sql`(${taskDependencies.taskId} = ${taskId} or ${taskDependencies.dependsOnId} = ${taskId})`,
      ),
    )
    .orderBy(taskDependencies.createdAt);
  const others = [...new Set(links.map((link) => (link.taskId === taskId ? link.dependsOnId : link.taskId)))];
  const seen = others.length
    ? await selectTasks(ctx.tx, actor.userId).where(and(inArray(tasks.id, others), visibleTasks(actor)))
    : [];
  const summary = new Map(
    seen.map((row) => [
      row.task.id,
      {
        id: row.task.id,
        key: taskKey(row.task.projectId ? row.projectKey : null, row.task.number),
        title: row.task.title,
        status: row.task.status,
        projectId: row.task.projectId,
      },
    ]),
  );
  const view = (link: (typeof links)[number], other: string): DependencyView => ({
    taskId: link.taskId,
    dependsOnId: link.dependsOnId,
    createdAt: link.createdAt,
    task: summary.get(other) ?? null,
  });
  return {
    items: links.filter((link) => link.taskId === taskId).map((link) => view(link, link.dependsOnId)),
    blocking: links.filter((link) => link.dependsOnId === taskId).map((link) => view(link, link.taskId)),
  };
}

/**
 * POST /api/tasks/{id}/dependencies: the task waits for another of its
 * organization (any project the caller sees). Who changes what a task waits
 * for changes its plan: tasks.manage on the task (the creator of a personal
 * one); the blocker needs only to be visible to them.
 */
export async function addDependency(ctx: Ctx, taskId: string, dependsOnId: string): Promise<DependencyView> {
  const actor = requireUser(ctx.actor);
  // The organization's graph lock comes before any task's row lock: linking moves other tasks' places, and a
  // link waiting for the graph while holding a row another link must move would wait for it in a circle.
  await lockGraph(ctx.tx, (await findVisibleTask(ctx, taskId)).task.orgId);
  const row = await findVisibleTask(ctx, taskId, { forUpdate: true });
  const { task } = row;
  authorize(actor, taskPolicy, "update", taskSubject(row));
  if (dependsOnId === taskId)
    throw new ValidationError([{ path: "dependsOnId", message: "A task cannot wait for itself." }]);
  let blocker;
  try {
    blocker = await findVisibleTask(ctx, dependsOnId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError("blocking task");
    throw error;
  }
  if (blocker.task.orgId !== task.orgId)
    throw new ValidationError([
      { path: "dependsOnId", message: "The blocking task must be of the same organization." },
    ]);
  const [existing] = await ctx.tx
    .select({ taskId: taskDependencies.taskId })
    .from(taskDependencies)
    .where(
      and(
        eq(taskDependencies.orgId, task.orgId),
        eq(taskDependencies.taskId, taskId),
        eq(taskDependencies.dependsOnId, dependsOnId),
      ),
    );
  const blockerKey = taskKey(blocker.task.projectId ? blocker.projectKey : null, blocker.task.number);
  if (existing) {
    throw new ConflictError(`This task already waits for ${blockerKey}.`, "duplicate", [
      { path: "dependsOnId", message: "Already a blocker of this task." },
    ]);
  }
  await linkBlocker(ctx.tx, task.orgId, taskId, dependsOnId);
  await recordLinkChange(ctx, task.orgId, taskId, "task.dependency_added", [null, dependsOnId]);
  const [link] = await ctx.tx
    .select({ createdAt: taskDependencies.createdAt })
    .from(taskDependencies)
    .where(and(eq(taskDependencies.taskId, taskId), eq(taskDependencies.dependsOnId, dependsOnId)));
  return {
    taskId,
    dependsOnId,
    createdAt: link?.createdAt ?? new Date(),
    task: {
      id: dependsOnId,
      key: blockerKey,
      title: blocker.task.title,
      status: blocker.task.status,
      projectId: blocker.task.projectId,
    },
  };
}

/** DELETE /api/tasks/{id}/dependencies/{dependsOnId}: the same right as adding it; a link that is not there is a 404. */
export async function removeDependency(ctx: Ctx, taskId: string, dependsOnId: string): Promise<void> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTask(ctx, taskId, { forUpdate: true });
  const { task } = row;
  authorize(actor, taskPolicy, "update", taskSubject(row));
  const removed = await ctx.tx
    .delete(taskDependencies)
    .where(
      and(
        eq(taskDependencies.orgId, task.orgId),
        eq(taskDependencies.taskId, taskId),
        eq(taskDependencies.dependsOnId, dependsOnId),
      ),
    )
    .returning({ dependsOnId: taskDependencies.dependsOnId });
  if (!removed.length) throw new NotFoundError("dependency");
  await recordLinkChange(ctx, task.orgId, taskId, "task.dependency_removed", [dependsOnId, null]);
}

/** A link added or removed: the task is touched, the change audited, and the task pushed to who sees it. */
async function recordLinkChange(
  ctx: Ctx,
  orgId: string,
  taskId: string,
  action: string,
  blockedBy: [string | null, string | null],
): Promise<void> {
  await ctx.tx
    .update(tasks)
    .set({ updatedAt: new Date() })
    .where(and(eq(tasks.orgId, orgId), eq(tasks.id, taskId)));
  await recordAudit(ctx, { orgId, action, entityType: "task", entityId: taskId, changes: { blockedBy } });
  pushTaskUpdated(ctx, await findVisibleTask(ctx, taskId));
}

/** At most this many dependents are pushed when their blocker opens or closes (lists refetch anyway). */
const DEPENDENT_PUSH_LIMIT = 100;

/**
 * After tasks became done or were reopened, the tasks they block change their
 * blocked badge: each is pushed to whoever may see it.
 */
export async function pushDependents(ctx: Ctx, blockerIds: string[]): Promise<void> {
  if (!blockerIds.length) return;
  const viewer = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const rows = await selectTasks(ctx.tx, viewer)
    .where(
      sql`${tasks.id} in (select d.task_id from task_dependencies d where d.depends_on_id = any(${sql.param(blockerIds)}::uuid[]))`,
    )
    .limit(DEPENDENT_PUSH_LIMIT);
  for (const row of rows) pushTaskUpdated(ctx, row);
}
