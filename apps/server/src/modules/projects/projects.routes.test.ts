import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Project = Record<string, unknown> & { id: string; key: string; status: string; allowedActions: string[]; members: Array<{ userId: string; role: string }> };

let t: TestContext;
let org: { id: string; slug: string };
const people = {} as Record<"admin" | "sales" | "manager" | "verified" | "otherVerified" | "developer" | "customer" | "otherCustomer" | "support", User>;
let clientId: string;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  const roles = {
    admin: "admin",
    sales: "salesperson",
    manager: "project_manager",
    verified: "verified_developer",
    otherVerified: "verified_developer",
    developer: "developer",
    customer: "customer",
    otherCustomer: "customer",
    support: "support",
  } as const;
  for (const [name, role] of Object.entries(roles)) people[name as keyof typeof roles] = await buildUser(t, { orgId: org.id, roles: [role] });
  const client = await t.request({
    method: "POST",
    url: "/api/clients",
    token: people.sales.token,
    payload: { name: "Northwind", company: "Northwind Traders", contactEmail: "buyer@northwind.test", customerUserId: people.customer.id },
  });
  expect(client.statusCode, client.body).toBe(201);
  clientId = client.json<{ id: string }>().id;
});
afterAll(() => t.close());

async function createProject(token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: "POST", url: "/api/projects", token, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Project>();
}

describe("a salesperson opens a project for their client", () => {
  it("with cost, discount and timeline: exact money, a computed net price, the caller as owner and member", async () => {
    const project = await createProject(people.sales.token, {
      name: "Website redesign",
      clientId,
      managerId: people.manager.id,
      cost: "1250",
      discount: 125.5,
      startDate: "2026-03-01",
      dueDate: "2026-06-30",
      priority: "high",
    });
    expect(project).toMatchObject({
      key: "WR",
      status: "planning",
      priority: "high",
      cost: "1250.00",
      discount: "125.50",
      netPrice: "1124.50",
      currency: "USD",
      amountPaid: "0.00",
      paymentStatus: "unpaid",
      startDate: "2026-03-01",
      dueDate: "2026-06-30",
      ownerId: people.sales.id,
      managerId: people.manager.id,
      client: { id: clientId, name: "Northwind" },
    });
    // The manager named at creation is on the project's people as its manager.
    expect(project.members).toHaveLength(2);
    expect(project.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: people.sales.id, role: "owner" }),
        expect.objectContaining({ userId: people.manager.id, role: "manager" }),
      ]),
    );
    expect(project.statusTransitions).toEqual(["active", "on_hold", "cancelled"]);
    const entries = await t.services.database.db
      .select({ action: auditLog.action, changes: auditLog.changes })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "project"), eq(auditLog.entityId, project.id)));
    expect(entries.map((entry) => entry.action).sort()).toEqual(["project.created", "project.member_added", "project.member_added"]);
    expect(entries.find((entry) => entry.action === "project.created")?.changes.cost).toEqual([null, "1250.00"]);
  });

  it("refuses a discount above the cost and a due date before the start, naming the fields", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/projects",
      token: people.sales.token,
      payload: { name: "Too generous", cost: "100.00", discount: "100.01", startDate: "2026-05-02", dueDate: "2026-05-01" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: Array<{ path: string }> }>().errors.map((error) => error.path)).toEqual(["discount", "dueDate"]);
    const project = await createProject(people.sales.token, { name: "Edge", cost: "100.00", discount: "100.00" });
    const patch = await t.request({ method: "PATCH", url: `/api/projects/${project.id}`, token: people.sales.token, payload: { cost: "99.99" } });
    expect(patch.statusCode).toBe(400);
    expect(patch.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("discount");
  });

  it("keeps keys unique in the organization", async () => {
    await createProject(people.admin.token, { name: "Mobile app", key: "mob" });
    const again = await t.request({ method: "POST", url: "/api/projects", token: people.admin.token, payload: { name: "Other", key: "MOB" } });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("key");
    const derived = await createProject(people.admin.token, { name: "Mobile" });
    expect(derived.key).toBe("MOBI");
  });
});

describe("field-level financials", () => {
  it("are absent for callers without projects.view_financials, present for the customer of the project's client", async () => {
    const project = await createProject(people.sales.token, { name: "Shop", clientId, cost: "500.00" });
    for (const who of [people.developer, people.support, people.otherCustomer, people.verified]) {
      const response = await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: who.token });
      expect(response.statusCode).toBe(200);
      const body = response.json<Record<string, unknown>>();
      for (const field of ["cost", "discount", "netPrice", "currency", "paymentStatus", "paidAmount", "amountPaid"]) expect(body).not.toHaveProperty(field);
      const list = await t.request({ method: "GET", url: `/api/projects?search=shop`, token: who.token });
      expect(list.json<{ items: Array<Record<string, unknown>> }>().items[0]).not.toHaveProperty("cost");
      expect(list.json<{ items: Array<Record<string, unknown>> }>().items[0]).not.toHaveProperty("paymentStatus");
    }
    const asCustomer = await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: people.customer.token });
    expect(asCustomer.json<Project>()).toMatchObject({ cost: "500.00", netPrice: "500.00", paymentStatus: "unpaid", paidAmount: "0.00" });
    expect(asCustomer.json<Project>().allowedActions).toEqual(["view", "viewFinancials", "viewPayments"]);
    const payments = await t.request({ method: "GET", url: `/api/projects/${project.id}/payments`, token: people.otherCustomer.token });
    expect(payments.statusCode).toBe(403);
  });

  it("cannot be set by someone who may not see them", async () => {
    const response = await t.request({ method: "POST", url: "/api/projects", token: people.verified.token, payload: { name: "Side gig", cost: "10.00" } });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ detail: string }>().detail).toContain("projects.view_financials");
  });
});

describe("editing projects", () => {
  it("a verified developer edits their own project (200) and not another's (403); a developer edits nothing (403)", async () => {
    const own = await createProject(people.verified.token, { name: "Own thing" });
    expect(own.allowedActions).toContain("update");
    const edit = await t.request({ method: "PATCH", url: `/api/projects/${own.id}`, token: people.verified.token, payload: { description: "Now with a plan" } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json<Project>().description).toBe("Now with a plan");
    const theirs = await createProject(people.otherVerified.token, { name: "Their thing" });
    const refused = await t.request({ method: "PATCH", url: `/api/projects/${theirs.id}`, token: people.verified.token, payload: { name: "Mine now" } });
    expect(refused.statusCode).toBe(403);
    for (const project of [own, theirs]) {
      const byDeveloper = await t.request({ method: "PATCH", url: `/api/projects/${project.id}`, token: people.developer.token, payload: { name: "Nope" } });
      expect(byDeveloper.statusCode).toBe(403);
      const statusByDeveloper = await t.request({ method: "PATCH", url: `/api/projects/${project.id}/status`, token: people.developer.token, payload: { status: "active" } });
      expect(statusByDeveloper.statusCode).toBe(403);
    }
  });

  it("a project manager runs the projects they manage", async () => {
    const project = await createProject(people.admin.token, { name: "Managed", managerId: people.manager.id });
    const edit = await t.request({ method: "PATCH", url: `/api/projects/${project.id}`, token: people.manager.token, payload: { priority: "urgent" } });
    expect(edit.statusCode).toBe(200);
    const other = await createProject(people.admin.token, { name: "Unmanaged" });
    expect((await t.request({ method: "PATCH", url: `/api/projects/${other.id}`, token: people.manager.token, payload: { priority: "urgent" } })).statusCode).toBe(403);
  });

  it("follows the allowed status transitions, and tells the project's people's open sessions", async () => {
    const project = await createProject(people.manager.token, { name: "Lifecycle" });
    await t.request({ method: "POST", url: `/api/projects/${project.id}/members`, token: people.manager.token, payload: { userId: people.developer.id } });
    const pushes: Array<{ userId: string; event: string; data: unknown }> = [];
    t.services.realtime.toUser = async (userId, event, data) => void pushes.push({ userId, event, data });
    const jump = await t.request({ method: "PATCH", url: `/api/projects/${project.id}/status`, token: people.manager.token, payload: { status: "completed" } });
    expect(jump.statusCode).toBe(409);
    expect(jump.json<{ code: string }>().code).toBe("invalid_transition");
    for (const status of ["active", "on_hold", "active", "completed"]) {
      const step = await t.request({ method: "PATCH", url: `/api/projects/${project.id}/status`, token: people.manager.token, payload: { status } });
      expect(step.statusCode, step.body).toBe(200);
      expect(step.json<Project>().status).toBe(status);
    }
    const entries = await t.services.database.db
      .select({ changes: auditLog.changes })
      .from(auditLog)
      .where(and(eq(auditLog.action, "project.status_changed"), eq(auditLog.entityId, project.id)));
    expect(entries).toHaveLength(4);
    expect(pushes).toContainEqual({ userId: people.developer.id, event: "project.updated", data: { id: project.id, orgId: org.id } });
    expect(pushes.every((push) => push.userId === people.developer.id || push.userId === people.manager.id)).toBe(true);
  });

  it("only admins delete, and the project is gone with its members", async () => {
    const project = await createProject(people.sales.token, { name: "Short lived" });
    expect((await t.request({ method: "DELETE", url: `/api/projects/${project.id}`, token: people.sales.token })).statusCode).toBe(403);
    expect((await t.request({ method: "DELETE", url: `/api/projects/${project.id}`, token: people.admin.token })).statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: people.admin.token })).statusCode).toBe(404);
  });

  it("answers statistics with zero task counts until tasks exist", async () => {
    const project = await createProject(people.admin.token, { name: "Counted", dueDate: "2099-01-01" });
    const response = await t.request({ method: "GET", url: `/api/projects/${project.id}/statistics`, token: people.customer.token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ tasks: { total: 0, overdue: 0, byStatus: { todo: 0, in_progress: 0, done: 0 } }, hoursLogged: 0, completionPercent: 0, members: 1, files: 0 });
  });
});

describe("team visibility", () => {
  it("shows a team project to its team, the team's manager, its people and admins only", async () => {
    const team = await t.request({ method: "POST", url: "/api/teams", token: people.manager.token, payload: { name: "Core", memberIds: [people.developer.id] } });
    const teamId = team.json<{ id: string }>().id;
    const project = await createProject(people.admin.token, { name: "Secret", teamId, visibility: "team" });
    for (const who of [people.developer, people.manager, people.admin]) {
      expect((await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: who.token })).statusCode).toBe(200);
    }
    for (const who of [people.customer, people.sales, people.verified]) {
      expect((await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: who.token })).statusCode).toBe(404);
      const list = await t.request({ method: "GET", url: "/api/projects?search=secret", token: who.token });
      expect(list.json<{ total: number }>().total).toBe(0);
    }
    const noTeam = await t.request({ method: "POST", url: "/api/projects", token: people.admin.token, payload: { name: "Teamless", visibility: "team" } });
    expect(noTeam.statusCode).toBe(400);
  });
});
