import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { membershipRoles, rolePermissions, roles } from "../access/access.table.js";
import { memberships, organizations } from "../access/tenancy.table.js";
import { profiles } from "../accounts/accounts.table.js";
import { attachments } from "../attachments/attachments.table.js";
import { clients } from "../clients/clients.table.js";
import { notifications } from "../notifications/notifications.table.js";
import { teamMembers, teams } from "../teams/teams.table.js";
import { multipart, PNG } from "./fixtures.test-util.js";
import { payments } from "./payments.table.js";
import { projectMembers, projects } from "./projects.table.js";

/**
 * Tenant isolation: members of organization A, whatever their role, try every
 * read and write of organization B's projects, clients, payments, files,
 * teams, audit entries, members, roles, profiles and developers. Each answers
 * 404 (B's objects do not exist for them) and, at the end, nothing of B has
 * changed, its people's notifications included.
 */

type User = Awaited<ReturnType<typeof buildUser>>;

let t: TestContext;
const intruders: Record<string, User> = {};
const a: Record<string, string> = {};
const b: Record<string, string> = {};
let before: unknown;

async function snapshotOf(orgId: string) {
  const { db } = t.services.database;
  const people = (await db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.orgId, orgId))).map((row) => row.userId);
  const roleIds = (await db.select({ id: roles.id }).from(roles).where(eq(roles.orgId, orgId))).map((row) => row.id);
  return {
    organization: await db.select().from(organizations).where(eq(organizations.id, orgId)),
    memberships: await db.select().from(memberships).where(eq(memberships.orgId, orgId)).orderBy(asc(memberships.userId)),
    membershipRoles: await db.select().from(membershipRoles).where(eq(membershipRoles.orgId, orgId)).orderBy(asc(membershipRoles.userId), asc(membershipRoles.roleId)),
    roles: await db.select().from(roles).where(eq(roles.orgId, orgId)).orderBy(asc(roles.id)),
    rolePermissions: await db.select().from(rolePermissions).where(inArray(rolePermissions.roleId, roleIds)).orderBy(asc(rolePermissions.roleId), asc(rolePermissions.permission)),
    profiles: await db.select().from(profiles).where(inArray(profiles.userId, people)).orderBy(asc(profiles.userId)),
    notifications: await db.select().from(notifications).where(inArray(notifications.userId, people)).orderBy(asc(notifications.id)),
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
  a.org = orgA.slug;
  b.org = orgB.slug;
  b.orgId = orgB.id;
  b.user = developer.id;
  b.team = await create("/api/teams", { name: "B team", memberIds: [developer.id] });
  b.client = await create("/api/clients", { name: "B client" });
  b.project = await create("/api/projects", { name: "B project", clientId: b.client, teamId: b.team, cost: "100.00" });
  await create(`/api/projects/${b.project}/members`, { userId: developer.id });
  b.payment = await create(`/api/projects/${b.project}/payments`, { amount: "10.00", method: "cash" });
  b.file = await create(`/api/projects/${b.project}/files`, multipart("b.png", PNG));
  b.role = "b_custom";
  await create(`/api/orgs/${orgB.slug}/roles`, { key: b.role, name: "B custom", permissions: ["projects.view"] });
  const [note] = await t.services.database.db
    .insert(notifications)
    .values({ userId: developer.id, orgId: orgB.id, kind: "test.note", title: "For B's developer only" })
    .returning({ id: notifications.id });
  b.notification = note?.id ?? "";
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
  ["GET organization", () => ({ method: "GET", url: `/api/orgs/${b.org}` })],
  ["PATCH organization", () => ({ method: "PATCH", url: `/api/orgs/${b.org}`, payload: { name: "Taken over" } })],
  ["GET members", () => ({ method: "GET", url: `/api/orgs/${b.org}/members` })],
  ["POST member into B", () => ({ method: "POST", url: `/api/orgs/${b.org}/members`, payload: { email: "planted@example.test", username: "planted", roles: ["admin"] } })],
  ["GET member", () => ({ method: "GET", url: `/api/orgs/${b.org}/members/${b.user}` })],
  ["PATCH member roles", () => ({ method: "PATCH", url: `/api/orgs/${b.org}/members/${b.user}`, payload: { roles: ["admin"] } })],
  ["PATCH member deactivation", () => ({ method: "PATCH", url: `/api/orgs/${b.org}/members/${b.user}`, payload: { isActive: false } })],
  ["POST member invitation", () => ({ method: "POST", url: `/api/orgs/${b.org}/members/${b.user}/invitation` })],
  ["GET roles", () => ({ method: "GET", url: `/api/orgs/${b.org}/roles` })],
  ["POST role into B", () => ({ method: "POST", url: `/api/orgs/${b.org}/roles`, payload: { key: "planted", name: "Planted", permissions: ["members.manage"] } })],
  ["PATCH custom role", () => ({ method: "PATCH", url: `/api/orgs/${b.org}/roles/${b.role}`, payload: { permissions: ["members.manage", "roles.manage"] } })],
  ["PATCH default role", () => ({ method: "PATCH", url: `/api/orgs/${b.org}/roles/developer`, payload: { name: "Taken over", projectLimit: null } })],
  ["DELETE custom role", () => ({ method: "DELETE", url: `/api/orgs/${b.org}/roles/${b.role}` })],
  ["GET user profile", () => ({ method: "GET", url: `/api/users/${b.user}/profile` })],
  ["PATCH user profile", () => ({ method: "PATCH", url: `/api/users/${b.user}/profile`, payload: { bio: "Taken over" } })],
  ["GET developer", () => ({ method: "GET", url: `/api/developers/${b.user}` })],
  ["GET developers?org=B", () => ({ method: "GET", url: `/api/developers?org=${b.org}` })],
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
    const urls = [
      "/api/projects?pageSize=100",
      "/api/teams?pageSize=100",
      "/api/clients?pageSize=100",
      "/api/audit?pageSize=100",
      "/api/reports/projects.csv",
      "/api/orgs",
      `/api/orgs/${a.org}/members?pageSize=100`,
      `/api/orgs/${a.org}/roles`,
      "/api/developers?pageSize=100",
      "/api/me/notifications?pageSize=100",
    ];
    for (const url of urls) {
      const response = await t.request({ method: "GET", url, token: intruders.admin?.token });
      expect(response.statusCode, url).toBe(200);
      for (const id of [b.project, b.team, b.client, b.payment, b.file, b.audit, b.orgId, b.org, b.user, b.notification]) expect(response.body, url).not.toContain(id);
    }
  });

  it("an admin of A cannot reach B's member through A's own member routes", async () => {
    for (const payload of [{ roles: ["admin"] }, { isActive: false }]) {
      const response = await t.request({ method: "PATCH", url: `/api/orgs/${a.org}/members/${b.user}`, token: intruders.admin?.token, payload });
      expect(response.statusCode, response.body).toBe(404);
    }
    const invitation = await t.request({ method: "POST", url: `/api/orgs/${a.org}/members/${b.user}/invitation`, token: intruders.admin?.token });
    expect(invitation.statusCode, invitation.body).toBe(404);
  });

  it("marking B's notifications read through A touches nothing: they are nobody else's to read", async () => {
    // API.md's contract for /api/me/notifications/read: ids that are not the caller's are ignored (200, none updated).
    for (const role of DEFAULT_ROLE_KEYS) {
      const response = await t.request({ method: "POST", url: "/api/me/notifications/read", token: intruders[role]?.token, payload: { ids: [b.notification] } });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<{ updated: number }>().updated).toBe(0);
    }
    const [note] = await t.services.database.db
      .select({ readAt: notifications.readAt })
      .from(notifications)
      .where(and(eq(notifications.id, b.notification ?? ""), eq(notifications.userId, b.user ?? "")));
    expect(note).toEqual({ readAt: null });
  });

  it("and after all these attempts nothing of B has changed", async () => {
    expect(await snapshotOf(b.orgId ?? "")).toEqual(before);
  });
});
