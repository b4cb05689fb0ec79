import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { asc, eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { attachments } from "../attachments/attachments.table.js";
import { notifications } from "../notifications/notifications.table.js";
import { multipart, PNG } from "../projects/fixtures.test-util.js";
import { tasks } from "../tasks/tasks.table.js";
import { timeEntries } from "../time/time.table.js";
import { taskComments } from "./comments.table.js";

/**
 * Tenant isolation of a task's collaboration: members of organization A,
 * whatever their role, use organization B's ids on every comment, activity,
 * file and time route. Each answers 404 (B's objects do not exist for them),
 * a mention of B's people from A's own task mentions nobody, timesheets and
 * CSV files never show B's time, and at the end nothing of B has changed.
 */

let t: TestContext;
const intruders = {} as Record<(typeof DEFAULT_ROLE_KEYS)[number], BuiltUser>;
const a: Record<string, string> = {};
const b: Record<string, string> = {};
const SECRET = "Bravo's secret words";
let bAdmin: BuiltUser;
let before: unknown;

async function snapshotOf(orgId: string) {
  const { db } = t.services.database;
  return {
    tasks: await db.select().from(tasks).where(eq(tasks.orgId, orgId)).orderBy(asc(tasks.id)),
    comments: await db.select().from(taskComments).where(eq(taskComments.orgId, orgId)).orderBy(asc(taskComments.id)),
    time: await db.select().from(timeEntries).where(eq(timeEntries.orgId, orgId)).orderBy(asc(timeEntries.id)),
    files: await db.select().from(attachments).where(eq(attachments.orgId, orgId)).orderBy(asc(attachments.id)),
    notifications: await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.orgId, orgId)).orderBy(asc(notifications.id)),
    audit: await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.id)),
  };
}

const created = async (token: string, url: string, body: Record<string, unknown> | ReturnType<typeof multipart>) => {
  const upload = "headers" in body;
  const response = await t.request({ method: "POST", url, token, ...(upload ? body : { payload: body }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
};

beforeAll(async () => {
  t = await createTestContext();
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  for (const role of DEFAULT_ROLE_KEYS) intruders[role] = await buildUser(t, { orgId: orgA.id, roles: [role] });
  a.project = (await buildProject(t, { orgId: orgA.id, key: "ALFA", by: intruders.admin })).id;
  a.task = (await buildTask(t, { projectId: a.project, title: "Alfa work", by: intruders.admin })).id;

  bAdmin = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
  const bDeveloper = await buildUser(t, { orgId: orgB.id, roles: ["developer"] });
  b.orgId = orgB.id;
  b.org = orgB.slug;
  b.user = bDeveloper.id;
  b.username = bDeveloper.username;
  b.project = (await buildProject(t, { orgId: orgB.id, key: "BSEC", by: bAdmin })).id;
  b.task = (await buildTask(t, { projectId: b.project, title: "Bravo work", assigneeId: bDeveloper.id, by: bAdmin })).id;
  b.comment = await created(bAdmin.token, `/api/tasks/${b.task}/comments`, { body: `${SECRET} @${bDeveloper.username}` });
  b.file = await created(bDeveloper.token, `/api/tasks/${b.task}/attachments`, multipart("b.png", PNG));
  b.entry = await created(bDeveloper.token, `/api/tasks/${b.task}/time-entries`, { minutes: 77, spentOn: "2026-02-02", note: SECRET });
  before = await snapshotOf(orgB.id);
});
afterAll(() => t.close());

/** Every read and write of B's collaboration objects, by id. */
const ROUTES: Array<[string, () => InjectOptions]> = [
  ["GET comments of B's task", () => ({ method: "GET", url: `/api/tasks/${b.task}/comments` })],
  ["POST a comment on B's task", () => ({ method: "POST", url: `/api/tasks/${b.task}/comments`, payload: { body: "Hello B" } })],
  ["GET mentionable of B's task", () => ({ method: "GET", url: `/api/tasks/${b.task}/mentionable` })],
  ["GET activity of B's task", () => ({ method: "GET", url: `/api/tasks/${b.task}/activity` })],
  ["PATCH B's comment", () => ({ method: "PATCH", url: `/api/comments/${b.comment}`, payload: { body: "Taken over" } })],
  ["DELETE B's comment", () => ({ method: "DELETE", url: `/api/comments/${b.comment}` })],
  ["GET files of B's task", () => ({ method: "GET", url: `/api/tasks/${b.task}/attachments` })],
  ["POST a file to B's task", () => ({ method: "POST", url: `/api/tasks/${b.task}/attachments`, ...multipart("x.png", PNG) })],
  ["GET B's file", () => ({ method: "GET", url: `/api/files/${b.file}/download` })],
  ["DELETE B's file", () => ({ method: "DELETE", url: `/api/files/${b.file}` })],
  ["GET time of B's task", () => ({ method: "GET", url: `/api/tasks/${b.task}/time-entries` })],
  ["POST time on B's task", () => ({ method: "POST", url: `/api/tasks/${b.task}/time-entries`, payload: { minutes: 5, spentOn: "2026-02-03" } })],
  ["PATCH B's time entry", () => ({ method: "PATCH", url: `/api/time-entries/${b.entry}`, payload: { minutes: 1 } })],
  ["DELETE B's time entry", () => ({ method: "DELETE", url: `/api/time-entries/${b.entry}` })],
  ["GET the timesheet of organization B", () => ({ method: "GET", url: `/api/time-entries?org=${b.org}` })],
  ["GET the time CSV of organization B", () => ({ method: "GET", url: `/api/reports/time.csv?org=${b.org}` })],
];

describe("B's comments, files and time, by id, for every role of A", () => {
  for (const role of DEFAULT_ROLE_KEYS) {
    for (const [name, request] of ROUTES) {
      it(`${name} as A's ${role} → 404`, async () => {
        const response = await t.request({ ...request(), token: intruders[role].token });
        expect(response.statusCode, response.body).toBe(404);
        expect(response.body).not.toContain(SECRET);
      });
    }
  }
});

describe("lists and mentions across organizations", () => {
  it("timesheets and CSV files filtered by B's task, project or person show nothing of B", async () => {
    for (const role of DEFAULT_ROLE_KEYS) {
      const { token } = intruders[role];
      for (const query of ["", `?task=${b.task}`, `?project=${b.project}`, `?user=${b.user}`]) {
        const sheet = await t.request({ method: "GET", url: `/api/time-entries${query}`, token });
        expect(sheet.statusCode, sheet.body).toBe(200);
        expect(sheet.json()).toMatchObject({ total: 0, totalMinutes: 0 });
      }
    }
    const csv = await t.request({ method: "GET", url: `/api/reports/time.csv?task=${b.task}`, token: intruders.admin.token });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split("\r\n")).toHaveLength(1);
  });

  it("a mention of B's member from A's own task mentions nobody and tells nobody", async () => {
    const response = await t.request({
      method: "POST",
      url: `/api/tasks/${a.task}/comments`,
      token: intruders.admin.token,
      payload: { body: `Ping @${b.username} and @${bAdmin.username}` },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ mentions: [], mentioned: [] });
    expect(response.json<{ bodyHtml: string }>().bodyHtml).not.toContain("mention");
  });

  it("left everything of B as it was", async () => {
    expect(await snapshotOf(b.orgId ?? "")).toEqual(before);
  });
});
