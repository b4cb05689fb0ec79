/**
 * One rule for one object and for its list: a seeded property test that the
 * SQL scopes written from the policies (`listScope`) agree with the object
 * rules (`can`/`authorize`) they come from.
 *
 * fast-check generates worlds: two organizations; in A one member per default
 * role of packages/shared's catalog and members holding custom roles (chosen
 * permissions, each absent or of scope `all` or `own`, sometimes beside a
 * default role, sometimes with an inactive membership, sometimes also members
 * of B); the superuser; an outsider (admin of B). Objects in A and B: teams,
 * clients, projects of organization and team visibility with owners,
 * managers, members, teams and clients, payments, audit entries about
 * projects, payments and other things (and platform entries), developers,
 * tasks (in projects of either visibility, assigned or not, and personal ones
 * of members, of people since deactivated and of nobody any more).
 *
 * For every actor and object: the object is in the actor's list (the real
 * service function, PGlite or PostgreSQL as the harness picks) exactly when
 * the object rule allows `view` on the object as the world defines it; its
 * detail opens exactly then too, and a listed object's own `allowedActions`
 * include `view`. The CSV report's rows are the projects the caller sees and
 * the reports policy lets them export. A task's live push (`task.updated`)
 * reaches exactly the members who may see it.
 *
 * Reproducible: LISTS_SEED and LISTS_RUNS override the seed and the number of worlds.
 */
import { DEFAULT_ROLE_KEYS, type DefaultRoleKey, type GrantScope, type Permission } from "@cairn/shared";
import { and, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, createTestContext, unique, type TestContext } from "../../../test/harness.js";
import { memberships, rolePermissions, roles } from "../../modules/access/index.js";
import { createUser } from "../../modules/accounts/index.js";
import { getAuditEntry, listAuditEntries } from "../../modules/audit/audit.service.js";
import { clients } from "../../modules/clients/clients.table.js";
import { clientPolicy } from "../../modules/clients/clients.policy.js";
import { getClient, listClients } from "../../modules/clients/clients.service.js";
import { developerPolicy } from "../../modules/directory/directory.policy.js";
import { listDevelopers } from "../../modules/directory/directory.service.js";
import { addMembership } from "../../modules/orgs/index.js";
import { payments, projectMembers, projects } from "../../modules/projects/index.js";
import { listProjects } from "../../modules/projects/projects.list.js";
import { projectPolicy, type ProjectSubject } from "../../modules/projects/projects.policy.js";
import { getProject } from "../../modules/projects/projects.service.js";
import { reportPolicy } from "../../modules/reports/reports.policy.js";
import { authorizeProjectReport, projectReportLines } from "../../modules/reports/reports.service.js";
import { auditPolicy, type AuditSubject } from "../../modules/audit/audit.policy.js";
import { teamPolicy, type TeamSubject } from "../../modules/teams/teams.policy.js";
import { getTeam, listTeams } from "../../modules/teams/teams.service.js";
import { teamMembers, teams } from "../../modules/teams/teams.table.js";
import { listTasks } from "../../modules/tasks/tasks.list.js";
import { taskPolicy, type TaskSubject } from "../../modules/tasks/tasks.policy.js";
import { selectTasks } from "../../modules/tasks/tasks.queries.js";
import { pushTaskUpdated } from "../../modules/tasks/tasks.realtime.js";
import { getTask } from "../../modules/tasks/tasks.service.js";
import { tasks } from "../../modules/tasks/tasks.table.js";
import { auditLog } from "../audit/audit.table.js";
import { withoutTransaction, type Ctx } from "../context.js";
import { NotFoundError, PermissionDeniedError } from "../errors.js";
import { runAs } from "../services.js";
import { systemActor, type UserActor } from "./actor.js";
import { can } from "./engine.js";

const SEED = Number(process.env.LISTS_SEED ?? 20261130);
const RUNS = Number(process.env.LISTS_RUNS ?? 10);

/** The permissions the listed policies read; custom roles grant a choice of them. */
const IN_PLAY = [
  "projects.view",
  "teams.manage",
  "clients.view",
  "audit.view",
  "developers.view",
  "reports.view",
  "projects.view_financials",
  "tasks.view_all",
  "tasks.view_assigned",
  "tasks.personal",
  "tasks.oversee",
] as const satisfies readonly Permission[];

type OrgKey = "A" | "B";
type Grants = Record<(typeof IN_PLAY)[number], GrantScope | null>;

const grantsArb: fc.Arbitrary<Grants> = fc.record(
  Object.fromEntries(IN_PLAY.map((permission) => [permission, fc.constantFrom<GrantScope | null>(null, "all", "own")])) as Record<keyof Grants, fc.Arbitrary<GrantScope | null>>,
);
const mostly = (value: boolean) => fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.constant(!value) });
const roleArb = fc.constantFrom<DefaultRoleKey>(...DEFAULT_ROLE_KEYS);
const orgArb = fc.constantFrom<OrgKey>("A", "A", "B");
/** An index into whatever candidates there are when the world is built. */
const pick = fc.nat({ max: 999 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const worldArb = fc.record({
  extras: fc.array(
    fc.record({
      grants: grantsArb,
      activeInA: mostly(true),
      alsoRoleInA: fc.option(roleArb, { nil: null, freq: 3 }),
      inB: maybe(fc.record({ role: roleArb, active: mostly(true) })),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  teams: fc.array(fc.record({ org: orgArb, manager: maybe(pick), members: fc.uniqueArray(pick, { maxLength: 4 }) }), { maxLength: 5 }),
  clients: fc.array(fc.record({ org: orgArb, salesperson: maybe(pick), customer: maybe(pick) }), { maxLength: 4 }),
  projects: fc.array(
    fc.record({
      org: orgArb,
      visibility: fc.constantFrom<"organization" | "team">("organization", "team"),
      team: maybe(pick),
      client: maybe(pick),
      owner: maybe(pick),
      manager: maybe(pick),
      members: fc.uniqueArray(pick, { maxLength: 4 }),
      payments: fc.nat({ max: 2 }),
    }),
    { maxLength: 10 },
  ),
  entries: fc.array(fc.record({ org: fc.constantFrom<OrgKey | null>("A", "B", null), about: fc.constantFrom("project", "payment", "other"), which: pick }), { maxLength: 8 }),
  /** A task of a project of its organization (none there, or `project` null: a personal task of its reporter). */
  tasks: fc.array(fc.record({ org: orgArb, project: maybe(pick), assignee: maybe(pick), reporter: maybe(pick) }), { maxLength: 12 }),
});

type WorldSpec = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

type Person = { id: string; label: string; memberships: Array<{ org: OrgKey; roles: string[]; active: boolean }> };
type Project = { id: string; orgId: string; subject: (viewer: string) => ProjectSubject };
type World = {
  orgIds: Record<OrgKey, string>;
  people: Person[];
  teams: Array<{ id: string; subject: TeamSubject }>;
  clients: Array<{ id: string; subject: { orgId: string; salespersonId: string | null } }>;
  projects: Project[];
  /** Every entry written in the world's organizations, and its platform entries. */
  entries: Array<{ id: string; subject: AuditSubject | null }>;
  tasks: Array<{ id: string; personal: boolean; subject: (viewer: string) => TaskSubject }>;
};

let t: TestContext;
/** (actor, object) pairs checked, by kind: how many the actor sees and how many they do not. */
const tally: Record<string, { seen: number; hidden: number }> = {};
const count = (kind: string, seen: boolean) => {
  const entry = (tally[kind] ??= { seen: 0, hidden: 0 });
  entry[seen ? "seen" : "hidden"]++;
};

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const at = <T>(candidates: readonly T[], index: number | null): T | null => (index === null || !candidates.length ? null : (candidates[index % candidates.length] ?? null));

/** Writes a generated world: people through the services, objects straight into their tables. */
async function build(spec: WorldSpec): Promise<World> {
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  const orgIds: Record<OrgKey, string> = { A: orgA.id, B: orgB.id };
  return runAs(t.services, systemActor("lists property test"), async (ctx) => {
    const people: Person[] = [];
    const person = async (label: string, isSuperuser = false) => {
      const username = unique("p");
      const user = await createUser(ctx, { email: `${username}@example.test`, username, password: null, isSuperuser });
      const created: Person = { id: user.id, label, memberships: [] };
      people.push(created);
      return created;
    };
    const join = async (who: Person, org: OrgKey, roleKeys: string[], active = true) => {
      await addMembership(ctx, orgIds[org], who.id, roleKeys);
      if (!active) await ctx.tx.update(memberships).set({ isActive: false }).where(and(eq(memberships.orgId, orgIds[org]), eq(memberships.userId, who.id)));
      who.memberships.push({ org, roles: roleKeys, active });
    };
    for (const role of DEFAULT_ROLE_KEYS) await join(await person(role), "A", [role]);
    await person("superuser", true);
    await join(await person("outsider"), "B", ["admin"]);
    for (const [index, extra] of spec.extras.entries()) {
      const key = `custom_${index}`;
      const [role] = await ctx.tx.insert(roles).values({ orgId: orgA.id, key, name: `Custom ${index}` }).returning({ id: roles.id });
      const grants = Object.entries(extra.grants).filter(([, scope]) => scope !== null) as Array<[Permission, GrantScope]>;
      if (role && grants.length) await ctx.tx.insert(rolePermissions).values(grants.map(([permission, scope]) => ({ roleId: role.id, permission, scope })));
      const label = `${key}(${grants.map(([permission, scope]) => `${permission}:${scope}`).join(" ")}${extra.alsoRoleInA ? ` +${extra.alsoRoleInA}` : ""}${extra.activeInA ? "" : " inactive"}${extra.inB ? ` B:${extra.inB.role}${extra.inB.active ? "" : " inactive"}` : ""})`;
      const who = await person(label);
      await join(who, "A", extra.alsoRoleInA ? [key, extra.alsoRoleInA] : [key], extra.activeInA);
      if (extra.inB) await join(who, "B", [extra.inB.role], extra.inB.active);
    }
    // Anyone with a membership row (active or not) may be named on an object of that organization.
    const membersOf = (org: OrgKey) => people.filter((who) => who.memberships.some((membership) => membership.org === org)).map((who) => who.id);

    const world: World = { orgIds, people, teams: [], clients: [], projects: [], entries: [], tasks: [] };
    const teamsByOrg: Record<OrgKey, Array<{ id: string; managerId: string | null; memberIds: string[] }>> = { A: [], B: [] };
    for (const spec_ of spec.teams) {
      const orgId = orgIds[spec_.org];
      const managerId = at(membersOf(spec_.org), spec_.manager);
      const memberIds = [...new Set(spec_.members.map((index) => at(membersOf(spec_.org), index)).filter((id) => id !== null))];
      const [team] = await ctx.tx.insert(teams).values({ orgId, name: unique("team"), managerId }).returning({ id: teams.id });
      if (!team) throw new Error("no team");
      if (memberIds.length) await ctx.tx.insert(teamMembers).values(memberIds.map((userId) => ({ orgId, teamId: team.id, userId })));
      teamsByOrg[spec_.org].push({ id: team.id, managerId, memberIds });
      world.teams.push({ id: team.id, subject: { orgId, managerId, memberIds } });
    }
    const clientsByOrg: Record<OrgKey, Array<{ id: string; customerUserId: string | null }>> = { A: [], B: [] };
    for (const spec_ of spec.clients) {
      const orgId = orgIds[spec_.org];
      const salespersonId = at(membersOf(spec_.org), spec_.salesperson);
      const customerUserId = at(membersOf(spec_.org), spec_.customer);
      const [client] = await ctx.tx.insert(clients).values({ orgId, name: unique("client"), salespersonId, customerUserId }).returning({ id: clients.id });
      if (!client) throw new Error("no client");
      clientsByOrg[spec_.org].push({ id: client.id, customerUserId });
      world.clients.push({ id: client.id, subject: { orgId, salespersonId } });
    }
    const projectsByOrg: Record<OrgKey, Array<{ id: string; ownerId: string | null; managerId: string | null }>> = { A: [], B: [] };
    const paymentsByOrg: Record<OrgKey, Array<{ id: string; projectId: string }>> = { A: [], B: [] };
    for (const [index, spec_] of spec.projects.entries()) {
      const orgId = orgIds[spec_.org];
      const team = at(teamsByOrg[spec_.org], spec_.team);
      const client = at(clientsByOrg[spec_.org], spec_.client);
      const visibility = team ? spec_.visibility : "organization";
      const ownerId = at(people.map((who) => who.id), spec_.owner);
      const managerId = at(membersOf(spec_.org), spec_.manager);
      const memberIds = [...new Set(spec_.members.map((member) => at(membersOf(spec_.org), member)).filter((id) => id !== null))];
      const [project] = await ctx.tx
        .insert(projects)
        .values({ orgId, key: `P${index}`, name: unique("project"), visibility, teamId: team?.id ?? null, clientId: client?.id ?? null, ownerId, managerId })
        .returning({ id: projects.id });
      if (!project) throw new Error("no project");
      if (memberIds.length) await ctx.tx.insert(projectMembers).values(memberIds.map((userId) => ({ orgId, projectId: project.id, userId })));
      for (let n = 0; n < spec_.payments; n++) {
        const [payment] = await ctx.tx
          .insert(payments)
          .values({ orgId, projectId: project.id, amount: "10.00", method: "cash", paidOn: "2026-01-01" })
          .returning({ id: payments.id });
        if (payment) paymentsByOrg[spec_.org].push({ id: payment.id, projectId: project.id });
      }
      projectsByOrg[spec_.org].push({ id: project.id, ownerId, managerId });
      world.projects.push({
        id: project.id,
        orgId,
        subject: (viewer) => ({
          orgId,
          ownerId,
          managerId,
          customerUserId: client?.customerUserId ?? null,
          visibility,
          teamManagerId: team?.managerId ?? null,
          viewerIsMember: memberIds.includes(viewer),
          viewerInTeam: team?.memberIds.includes(viewer) ?? false,
        }),
      });
    }
    const platformEntries: string[] = [];
    for (const entry of spec.entries) {
      const payment = entry.org && entry.about === "payment" ? at(paymentsByOrg[entry.org], entry.which) : null;
      const project = entry.org && entry.about === "project" ? at(projectsByOrg[entry.org], entry.which) : null;
      const [row] = await ctx.tx
        .insert(auditLog)
        .values({
          orgId: entry.org ? orgIds[entry.org] : null,
          action: "test.entry",
          entityType: payment ? "payment" : project ? "project" : entry.org ? "team" : "organization",
          entityId: payment?.id ?? project?.id ?? crypto.randomUUID(),
        })
        .returning({ id: auditLog.id });
      if (row && !entry.org) platformEntries.push(row.id);
    }
    // Every entry of the world's organizations (memberships wrote some too), about what the world knows.
    const projectOf = new Map<string, { ownerId: string | null; managerId: string | null }>();
    for (const org of ["A", "B"] as const) {
      for (const project of projectsByOrg[org]) projectOf.set(`project:${project.id}`, project);
      for (const payment of paymentsByOrg[org]) {
        const project = projectsByOrg[org].find((candidate) => candidate.id === payment.projectId);
        if (project) projectOf.set(`payment:${payment.id}`, project);
      }
    }
    const entries = await ctx.tx.select().from(auditLog).where(inArray(auditLog.orgId, [orgA.id, orgB.id]));
    for (const entry of entries) {
      const project = projectOf.get(`${entry.entityType}:${entry.entityId}`);
      world.entries.push({
        id: entry.id,
        subject: { orgId: entry.orgId ?? "", project: project ? { ownerId: project.ownerId, managerId: project.managerId } : null },
      });
    }
    for (const id of platformEntries) world.entries.push({ id, subject: null });
    for (const [index, spec_] of spec.tasks.entries()) {
      const orgId = orgIds[spec_.org];
      const project = at(world.projects.filter((candidate) => candidate.orgId === orgId), spec_.project);
      const reporterId = at(membersOf(spec_.org), spec_.reporter);
      // A personal task is its reporter's own: assigned to them or to nobody, as the API allows.
      const assigneeId = project ? at(membersOf(spec_.org), spec_.assignee) : spec_.assignee === null ? null : reporterId;
      const [task] = await ctx.tx
        .insert(tasks)
        .values({ orgId, projectId: project?.id ?? null, number: index + 1, title: unique("task"), assigneeId, reporterId })
        .returning({ id: tasks.id });
      if (!task) throw new Error("no task");
      world.tasks.push({
        id: task.id,
        personal: project === null,
        subject: (viewer) => ({ orgId, projectId: project?.id ?? null, assigneeId, reporterId, project: project?.subject(viewer) ?? null }),
      });
    }
    return world;
  });
}

/** Runs a read as `actor`, outside a transaction, as a GET does (the projects list takes its prepared path). */
function as<T>(actor: UserActor, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return withoutTransaction(t.services.database.db, { services: t.services, actor, log: t.services.log, meta: { ip: null, userAgent: null, requestId: null } }, work);
}

/** Every page of a list; a 403 (nothing the caller could see) is an empty list. */
async function everything<T>(page: (n: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  try {
    for (let n = 1; ; n++) {
      const result = await page(n);
      items.push(...result.items);
      if (!result.items.length || items.length >= result.total) return items;
    }
  } catch (error) {
    if (error instanceof PermissionDeniedError) return items;
    throw error;
  }
}

/** Whether a detail opens: a 404 or a 403 is "no". */
async function opens(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof PermissionDeniedError) return false;
    throw error;
  }
}

/** The ids of the projects in the caller's CSV report (none when it is refused). */
async function reportedProjects(actor: UserActor): Promise<Set<string>> {
  const ids = new Set<string>();
  let options: { financial: boolean };
  try {
    options = await as(actor, (ctx) => authorizeProjectReport(ctx, {}));
  } catch (error) {
    if (error instanceof PermissionDeniedError) return ids;
    throw error;
  }
  const lines = projectReportLines((work) => as(actor, work), {}, { ...options, batchSize: 100 });
  let header = true;
  for await (const chunk of lines) {
    for (const line of chunk.split("\r\n")) {
      if (header) header = false;
      else if (line) ids.add(line.slice(0, line.indexOf(",")));
    }
  }
  return ids;
}

async function actorOf(who: Person): Promise<UserActor> {
  const principal = await t.services.principals.get(who.id);
  if (!principal) throw new Error(`no principal for ${who.label}`);
  return { kind: "user", userId: principal.userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs };
}

const DEVELOPER_ROLES = new Set(["developer", "verified_developer"]);

/** Every `task.updated` a task's push sends, by receiver (the realtime service of the test context, wrapped). */
async function pushAudience(taskId: string): Promise<Map<string, { allowedActions: string[] }>> {
  const received = new Map<string, { allowedActions: string[] }>();
  const realtime = t.services.realtime;
  t.services.realtime = {
    ...realtime,
    toUser: (userId, event, data) => {
      if (event === "task.updated") received.set(userId, (data as { task: { allowedActions: string[] } }).task);
      return Promise.resolve();
    },
    toUsers: (userIds, event, data) => {
      if (event === "task.updated") for (const userId of userIds) received.set(userId, (data as { task: { allowedActions: string[] } }).task);
      return Promise.resolve();
    },
  };
  try {
    await runAs(t.services, systemActor("lists property test"), async (ctx) => {
      const [row] = await selectTasks(ctx.tx, crypto.randomUUID()).where(eq(tasks.id, taskId));
      if (!row) throw new Error(`no task ${taskId}`);
      pushTaskUpdated(ctx, row);
    });
  } finally {
    t.services.realtime = realtime;
  }
  return received;
}

async function checkWorld(world: World): Promise<void> {
  const actors = new Map<string, UserActor>();
  for (const who of world.people) actors.set(who.id, await actorOf(who));
  for (const task of world.tasks) {
    const received = await pushAudience(task.id);
    for (const who of world.people) {
      const actor = actors.get(who.id) as UserActor;
      // The superuser sees every task but is subscribed to no organization's: a push reaches them when the task names them.
      if (actor.isSuperuser) continue;
      const expected = can(actor, taskPolicy, "view", task.subject(who.id));
      expect(received.has(who.id), `${who.label}: push of task ${task.id} ${JSON.stringify(task.subject(who.id))} received?`).toBe(expected);
      if (expected) expect(received.get(who.id)?.allowedActions, `${who.label}: allowedActions pushed for task ${task.id}`).toContain("view");
      count("task push", expected);
    }
  }
  for (const who of world.people) {
    const actor = actors.get(who.id) as UserActor;
    const pageSize = 100;

    const listedTasks = new Map((await as(actor, (ctx) => everything((page) => listTasks(ctx, { page, pageSize })))).map((item) => [item.id, item]));
    for (const task of world.tasks) {
      const subject = task.subject(actor.userId);
      const expected = can(actor, taskPolicy, "view", subject);
      const listed = listedTasks.get(task.id);
      expect(Boolean(listed), `${who.label}: task ${task.id} ${JSON.stringify(subject)} listed?`).toBe(expected);
      if (listed) expect(listed.allowedActions, `${who.label}: allowedActions of listed task ${task.id}`).toContain("view");
      expect(await opens(() => as(actor, (ctx) => getTask(ctx, task.id))), `${who.label}: task ${task.id} opens?`).toBe(expected);
      count(task.personal ? "personal task" : subject.project?.visibility === "team" ? "team project task" : "project task", expected);
    }

    const listedProjects = new Map((await as(actor, (ctx) => everything((page) => listProjects(ctx, { page, pageSize })))).map((item) => [item.id, item]));
    for (const project of world.projects) {
      const expected = can(actor, projectPolicy, "view", project.subject(actor.userId));
      const listed = listedProjects.get(project.id);
      expect(Boolean(listed), `${who.label}: project ${project.id} ${JSON.stringify(project.subject(actor.userId))} listed?`).toBe(expected);
      if (listed) expect(listed.allowedActions, `${who.label}: allowedActions of listed project ${project.id}`).toContain("view");
      expect(await opens(() => as(actor, (ctx) => getProject(ctx, project.id))), `${who.label}: project ${project.id} opens?`).toBe(expected);
      count(project.subject(actor.userId).visibility === "team" ? "team project" : "organization project", expected);
    }

    // A report's rows: the projects the caller sees that the reports policy lets them export.
    const reported = await reportedProjects(actor);
    for (const project of world.projects) {
      const subject = project.subject(actor.userId);
      const expected = can(actor, projectPolicy, "view", subject) && can(actor, reportPolicy, "export", subject);
      expect(reported.has(project.id), `${who.label}: project ${project.id} ${JSON.stringify(subject)} in the report?`).toBe(expected);
      count("report row", expected);
    }

    const listedTeams = new Map((await as(actor, (ctx) => everything((page) => listTeams(ctx, { page, pageSize })))).map((item) => [item.id, item]));
    for (const team of world.teams) {
      const expected = can(actor, teamPolicy, "view", team.subject);
      const listed = listedTeams.get(team.id);
      expect(Boolean(listed), `${who.label}: team ${team.id} ${JSON.stringify(team.subject)} listed?`).toBe(expected);
      if (listed) expect(listed.allowedActions, `${who.label}: allowedActions of listed team ${team.id}`).toContain("view");
      expect(await opens(() => as(actor, (ctx) => getTeam(ctx, team.id))), `${who.label}: team ${team.id} opens?`).toBe(expected);
      count("team", expected);
    }

    const listedClients = new Map((await as(actor, (ctx) => everything((page) => listClients(ctx, { page, pageSize })))).map((item) => [item.id, item]));
    for (const client of world.clients) {
      const expected = can(actor, clientPolicy, "view", client.subject);
      const listed = listedClients.get(client.id);
      expect(Boolean(listed), `${who.label}: client ${client.id} ${JSON.stringify(client.subject)} listed?`).toBe(expected);
      if (listed) expect(listed.allowedActions, `${who.label}: allowedActions of listed client ${client.id}`).toContain("view");
      expect(await opens(() => as(actor, (ctx) => getClient(ctx, client.id))), `${who.label}: client ${client.id} opens?`).toBe(expected);
      count("client", expected);
    }

    const listedEntries = new Set((await as(actor, (ctx) => everything((page) => listAuditEntries(ctx, { page, pageSize })))).map((item) => item.id));
    for (const entry of world.entries) {
      // Platform entries (no organization) are the superuser's alone; the others follow the audit policy.
      const expected = entry.subject ? can(actor, auditPolicy, "view", entry.subject) : actor.isSuperuser;
      expect(listedEntries.has(entry.id), `${who.label}: audit entry ${entry.id} ${JSON.stringify(entry.subject)} listed?`).toBe(expected);
      expect(await opens(() => as(actor, (ctx) => getAuditEntry(ctx, entry.id))), `${who.label}: audit entry ${entry.id} opens?`).toBe(expected);
      count("audit entry", expected);
    }

    const listedDevelopers = new Set((await as(actor, (ctx) => everything((page) => listDevelopers(ctx, { page, pageSize })))).map((item) => item.id));
    for (const developer of world.people) {
      // A developer is seen through any active membership holding a developer role in an organization the caller may look into.
      const expected = developer.memberships.some(
        (membership) => membership.active && membership.roles.some((role) => DEVELOPER_ROLES.has(role)) && can(actor, developerPolicy, "view", { orgId: world.orgIds[membership.org] }),
      );
      expect(listedDevelopers.has(developer.id), `${who.label}: developer ${developer.label} listed?`).toBe(expected);
      count("developer", expected);
    }
  }
}

describe("list scopes agree with object rules", () => {
  it(`for every actor and object of ${RUNS} generated worlds (seed ${SEED})`, { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (spec) => {
        await checkWorld(await build(spec));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const pairs = Object.values(tally).reduce((sum, { seen, hidden }) => sum + seen + hidden, 0);
    const kinds = Object.entries(tally).map(([kind, { seen, hidden }]) => `${kind} ${seen} seen/${hidden} hidden`);
    console.info(`lists property: ${pairs} (actor, object) pairs in ${RUNS} worlds, seed ${SEED}: ${kinds.join(", ")}`);
    // Every kind of object was both seen and hidden by someone: the worlds exercise the rules both ways.
    for (const { seen, hidden } of Object.values(tally)) expect(Math.min(seen, hidden)).toBeGreaterThan(0);
  });
});
