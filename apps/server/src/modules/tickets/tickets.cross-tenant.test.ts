import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { asc, eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClient, buildOrg, buildProject, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { attachments } from "../attachments/attachments.table.js";
import { multipart, PNG } from "../projects/fixtures.test-util.js";
import { runSlaCheck } from "./sla.check.js";
import { ticketComments, tickets, ticketSlaSettings } from "./tickets.table.js";

/**
 * Tenant isolation of tickets: members of organization A, whatever their role
 * (and A's customer, whose client shares a name with B's), try every ticket
 * read and write on organization B's tickets, comments, files, projects and
 * service levels. Each answers 404 (B's objects do not exist for them), lists
 * never show B's tickets, and at the end nothing of B has changed.
 */

let t: TestContext;
const intruders: Record<string, BuiltUser> = {};
const b: Record<string, string> = {};
let before: unknown;

async function snapshotOf(orgId: string) {
  const { db } = t.services.database;
  return {
    tickets: await db.select().from(tickets).where(eq(tickets.orgId, orgId)).orderBy(asc(tickets.id)),
    comments: await db.select().from(ticketComments).where(eq(ticketComments.orgId, orgId)).orderBy(asc(ticketComments.id)),
    sla: await db.select().from(ticketSlaSettings).where(eq(ticketSlaSettings.orgId, orgId)),
    files: await db.select().from(attachments).where(eq(attachments.orgId, orgId)).orderBy(asc(attachments.id)),
    audit: await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.id)),
  };
}

beforeAll(async () => {
  t = await createTestContext();
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  for (const role of DEFAULT_ROLE_KEYS) intruders[role] = await buildUser(t, { orgId: orgA.id, roles: [role] });
  const admin = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
  const customer = await buildUser(t, { orgId: orgB.id, roles: ["customer"] });
  const client = await buildClient(t, { orgId: orgB.id, name: "Acme", customerUserId: customer.id, by: admin });
  b.org = orgB.slug;
  b.orgId = orgB.id;
  b.project = (await buildProject(t, { orgId: orgB.id, name: "B shop", clientId: client.id, by: admin })).id;
  const create = async (token: string, url: string, payload: Record<string, unknown>) => {
    const response = await t.request({ method: "POST", url, token, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  b.ticket = await create(customer.token, "/api/tickets", { projectId: b.project, title: "B's problem", severity: "critical" });
  b.comment = await create(admin.token, `/api/tickets/${b.ticket}/comments`, { body: "B's answer" });
  b.note = await create(admin.token, `/api/tickets/${b.ticket}/comments`, { body: "B's note", internal: true });
  const file = await t.request({ method: "POST", url: `/api/tickets/${b.ticket}/attachments`, token: customer.token, ...multipart("b.png", PNG) });
  expect(file.statusCode, file.body).toBe(201);
  const sla = await t.request({ method: "PUT", url: `/api/orgs/${b.org}/sla`, token: admin.token, payload: { timezone: "Asia/Tokyo", businessHours: null, targets: (await t.request({ method: "GET", url: `/api/orgs/${b.org}/sla`, token: admin.token })).json<{ targets: unknown }>().targets } });
  expect(sla.statusCode, sla.body).toBe(200);
  // A's own customer has a client of the same name, and a ticket of their own.
  const clientA = await buildClient(t, { orgId: orgA.id, name: "Acme", customerUserId: intruders.customer?.id, by: intruders.admin });
  const projectA = await buildProject(t, { orgId: orgA.id, name: "A shop", clientId: clientA.id, by: intruders.admin });
  await create(intruders.customer?.token ?? "", "/api/tickets", { projectId: projectA.id, title: "A's problem", severity: "low" });
  before = await snapshotOf(orgB.id);
});
afterAll(() => t.close());

/** Every ticket request against B's objects. */
function attempts(): Array<[string, InjectOptions]> {
  return [
    ["read a ticket", { method: "GET", url: `/api/tickets/${b.ticket}` }],
    ["list B's tickets", { method: "GET", url: `/api/tickets?org=${b.org}` }],
    ["open a ticket on B's project", { method: "POST", url: "/api/tickets", payload: { projectId: b.project, title: "Intrusion", severity: "low" } }],
    ["change a ticket", { method: "PATCH", url: `/api/tickets/${b.ticket}`, payload: { status: "closed" } }],
    ["read the conversation", { method: "GET", url: `/api/tickets/${b.ticket}/comments` }],
    ["answer", { method: "POST", url: `/api/tickets/${b.ticket}/comments`, payload: { body: "hello" } }],
    ["write a note", { method: "POST", url: `/api/tickets/${b.ticket}/comments`, payload: { body: "hello", internal: true } }],
    ["escalate", { method: "POST", url: `/api/tickets/${b.ticket}/escalate` }],
    ["make a task", { method: "POST", url: `/api/tickets/${b.ticket}/task` }],
    ["list files", { method: "GET", url: `/api/tickets/${b.ticket}/attachments` }],
    ["attach a file", { method: "POST", url: `/api/tickets/${b.ticket}/attachments`, ...multipart("x.png", PNG) }],
    ["list a comment's files", { method: "GET", url: `/api/ticket-comments/${b.comment}/attachments` }],
    ["attach to a note", { method: "POST", url: `/api/ticket-comments/${b.note}/attachments`, ...multipart("x.png", PNG) }],
    ["read B's service levels", { method: "GET", url: `/api/orgs/${b.org}/sla` }],
    ["change B's service levels", { method: "PUT", url: `/api/orgs/${b.org}/sla`, payload: { timezone: "UTC", businessHours: null, targets: { critical: { firstResponseMinutes: 1, resolutionMinutes: 2 }, high: { firstResponseMinutes: 1, resolutionMinutes: 2 }, medium: { firstResponseMinutes: 1, resolutionMinutes: 2 }, low: { firstResponseMinutes: 1, resolutionMinutes: 2 } } } }],
  ];
}

describe("tickets across organizations", () => {
  for (const role of DEFAULT_ROLE_KEYS) {
    it(`${role} of A finds nothing of B's tickets: every read and write is a 404`, async () => {
      const user = intruders[role] as BuiltUser;
      const answers: string[] = [];
      for (const [what, request] of attempts()) {
        const response = await t.request({ ...request, token: user.token });
        if (response.statusCode !== 404) answers.push(`${what}: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
      expect(answers).toEqual([]);
    });
  }

  it("lists of A's members never show B's tickets, whatever the filter", async () => {
    for (const role of ["admin", "support", "customer", "project_manager"] as const) {
      for (const query of ["", "?sla=breached", "?status=open", `?project=${b.project}`, "?search=problem"]) {
        const response = await t.request({ method: "GET", url: `/api/tickets${query}`, token: intruders[role]?.token });
        expect(response.statusCode).toBe(200);
        expect(response.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).not.toContain(b.ticket);
      }
    }
  });

  it("leaves B untouched (tickets, conversation, files, service levels, audit), the SLA check aside", async () => {
    expect(await snapshotOf(b.orgId ?? "")).toEqual(before);
    // The check works every organization's tickets and only its own: B's ticket is not due for an hour.
    const result = await runSlaCheck(t.services);
    expect(result.escalatedIds).not.toContain(b.ticket ?? "");
  });
});
