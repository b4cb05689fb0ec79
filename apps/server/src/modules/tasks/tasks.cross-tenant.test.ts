import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { asc, eq, inArray } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { notifications } from "../notifications/notifications.table.js";
import { projectMembers } from "../projects/index.js";
import { taskDependencies, taskLabels, taskSequences, tasks } from "./tasks.table.js";

/**
 * Tenant isolation of tasks: members of organization A, whatever their role,
 * use organization B's ids everywhere a task route takes one. B's tasks,
 * personal ones included, and B's projects and organization answer 404;
 * B's people, tasks and blockers named in a body of A's own task writes are a
 * 400 naming the field; a filter naming B's objects lists nothing of B. At the
 * end nothing of B has changed, and nothing of A either.
 */

let t: TestContext;
const intruders = {} as Record<(typeof DEFAULT_ROLE_KEYS)[number], BuiltUser>;
const a: Record<string, string> = {};
const b: Record<string, string> = {};
const SECRET_LABEL = "b-secret-label";
const SECRET_TITLE = "Bravo secret plan";
let before: { a: unknown; b: unknown };

async function snapshotOf(orgId: string) {
  const { db } = t.services.database;
  const taskIds = (await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.orgId, orgId))).map((row) => row.id);
  return {
    tasks: await db.select().from(tasks).where(eq(tasks.orgId, orgId)).orderBy(asc(tasks.id)),
    sequences: await db.select().from(taskSequences).where(eq(taskSequences.orgId, orgId)).orderBy(asc(taskSequences.scopeId)),
    labels: await db.select().from(taskLabels).where(eq(taskLabels.orgId, orgId)).orderBy(asc(taskLabels.id)),
    dependencies: await db.select().from(taskDependencies).where(inArray(taskDependencies.taskId, taskIds.length ? taskIds : [crypto.randomUUID()])),
    projectMembers: await db.select().from(projectMembers).where(eq(projectMembers.orgId, orgId)).orderBy(asc(projectMembers.projectId), asc(projectMembers.userId)),
    notifications: await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.orgId, orgId)).orderBy(asc(notifications.id)),
    audit: await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.id)),
  };
}

const snapshots = async () => ({ a: await snapshotOf(a.orgId ?? ""), b: await snapshotOf(b.orgId ?? "") });

beforeAll(async () => {
  t = await createTestContext();
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  for (const role of DEFAULT_ROLE_KEYS) intruders[role] = await buildUser(t, { orgId: orgA.id, roles: [role] });
  const admin = intruders.admin;
  a.orgId = orgA.id;
  a.project = (await buildProject(t, { orgId: orgA.id, key: "ALFA", by: admin })).id;
  a.task = (await buildTask(t, { projectId: a.project, title: "Alfa work", by: admin })).id;
  a.other = (await buildTask(t, { projectId: a.project, title: "Alfa other work", by: admin })).id;
  for (const role of ["admin", "project_manager"] as const) a[`personal:${role}`] = (await buildTask(t, { orgId: orgA.id, title: `Alfa ${role}'s to-do`, by: intruders[role] })).id;

  const bAdmin = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
  const bDeveloper = await buildUser(t, { orgId: orgB.id, roles: ["developer"] });
  b.orgId = orgB.id;
  b.org = orgB.slug;
  b.admin = bAdmin.id;
  b.user = bDeveloper.id;
  b.project = (await buildProject(t, { orgId: orgB.id, key: "BSEC", by: bAdmin })).id;
  b.task = (await buildTask(t, { projectId: b.project, title: SECRET_TITLE, assigneeId: bDeveloper.id, labels: [SECRET_LABEL], by: bAdmin })).id;
  b.child = (await buildTask(t, { projectId: b.project, title: "Bravo child", parentId: b.task, by: bAdmin })).id;
  b.blocked = (await buildTask(t, { projectId: b.project, title: "Bravo blocked", dependsOn: [b.task], by: bAdmin })).id;
  b.personal = (await buildTask(t, { orgId: orgB.id, title: "Bravo to-do", by: bAdmin })).id;
  b.developerPersonal = (await buildTask(t, { orgId: orgB.id, title: "Bravo developer's to-do", by: bDeveloper })).id;
  before = await snapshots();
});
afterAll(() => t.close());

const B_TASKS = ["task", "child", "blocked", "personal", "developerPersonal"] as const;

/** Every read and write of one of B's tasks, by id: a 404 for anyone of A. */
const byTaskId = (name: string): Array<[string, () => InjectOptions]> => [
  [`GET ${name}`, () => ({ method: "GET", url: `/api/tasks/${b[name]}` })],
  [`PATCH ${name} title`, () => ({ method: "PATCH", url: `/api/tasks/${b[name]}`, payload: { title: "Taken over" } })],
  [`PATCH ${name} status`, () => ({ method: "PATCH", url: `/api/tasks/${b[name]}`, payload: { status: "done" } })],
  [`DELETE ${name}`, () => ({ method: "DELETE", url: `/api/tasks/${b[name]}` })],
  [`POST ${name} move`, () => ({ method: "POST", url: `/api/tasks/${b[name]}/move`, payload: { status: "in_progress", afterId: null } })],
  [`PATCH bulk [${name}]`, () => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [b[name]], set: { status: "done" } } })],
  [`GET ${name} dependencies`, () => ({ method: "GET", url: `/api/tasks/${b[name]}/dependencies` })],
  [`POST ${name} dependency on A's task`, () => ({ method: "POST", url: `/api/tasks/${b[name]}/dependencies`, payload: { dependsOnId: a.task } })],
  [`DELETE ${name} dependency`, () => ({ method: "DELETE", url: `/api/tasks/${b[name]}/dependencies/${b.task}` })],
];

const notFound: Array<[string, () => InjectOptions]> = [
  ...B_TASKS.flatMap(byTaskId),
  ["PATCH bulk [B's task, A's task]", () => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [b.task, a.task], set: { priority: "urgent" } } })],
  ["POST task into B's project", () => ({ method: "POST", url: "/api/tasks", payload: { projectId: b.project, title: "Planted" } })],
  ["POST personal task into B", () => ({ method: "POST", url: "/api/tasks", payload: { orgId: b.orgId, title: "Planted" } })],
  ["POST bulk into B's project", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: b.project, tasks: [{ title: "Planted" }] } })],
  ["POST bulk personal into B", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { orgId: b.orgId, tasks: [{ title: "Planted" }] } })],
  // orgId beside a project of A: B is not an organization of the caller's, so not one to name either.
  ["POST with orgId B and A's project", () => ({ method: "POST", url: "/api/tasks", payload: { orgId: b.org, projectId: a.project, title: "x" } })],
  ["POST bulk with orgId B and A's project", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { orgId: b.orgId, projectId: a.project, tasks: [{ title: "x" }] } })],
  ["GET tasks?org=B (slug)", () => ({ method: "GET", url: `/api/tasks?org=${b.org}` })],
  ["GET tasks?org=B (id)", () => ({ method: "GET", url: `/api/tasks?org=${b.orgId}&project=${b.project}` })],
  ["GET labels?org=B", () => ({ method: "GET", url: `/api/tasks/labels?org=${b.org}` })],
];

/** A's own task writes naming B's people and tasks in the body: a 400 naming the field (as A's admin and project manager, each on their own personal task). */
const badReferences: Array<[string, (role: string) => InjectOptions, string]> = [
  ["POST with B's assignee", () => ({ method: "POST", url: "/api/tasks", payload: { projectId: a.project, title: "x", assigneeId: b.user } }), "assigneeId"],
  ["POST with B's parent", () => ({ method: "POST", url: "/api/tasks", payload: { projectId: a.project, title: "x", parentId: b.task } }), "parentId"],
  ["POST with B's blocker", () => ({ method: "POST", url: "/api/tasks", payload: { projectId: a.project, title: "x", dependsOn: [a.other, b.task] } }), "dependsOn"],
  ["POST personal with B's personal parent", () => ({ method: "POST", url: "/api/tasks", payload: { orgId: a.orgId, title: "x", parentId: b.personal } }), "parentId"],
  ["POST personal with B's blocker", () => ({ method: "POST", url: "/api/tasks", payload: { orgId: a.orgId, title: "x", dependsOn: [b.developerPersonal] } }), "dependsOn"],
  ["PATCH A's task to B's assignee", () => ({ method: "PATCH", url: `/api/tasks/${a.task}`, payload: { assigneeId: b.user } }), "assigneeId"],
  ["PATCH A's task under B's parent", () => ({ method: "PATCH", url: `/api/tasks/${a.task}`, payload: { parentId: b.task } }), "parentId"],
  ["PATCH A's personal task to B's assignee", (role) => ({ method: "PATCH", url: `/api/tasks/${a[`personal:${role}`]}`, payload: { assigneeId: b.user } }), "assigneeId"],
  ["PATCH A's personal task under B's parent", (role) => ({ method: "PATCH", url: `/api/tasks/${a[`personal:${role}`]}`, payload: { parentId: b.personal } }), "parentId"],
  ["move A's task after B's", () => ({ method: "POST", url: `/api/tasks/${a.task}/move`, payload: { afterId: b.task } }), "afterId"],
  ["move A's task after B's, into another column", () => ({ method: "POST", url: `/api/tasks/${a.task}/move`, payload: { status: "in_progress", afterId: b.child } }), "afterId"],
  ["PATCH bulk to B's assignee", () => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [a.task, a.other], set: { assigneeId: b.user } } }), "set.assigneeId"],
  ["POST bulk with B's assignee", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: a.project, tasks: [{ title: "ok" }, { title: "x", assigneeId: b.user }] } }), "tasks.1.assigneeId"],
  ["POST bulk with B's parent", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: a.project, tasks: [{ title: "x", parentId: b.task }] } }), "tasks.0.parentId"],
  ["POST bulk with B's blocker", () => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: a.project, tasks: [{ title: "ok" }, { title: "x", dependsOn: [b.task] }] } }), "tasks.1.dependsOn"],
];

function send(options: InjectOptions, token: string | undefined) {
  return t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token ?? ""}` } });
}

describe("organization B's tasks are invisible to members of organization A", () => {
  for (const role of DEFAULT_ROLE_KEYS) {
    it.each(notFound)(`%s as ${role} of A → 404`, async (_name, build) => {
      const response = await send(build(), intruders[role].token);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.body).not.toContain(SECRET_TITLE);
    });
  }

  for (const role of ["admin", "project_manager"] as const) {
    it(`a blocker of B's for A's own task, as ${role} of A → 404 (B's task does not exist for them)`, async () => {
      const response = await send({ method: "POST", url: `/api/tasks/${a.task}/dependencies`, payload: { dependsOnId: b.task } }, intruders[role].token);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.body).not.toContain(SECRET_TITLE);
    });
  }

  for (const role of ["admin", "project_manager"] as const) {
    it.each(badReferences)(`%s as ${role} of A → 400`, async (_name, build, field) => {
      const response = await send(build(role), intruders[role].token);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<{ errors?: Array<{ path: string }> }>().errors?.map((error) => error.path)).toContain(field);
      expect(response.body).not.toContain(SECRET_TITLE);
    });
  }

  it("a bulk edit of A's task and B's answers 404 naming B's, and changes neither", async () => {
    const response = await send({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [a.task, b.task], set: { priority: "urgent" } } }, intruders.admin.token);
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json<{ detail: string }>().detail).toContain(b.task);
  });

  it("filters naming B's objects list nothing of B, and no list of A's members shows B's tasks or labels", async () => {
    const urls = [
      "/api/tasks?pageSize=100",
      `/api/tasks?project=${b.project}`,
      `/api/tasks?assignee=${b.user}`,
      `/api/tasks?reporter=${b.admin}`,
      `/api/tasks?parent=${b.task}`,
      `/api/tasks?search=${encodeURIComponent(SECRET_TITLE)}`,
      "/api/tasks?search=BSEC-1",
      "/api/tasks?search=ME-1&personal=true",
      `/api/tasks?label=${SECRET_LABEL}`,
      "/api/tasks/labels",
      `/api/tasks/labels?search=${SECRET_LABEL}`,
    ];
    const secrets = [b.project, b.task, b.child, b.blocked, b.personal, b.developerPersonal, b.user, b.admin, b.orgId, SECRET_TITLE, SECRET_LABEL, "BSEC"];
    for (const role of DEFAULT_ROLE_KEYS) {
      for (const url of urls) {
        const response = await send({ method: "GET", url }, intruders[role].token);
        expect(response.statusCode, `${role} ${url}: ${response.body}`).toBe(200);
        for (const secret of secrets) expect(response.body, `${role} ${url}`).not.toContain(secret);
        if (url.includes(b.project ?? "?") || url.includes(b.user ?? "?") || url.includes(b.task ?? "?")) {
          expect(response.json<{ total: number }>().total, `${role} ${url}`).toBe(0);
        }
      }
    }
  });

  it("and after all these attempts nothing of B has changed, nor anything of A", async () => {
    expect(await snapshots()).toEqual(before);
  });
});
