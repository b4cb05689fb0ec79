import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { asc, eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { attachments } from "../attachments/attachments.table.js";
import { clients } from "../clients/clients.table.js";
import { teamMembers, teams } from "../teams/teams.table.js";
import { multipart, PNG } from "./fixtures.test-util.js";
import { payments } from "./payments.table.js";
import { projectMembers, projects } from "./projects.table.js";

/**
 * Tenant isolation: members of organization A, whatever their role, try every
 * read and write of organization B's projects, clients, payments, files,
 * teams and audit entries. Each answers 404 (B's objects do not exist for
 * them) and, at the end, nothing of B has changed.
 */

type User = Awaited<ReturnType<typeof buildUser>>;

let t: TestContext;
const intruders: Record<string, User> = {};
const b: Record<string, string> = {};
let before: unknown;

async function snapshotOf(orgId: string) {
  const { db } = t.services.database;
  return {
    projects: await db.select().from(projects).where(eq(projects.orgId, orgId)).orderBy(asc(projects.id)),
    members: await db.select().from(projectMembers).where(eq(projectMembers.orgId, orgId)).orderBy(asc(projectMembers.userId)),
    payments: await db.select().from(payments).where(eq(payments.orgId, orgId)).orderBy(asc(payments.id)),
    files: await db.select().from(attachments).where(eq(attachments.orgId, orgId)).orderBy(asc(attachments.id)),
    clients: await db.select().from(clients).where(eq(clients.orgId, orgId)).orderBy(asc(clients.id)),
    teams: await db.select().from(teams).where(eq(teams.orgId, orgId)).orderBy(asc(teams.id)),
    teamMembers: await db.select().from(teamMembers).where(eq(teamMembers.orgId, orgId)).orderBy(asc(teamMembers.userId)),
    audit: await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.id)),
  };
}

beforeAll(async () => {
  t = await createTestContext();
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  for (const role of DEFAULT_ROLE_KEYS) intruders[role] = await buildUser(t, { orgId: orgA.id, roles: [role] });
  const admin = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
  const developer = await buildUser(t, { orgId: orgB.id, roles: ["developer"] });
  const create = async (url: string, body: Record<string, unknown> | ReturnType<typeof multipart>) => {
    const upload = "headers" in body && Buffer.isBuffer(body.payload);
    const response = await t.request({ method: "POST", url, token: admin.token, ...(upload ? body : { payload: body }) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  b.org = orgB.slug;
  b.orgId = orgB.id;
  b.user = developer.id;
  b.team = await create("/api/teams", { name: "B team", memberIds: [developer.id] });
  b.client = await create("/api/clients", { name: "B client" });
  b.project = await create("/api/projects", { name: "B project", clientId: b.client, teamId: b.team, cost: "100.00" });
  await create(`/api/projects/${b.project}/members`, { userId: developer.id });
  b.payment = await create(`/api/projects/${b.project}/payments`, { amount: "10.00", method: "cash" });
  b.file = await create(`/api/projects/${b.project}/files`, multipart("b.png", PNG));
  const [entry] = await t.services.database.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgB.id)).limit(1);
  b.audit = entry?.id ?? "";
  before = await snapshotOf(orgB.id);
});
afterAll(() => t.close());

const attempts: Array<[string, () => InjectOptions]> = [
  ["GET project", () => ({ method: "GET", url: `/api/projects/${b.project}` })],
  ["PATCH project", () => ({ method: "PATCH", url: `/api/projects/${b.project}`, payload: { name: "Taken over" } })],
  ["PATCH project status", () => ({ method: "PATCH", url: `/api/projects/${b.project}/status`, payload: { status: "cancelled" } })],
  ["DELETE project", () => ({ method: "DELETE", url: `/api/projects/${b.project}` })],
  ["GET project statistics", () => ({ method: "GET", url: `/api/projects/${b.project}/statistics` })],
  ["GET project members", () => ({ method: "GET", url: `/api/projects/${b.project}/members` })],
  ["POST project member", () => ({ method: "POST", url: `/api/projects/${b.project}/members`, payload: { userId: b.user } })],
  ["PATCH project member", () => ({ method: "PATCH", url: `/api/projects/${b.project}/members/${b.user}`, payload: { role: "lead" } })],
  ["DELETE project member", () => ({ method: "DELETE", url: `/api/projects/${b.project}/members/${b.user}` })],
  ["GET projects?org=B", () => ({ method: "GET", url: `/api/projects?org=${b.org}` })],
  ["POST project into B", () => ({ method: "POST", url: "/api/projects", payload: { orgId: b.orgId, name: "Planted" } })],
  ["GET payments", () => ({ method: "GET", url: `/api/projects/${b.project}/payments` })],
  ["POST payment", () => ({ method: "POST", url: `/api/projects/${b.project}/payments`, payload: { amount: "1.00", method: "cash" } })],
  ["GET payment", () => ({ method: "GET", url: `/api/payments/${b.payment}` })],
  ["POST payment verify", () => ({ method: "POST", url: `/api/payments/${b.payment}/verify`, payload: { decision: "approve" } })],
  ["GET files", () => ({ method: "GET", url: `/api/projects/${b.project}/files` })],
  ["POST file", () => ({ method: "POST", url: `/api/projects/${b.project}/files`, ...multipart("x.png", PNG) })],
  ["GET file download", () => ({ method: "GET", url: `/api/files/${b.file}/download` })],
  ["DELETE file", () => ({ method: "DELETE", url: `/api/files/${b.file}` })],
  ["GET client", () => ({ method: "GET", url: `/api/clients/${b.client}` })],
  ["PATCH client", () => ({ method: "PATCH", url: `/api/clients/${b.client}`, payload: { notes: "mine" } })],
  ["DELETE client", () => ({ method: "DELETE", url: `/api/clients/${b.client}` })],
  ["GET clients?org=B", () => ({ method: "GET", url: `/api/clients?org=${b.org}` })],
  ["POST client into B", () => ({ method: "POST", url: "/api/clients", payload: { orgId: b.orgId, name: "Planted" } })],
  ["GET team", () => ({ method: "GET", url: `/api/teams/${b.team}` })],
  ["PATCH team", () => ({ method: "PATCH", url: `/api/teams/${b.team}`, payload: { name: "Taken over" } })],
  ["DELETE team", () => ({ method: "DELETE", url: `/api/teams/${b.team}` })],
  ["POST team member", () => ({ method: "POST", url: `/api/teams/${b.team}/members/${b.user}` })],
  ["DELETE team member", () => ({ method: "DELETE", url: `/api/teams/${b.team}/members/${b.user}` })],
  ["GET teams?org=B", () => ({ method: "GET", url: `/api/teams?org=${b.org}` })],
  ["POST team into B", () => ({ method: "POST", url: "/api/teams", payload: { orgId: b.orgId, name: "Planted" } })],
  ["GET audit entry", () => ({ method: "GET", url: `/api/audit/${b.audit}` })],
  ["GET audit?org=B", () => ({ method: "GET", url: `/api/audit?org=${b.org}` })],
  ["GET projects.csv?org=B", () => ({ method: "GET", url: `/api/reports/projects.csv?org=${b.org}` })],
];

describe("organization B is invisible to members of organization A", () => {
  for (const role of DEFAULT_ROLE_KEYS) {
    it.each(attempts)(`%s as ${role} of A → 404`, async (_name, build) => {
      const options = build();
      const response = await t.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${intruders[role]?.token ?? ""}` } });
      expect(response.statusCode, response.body).toBe(404);
    });
  }

  it("lists of A's members never include B's objects", async () => {
    for (const url of ["/api/projects?pageSize=100", "/api/teams?pageSize=100", "/api/clients?pageSize=100", "/api/audit?pageSize=100", "/api/reports/projects.csv"]) {
      const response = await t.request({ method: "GET", url, token: intruders.admin?.token });
      expect(response.statusCode).toBe(200);
      for (const id of [b.project, b.team, b.client, b.payment, b.file, b.audit]) expect(response.body).not.toContain(id);
    }
  });

  it("and after all these attempts nothing of B has changed", async () => {
    expect(await snapshotOf(b.orgId ?? "")).toEqual(before);
  });
});
