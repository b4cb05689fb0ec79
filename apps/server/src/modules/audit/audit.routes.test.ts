import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Entry = { id: string; orgId: string; action: string; entityType: string; entityId: string; actorId: string; actor: { username: string } | null; changes: Record<string, [unknown, unknown]>; requestId: string | null };
type Page = { items: Entry[]; total: number };

let t: TestContext;
let org: { id: string; slug: string };
let other: { id: string; slug: string };
let admin: User;
let manager: User;
let sales: User;
let developer: User;
let otherAdmin: User;
let managedId: string;
let unmanagedId: string;
let paymentId: string;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  other = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  otherAdmin = await buildUser(t, { orgId: other.id, roles: ["admin"] });
  managedId = (await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { name: "Managed", managerId: manager.id, cost: "900.00" } })).json<{ id: string }>().id;
  unmanagedId = (await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { name: "Unmanaged" } })).json<{ id: string }>().id;
  paymentId = (await t.request({ method: "POST", url: `/api/projects/${managedId}/payments`, token: sales.token, payload: { amount: "300.00", method: "card" } })).json<{ id: string }>().id;
  await t.request({ method: "PATCH", url: `/api/projects/${unmanagedId}`, token: sales.token, payload: { description: "changed" } });
  await t.request({ method: "POST", url: "/api/projects", token: otherAdmin.token, payload: { name: "Elsewhere" } });
});
afterAll(() => t.close());

const audit = async (query: string, token: string) => {
  const response = await t.request({ method: "GET", url: `/api/audit?${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
};

describe("GET /api/audit", () => {
  it("shows an admin their organization's log, newest first, with who did what and from which request", async () => {
    const page = await audit(`org=${org.slug}&pageSize=100`, admin.token);
    expect(page.items.every((entry) => entry.orgId === org.id)).toBe(true);
    expect(page.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(["project.created", "payment.submitted", "project.updated", "member.added"]));
    const created = page.items.find((entry) => entry.action === "project.created" && entry.entityId === managedId);
    expect(created).toMatchObject({ actorId: sales.id, actor: { username: sales.username }, entityType: "project" });
    expect(created?.changes.cost).toEqual([null, "900.00"]);
    expect(created?.requestId).toBeTruthy();
    expect(page.items[0]?.action).toBe("project.updated");
  });

  it("filters by entity, actor, action (exact or prefix) and time", async () => {
    expect((await audit(`entityType=payment&entityId=${paymentId}`, admin.token)).items.map((entry) => entry.action)).toEqual(["payment.submitted"]);
    expect((await audit(`actor=${sales.id}&action=project.created`, admin.token)).total).toBe(2);
    // Entries of one transaction share its timestamp: their order among themselves is not defined.
    const actions = (await audit(`action=project.*&entityId=${unmanagedId}`, admin.token)).items.map((entry) => entry.action);
    expect(actions[0]).toBe("project.updated");
    expect(actions.slice(1).sort()).toEqual(["project.created", "project.member_added"]);
    expect((await audit(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, admin.token)).total).toBe(0);
  });

  it("shows a project manager only the entries of the projects they manage", async () => {
    const page = await audit("pageSize=100", manager.token);
    const subjects = new Set(page.items.map((entry) => entry.entityId));
    expect(subjects).toEqual(new Set([managedId, paymentId]));
    const foreign = (await audit(`entityId=${unmanagedId}`, admin.token)).items[0];
    expect((await t.request({ method: "GET", url: `/api/audit/${foreign?.id}`, token: manager.token })).statusCode).toBe(403);
    const own = page.items[0];
    expect((await t.request({ method: "GET", url: `/api/audit/${own?.id}`, token: manager.token })).statusCode).toBe(200);
  });

  it("refuses callers without audit.view and hides other organizations (404)", async () => {
    expect((await t.request({ method: "GET", url: "/api/audit", token: developer.token })).statusCode).toBe(403);
    expect((await t.request({ method: "GET", url: "/api/audit", token: sales.token })).statusCode).toBe(403);
    expect((await t.request({ method: "GET", url: `/api/audit?org=${other.slug}`, token: admin.token })).statusCode).toBe(404);
    const theirs = (await audit("pageSize=1", otherAdmin.token)).items[0];
    expect((await t.request({ method: "GET", url: `/api/audit/${theirs?.id}`, token: admin.token })).statusCode).toBe(404);
    expect((await audit(`entityId=${managedId}`, otherAdmin.token)).total).toBe(0);
  });

  it("hides money from readers who may not see project financials", async () => {
    const role = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/roles`, token: admin.token, payload: { key: "auditor", name: "Auditor", permissions: ["audit.view"] } });
    expect(role.statusCode, role.body).toBe(201);
    const auditor = await buildUser(t, { orgId: org.id, roles: ["auditor"] });
    const entry = (await audit(`entityId=${managedId}&action=project.created`, auditor.token)).items[0];
    expect(entry?.changes.cost).toEqual(["[hidden]", "[hidden]"]);
    expect(entry?.changes.name).toEqual([null, "Managed"]);
  });
});

describe("the audit log is append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE through SQL as the application's database user", async () => {
    const { db } = t.services.database;
    const [entry] = await db.select().from(auditLog).limit(1);
    if (!entry) throw new Error("no audit entry");
    await expect(db.execute(sql`update audit_log set action = 'forged' where id = ${entry.id}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where id = ${entry.id}`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
    await expect(db.update(auditLog).set({ action: "forged" }).where(eq(auditLog.id, entry.id))).rejects.toThrow();
    const [after] = await db.select().from(auditLog).where(eq(auditLog.id, entry.id));
    expect(after?.action).toBe(entry.action);
  });
});
