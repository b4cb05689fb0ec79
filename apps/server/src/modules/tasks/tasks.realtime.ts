import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { UserActor } from "../../platform/access/actor.js";
import { allowedActions, can } from "../../platform/access/engine.js";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import type { Principal } from "../../platform/auth/principal.js";
import type { Services } from "../../platform/services.js";
import { membershipRoles, memberships, rolePermissions } from "../access/index.js";
import { projectMembers } from "../projects/index.js";
import { teamMembers } from "../teams/index.js";
import { taskPolicy } from "./tasks.policy.js";
import { presentTask, taskSubject, type TaskRow } from "./tasks.queries.js";

/**
 * Live updates of tasks. `task.updated` (with the task as each receiver may
 * see it) and `task.deleted` go to exactly the users who may see the task, on
 * every instance (the realtime service relays through Redis): the candidates
 * are the people the task names and the holders of a grant that could show it,
 * and each is judged by the task policy with their own permissions.
 */

/** Users who could see a task: its people, the project's owner and manager, holders of tasks.view_all or tasks.oversee. */
async function candidates(db: Tx, row: TaskRow): Promise<string[]> {
  const { task } = row;
  const named = [task.assigneeId, task.reporterId, row.projectOwnerId, row.projectManagerId].filter((id): id is string => id !== null);
  // A personal task is seen by its creator and by holders of tasks.oversee; a project task also by tasks.view_all of scope all.
  const permissions = task.projectId ? ["tasks.oversee", "tasks.view_all"] : ["tasks.oversee"];
  const holders = await db
    .selectDistinct({ userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(memberships, and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)))
    .where(
      and(
        eq(membershipRoles.orgId, task.orgId),
        eq(memberships.isActive, true),
        inArray(rolePermissions.permission, permissions),
        or(eq(rolePermissions.permission, "tasks.oversee"), eq(rolePermissions.scope, "all")),
      ),
    );
  return [...new Set([...named, ...holders.map((holder) => holder.userId)])];
}

export type Receiver = { actor: UserActor; row: TaskRow };

/**
 * How users are known to the rules, in the order asked: the principal cache outside a transaction
 * (one round trip for all), a loader on the transaction's connection inside one.
 */
export type PrincipalsOf = (userIds: string[]) => Promise<Array<Principal | null>>;

/**
 * Who may see a task, each with the row as read for them (their place on the
 * project and its team): `among` the given users, or among every candidate.
 * Each is judged by the task policy with their own permissions. Reads through
 * `db`: the database after a commit (its reads run at once), or the change's
 * transaction with `inTransaction` (one connection: its reads take turns).
 */
export async function taskAudience(
  db: Tx,
  row: TaskRow,
  principalsOf: PrincipalsOf,
  options: { among?: readonly string[]; inTransaction?: boolean } = {},
): Promise<Receiver[]> {
  const userIds = options.among ? [...new Set(options.among)] : await candidates(db, row);
  if (!userIds.length) return [];
  const { task } = row;
  const onProject = new Set<string>();
  const inTeam = new Set<string>();
  const readProject = async () => {
    if (!task.projectId) return;
    const members = await db
      .select({ userId: projectMembers.userId })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, task.projectId), inArray(projectMembers.userId, userIds)));
    members.forEach((member) => onProject.add(member.userId));
  };
  const readTeam = async () => {
    if (!task.projectId) return;
    const team = await db
      .select({ userId: teamMembers.userId })
      .from(teamMembers)
      .where(and(sql`${teamMembers.teamId} = (select team_id from projects where id = ${task.projectId})`, inArray(teamMembers.userId, userIds)));
    team.forEach((member) => inTeam.add(member.userId));
  };
  // The two memberships and the principals (one round trip to the cache for all of them) at once,
  // or in turn on a transaction's one connection.
  let principals: Array<Principal | null>;
  if (options.inTransaction) {
    principals = await principalsOf(userIds);
    await readProject();
    await readTeam();
  } else {
    [principals] = await Promise.all([principalsOf(userIds), readProject(), readTeam()]);
  }
  const result: Receiver[] = [];
  for (const [index, userId] of userIds.entries()) {
    const principal = principals[index];
    if (!principal?.isActive) continue;
    const actor: UserActor = { kind: "user", userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs };
    const seen = { ...row, viewerIsMember: onProject.has(userId), viewerInTeam: inTeam.has(userId) };
    if (can(actor, taskPolicy, "view", taskSubject(seen))) result.push({ actor, row: seen });
  }
  return result;
}

/** Everyone who may see the task, read after a commit through the principal cache. */
const receivers = (services: Services, row: TaskRow) => taskAudience(services.database.db, row, (userIds) => services.principals.getMany(userIds));

/**
 * Receivers who see the task alike (the same allowed actions: the rest of the
 * view is the task's own) get one message: it is built and encoded once per
 * group and sent to all of the group's sockets, on every instance, at once.
 */
async function sendUpdated(services: Services, audience: Receiver[], id: string, projectId: string | null): Promise<void> {
  const groups = new Map<string, { first: Receiver; userIds: string[] }>();
  for (const receiver of audience) {
    const key = allowedActions(receiver.actor, taskPolicy, taskSubject(receiver.row)).join(" ");
    const group = groups.get(key);
    if (group) group.userIds.push(receiver.actor.userId);
    else groups.set(key, { first: receiver, userIds: [receiver.actor.userId] });
  }
  await Promise.all(
    [...groups.values()].map(({ first, userIds }) =>
      services.realtime.toUsers(userIds, "task.updated", { id, projectId, task: presentTask(first.actor, first.row) }),
    ),
  );
}

/**
 * After commit, each user who may see the task gets it as they may see it. The
 * audience is read after the commit, outside the change's transaction (on the
 * embedded database a transaction holds the only connection).
 */
export function pushTaskUpdated(ctx: Ctx, row: TaskRow, formerly: Array<string | null> = []): void {
  const { services } = ctx;
  const { id, projectId } = row.task;
  ctx.afterCommit(async () => {
    const audience = await receivers(services, row);
    await sendUpdated(services, audience, id, projectId);
    // Who saw the task only as its assignee no longer sees it: for them it is gone from every view.
    const still = new Set(audience.map(({ actor }) => actor.userId));
    const lost = [...new Set(formerly)].filter((userId): userId is string => userId !== null && !still.has(userId));
    await services.realtime.toUsers(lost, "task.deleted", { id, projectId });
  });
}

/** Sent after the deletion's commit to who could see the task (judged on the row as it was). */
export function pushTaskDeleted(ctx: Ctx, row: TaskRow): void {
  const { services } = ctx;
  const { id, projectId } = row.task;
  ctx.afterCommit(async () => {
    const audience = await receivers(services, row);
    await services.realtime.toUsers(
      audience.map(({ actor }) => actor.userId),
      "task.deleted",
      { id, projectId },
    );
  });
}
