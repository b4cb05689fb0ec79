import { PROJECT_STATUS_TRANSITIONS, type CreateProjectInput, type CreateTaskInput, type ProjectStatus } from "@cairn/shared";
import type { UserActor } from "../src/platform/access/actor.js";
import type { Ctx } from "../src/platform/context.js";
import { runAs } from "../src/platform/services.js";
import { createClient, type ClientInput, type ClientView } from "../src/modules/clients/clients.service.js";
import { addMember, type MemberView } from "../src/modules/orgs/members.service.js";
import { addProjectMember } from "../src/modules/projects/members.service.js";
import { changeProjectStatus, createProject, getProject, type ProjectDetail } from "../src/modules/projects/projects.service.js";
import { createTask } from "../src/modules/tasks/tasks.service.js";
import type { TaskView } from "../src/modules/tasks/tasks.queries.js";
import { createTeam, type TeamInput, type TeamView } from "../src/modules/teams/teams.service.js";
import { buildOrg, buildUser, PASSWORD, unique, type TestContext } from "./harness.js";

/**
 * Test data, one factory per kind of object: `buildProject(t, { orgId, status: "active" })`.
 * Each one works through the service functions, as a user (`by`, the test's
 * own superuser when left out), so every rule, audit entry and event of the
 * real path applies; a factory asked for something its user may not do fails
 * as the API would. Each returns what the service returns.
 */

export { buildOrg, buildUser, PASSWORD, unique };

export type BuiltUser = Awaited<ReturnType<typeof buildUser>>;

/** Who a factory acts as: any user with an id (a `buildUser` result, a matrix caller). */
export type Author = { id: string };

const superusers = new WeakMap<TestContext, Promise<BuiltUser>>();

/** A platform superuser of the test context's own, made on first use: the author of objects nobody in particular makes. */
export function testSuperuser(t: TestContext): Promise<BuiltUser> {
  let superuser = superusers.get(t);
  if (!superuser) {
    superuser = buildUser(t, { isSuperuser: true, username: unique("root") });
    superusers.set(t, superuser);
  }
  return superuser;
}

/** The actor a user is to the permission engine, loaded as a request loads it (their principal). */
export async function actorOf(t: TestContext, user: Author): Promise<UserActor> {
  const principal = await t.services.principals.get(user.id);
  if (!principal) throw new Error(`no user ${user.id}`);
  return { kind: "user", userId: principal.userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs };
}

/** Runs service work as a user (the test's superuser when `by` is left out), in one transaction, with its after-commit work. */
export async function actAs<T>(t: TestContext, by: Author | undefined, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  const actor = await actorOf(t, by ?? (await testSuperuser(t)));
  return runAs(t.services, actor, work);
}

/** The statuses a new project (planning) goes through to reach `status`, by the allowed transitions. */
function statusPath(target: ProjectStatus): ProjectStatus[] {
  const paths = new Map<ProjectStatus, ProjectStatus[]>([["planning", []]]);
  const queue: ProjectStatus[] = ["planning"];
  for (let status = queue.shift(); status; status = queue.shift()) {
    for (const next of PROJECT_STATUS_TRANSITIONS[status]) {
      if (paths.has(next)) continue;
      paths.set(next, [...(paths.get(status) ?? []), next]);
      queue.push(next);
    }
  }
  const path = paths.get(target);
  if (!path) throw new Error(`no way from planning to ${target}`);
  return path;
}

export type ProjectOverrides = Partial<CreateProjectInput> & {
  /** Moved there through the allowed transitions, each audited and announced. */
  status?: ProjectStatus;
  /** Added as project members (role `member`) after the author, who is the owner. */
  memberIds?: string[];
  by?: Author;
};

/** A project, opened by `by` (its owner), then moved to `status` and given `memberIds`. */
export async function buildProject(t: TestContext, overrides: ProjectOverrides = {}): Promise<ProjectDetail> {
  const { status, memberIds = [], by, ...input } = overrides;
  return actAs(t, by, async (ctx) => {
    const project = await createProject(ctx, { name: unique("Project "), ...input });
    for (const userId of memberIds) await addProjectMember(ctx, project.id, { userId });
    for (const next of status ? statusPath(status) : []) await changeProjectStatus(ctx, project.id, next);
    return getProject(ctx, project.id);
  });
}

export type ClientOverrides = Partial<ClientInput> & { by?: Author };

/** A client of an organization; its salesperson is `by` when they belong to it and none is named. */
export async function buildClient(t: TestContext, overrides: ClientOverrides = {}): Promise<ClientView> {
  const { by, ...input } = overrides;
  return actAs(t, by, (ctx) => createClient(ctx, { name: unique("Client "), ...input }));
}

export type TeamOverrides = Partial<TeamInput> & { by?: Author };

/** A team; its manager is `by` when they belong to the organization and none is named (`managerId: null` for none). */
export async function buildTeam(t: TestContext, overrides: TeamOverrides = {}): Promise<TeamView> {
  const { by, ...input } = overrides;
  return actAs(t, by, (ctx) => createTeam(ctx, { name: unique("Team "), ...input }));
}

export type MemberOverrides = {
  /** The organization's id or slug. */
  orgId: string;
  /** `support` unless told: a role with no project quota, so the member can join any number of projects. */
  roles?: string[];
  username?: string;
  email?: string;
  by?: Author;
};

/**
 * A member added by an administrator (`by`, or the superuser): a new account
 * without a password, invited by email, as POST /api/orgs/{org}/members makes.
 * `buildUser` is the one for people who sign in.
 */
export async function buildMember(t: TestContext, overrides: MemberOverrides): Promise<MemberView> {
  const { orgId, by, roles = ["support"] } = overrides;
  const username = overrides.username ?? unique("member");
  const email = overrides.email ?? `${username}@example.test`;
  return actAs(t, by, (ctx) => addMember(ctx, orgId, { email, username, roles }));
}

export type TaskOverrides = Partial<CreateTaskInput> & { by?: Author };

/**
 * A task, created by `by` (its reporter) as POST /api/tasks creates it: in
 * `projectId`, or without one a personal task of `by` in `orgId`. The
 * assignee joins the project as the API would have them (within their limit).
 */
export async function buildTask(t: TestContext, overrides: TaskOverrides = {}): Promise<TaskView> {
  const { by, ...input } = overrides;
  return actAs(t, by, (ctx) => createTask(ctx, { title: unique("Task "), ...input }));
}
