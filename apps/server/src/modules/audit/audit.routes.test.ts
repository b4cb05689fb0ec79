import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Entry = {
  id: string;
  orgId: string;
  action: string;
  entityType: string;
  entityId: string;
  actorId: string;
  actor: { username: string } | null;
  changes: Record<string, [unknown, unknown]>;
  requestId: string | null;
  project: { id: string; name: string } | null;
  entityName: string | null;
  people: Record<string, string>;
};
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

describe("a project's activity tells the story", () => {
  it("?project= lists the project's own entries and its payments' (recorded, approved, rejected with the note, withdrawn), naming the people and the project", async () => {
    const verifier = await buildUser(t, { orgId: org.id, roles: ["verifier"] });
    const project = (await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { name: "Storybook", managerId: manager.id, cost: "1000.00" } })).json<{ id: string }>();
    const record = async (amount: string) => {
      const response = await t.request({ method: "POST", url: `/api/projects/${project.id}/payments`, token: sales.token, payload: { amount, method: "bank_transfer" } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const approved = await record("400.00");
    const rejected = await record("40.00");
    const withdrawn = await record("4.00");
    expect((await t.request({ method: "POST", url: `/api/payments/${approved}/verify`, token: verifier.token, payload: { decision: "approve" } })).statusCode).toBe(200);
    expect((await t.request({ method: "POST", url: `/api/payments/${rejected}/verify`, token: verifier.token, payload: { decision: "reject", note: "Not on the statement" } })).statusCode).toBe(200);
    expect((await t.request({ method: "DELETE", url: `/api/payments/${withdrawn}`, token: sales.token })).statusCode).toBe(204);
    const added = await t.request({ method: "POST", url: `/api/projects/${project.id}/members`, token: sales.token, payload: { userId: developer.id } });
    expect(added.statusCode, added.body).toBe(201);
    expect((await t.request({ method: "DELETE", url: `/api/projects/${project.id}/members/${developer.id}`, token: sales.token })).statusCode).toBe(204);
    // Another project's payment stays out.
    await t.request({ method: "POST", url: `/api/projects/${managedId}/payments`, token: sales.token, payload: { amount: "1.00", method: "cash" } });

    for (const reader of [admin, manager]) {
      const page = await audit(`project=${project.id}&pageSize=100`, reader.token);
      const actions = page.items.map((entry) => `${entry.action} ${entry.entityType === "payment" ? entry.entityId : ""}`.trim());
      expect(actions).toEqual(
        expect.arrayContaining([
          "project.created",
          `payment.submitted ${approved}`,
          `payment.verified ${approved}`,
          `payment.rejected ${rejected}`,
          `payment.submitted ${withdrawn}`,
          `payment.withdrawn ${withdrawn}`,
          "project.member_added",
          "project.member_removed",
        ]),
      );
      expect(page.items.every((entry) => entry.project?.id === project.id && entry.project.name === "Storybook")).toBe(true);
      const rejection = page.items.find((entry) => entry.action === "payment.rejected");
      expect(rejection?.changes).toMatchObject({ note: [null, "Not on the statement"], amount: ["40.00", "40.00"], status: ["pending", "rejected"] });
      expect(rejection?.actor?.username).toBe(verifier.username);
      const memberAdded = page.items.find((entry) => entry.action === "project.member_added");
      expect(memberAdded?.people).toEqual({ [developer.id]: developer.username });
      const memberRemoved = page.items.find((entry) => entry.action === "project.member_removed");
      expect(memberRemoved?.people).toEqual({ [developer.id]: developer.username });
      expect(page.items.find((entry) => entry.action === "project.created")?.entityName).toBe("Storybook");
    }
    // The project manager reads the withdrawn payment's entries one by one too.
    const withdrawal = (await audit(`project=${project.id}&action=payment.withdrawn`, manager.token)).items[0];
    expect((await t.request({ method: "GET", url: `/api/audit/${withdrawal?.id}`, token: manager.token })).json()).toMatchObject({ project: { id: project.id, name: "Storybook" } });
    // And the filter is a 400 for what is not a project id.
    expect((await t.request({ method: "GET", url: "/api/audit?project=nope", token: admin.token })).statusCode).toBe(400);
  });

  it("names what organization-wide entries are about: members by username, clients, teams and roles by name", async () => {
    const member = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members`, token: admin.token, payload: { email: "named@example.test", username: "named_one", roles: ["developer"] } });
    expect(member.statusCode, member.body).toBe(201);
    const client = await t.request({ method: "POST", url: "/api/clients", token: admin.token, payload: { orgId: org.id, name: "Named Client" } });
    expect(client.statusCode, client.body).toBe(201);
    const page = await audit(`org=${org.slug}&pageSize=100`, admin.token);
    const memberEntry = page.items.find((entry) => entry.action === "member.added" && entry.entityId === member.json<{ user: { id: string } }>().user.id);
    expect(memberEntry?.entityName).toBe("named_one");
    expect(page.items.find((entry) => entry.action === "client.created")?.entityName).toBe("Named Client");
    expect((await audit("entityType=client", admin.token)).items.every((entry) => entry.project === null)).toBe(true);
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
