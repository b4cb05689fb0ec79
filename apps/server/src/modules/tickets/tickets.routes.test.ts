import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureEvents, createTestContext, type TestContext } from "../../../test/harness.js";
import { buildClient, buildOrg, buildProject, buildUser, type BuiltUser } from "../../../test/factories.js";
import { multipart, PNG } from "../projects/fixtures.test-util.js";
import { runSlaCheck } from "./sla.check.js";

/** The ticket rules of API.md "Support tickets" and issue 14, end to end through the HTTP API. */

type Ticket = {
  id: string;
  key: string;
  status: string;
  severity: string;
  projectId: string;
  assigneeId: string | null;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  firstRespondedAt: string | null;
  slaState: string;
  escalatedAt: string | null;
  linkedTaskId: string | null;
  linkedTask: { id: string; key: string; status: string } | null;
  allowedActions: string[];
};
type Comment = { id: string; body: string; internal: boolean };

let t: TestContext;
let org: { id: string; slug: string };
let admin: BuiltUser;
let manager: BuiltUser;
let support: BuiltUser;
let customer: BuiltUser;
let otherCustomer: BuiltUser;
let developer: BuiltUser;
let project: { id: string; key: string };
let otherProject: { id: string; key: string };

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  support = await buildUser(t, { orgId: org.id, roles: ["support"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
  otherCustomer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  const client = await buildClient(t, { orgId: org.id, name: "Acme", customerUserId: customer.id, by: admin });
  const otherClient = await buildClient(t, { orgId: org.id, name: "Globex", customerUserId: otherCustomer.id, by: admin });
  project = await buildProject(t, { orgId: org.id, name: "Shop", key: "SHOP", clientId: client.id, managerId: manager.id, by: admin });
  otherProject = await buildProject(t, { orgId: org.id, name: "Portal", key: "PORT", clientId: otherClient.id, by: admin });
});
afterAll(() => t.close());

async function open(token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: "POST", url: "/api/tickets", token, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Ticket>();
}

const get = async (token: string, id: string) => (await t.request({ method: "GET", url: `/api/tickets/${id}`, token })).json<Ticket>();
const patch = (token: string, id: string, payload: Record<string, unknown>) => t.request({ method: "PATCH", url: `/api/tickets/${id}`, token, payload });
const comment = (token: string, id: string, payload: Record<string, unknown>) => t.request({ method: "POST", url: `/api/tickets/${id}/comments`, token, payload });

/** Moves a ticket's clock into the past by `minutes`, as if it had been opened that long ago. */
async function age(id: string, minutes: number) {
  const shift = sql.raw(`interval '${minutes} minutes'`);
  await t.services.database.db.execute(sql`update tickets set created_at = created_at - ${shift}, first_response_due_at = first_response_due_at - ${shift},
    first_response_risk_at = first_response_risk_at - ${shift}, resolution_due_at = resolution_due_at - ${shift}, resolution_risk_at = resolution_risk_at - ${shift} where id = ${id}`);
}

describe("tickets", () => {
  it("a customer opens tickets on their client's projects only: another client's project is a 404, no tickets.add a 403", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Checkout fails", description: "Since **Monday**", severity: "critical" });
    expect(ticket.key).toMatch(/^SHOP-T\d+$/);
    expect(ticket.status).toBe("open");
    expect(ticket.slaState).toBe("on_track");
    // Defaults: critical is answered within an hour and resolved within eight, around the clock.
    const created = Date.parse((ticket as unknown as { createdAt: string }).createdAt);
    expect(Date.parse(ticket.firstResponseDueAt) - created).toBe(60 * 60_000);
    expect(Date.parse(ticket.resolutionDueAt) - created).toBe(8 * 60 * 60_000);
    expect(ticket.allowedActions).toEqual(["view", "closeOrReopen", "comment"]);
    const elsewhere = await t.request({ method: "POST", url: "/api/tickets", token: customer.token, payload: { projectId: otherProject.id, title: "Not mine", severity: "low" } });
    expect(elsewhere.statusCode).toBe(404);
    const refused = await t.request({ method: "POST", url: "/api/tickets", token: developer.token, payload: { projectId: project.id, title: "Dev", severity: "low" } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/tickets\.add/);
  });

  it("customers see their client's tickets only; support sees all; a project manager those of their own projects", async () => {
    const mine = await open(customer.token, { projectId: project.id, title: "Mine", severity: "low" });
    const theirs = await open(otherCustomer.token, { projectId: otherProject.id, title: "Theirs", severity: "low" });
    const ids = async (user: BuiltUser) => (await t.request({ method: "GET", url: "/api/tickets?pageSize=100", token: user.token })).json<{ items: Ticket[] }>().items.map((item) => item.id);
    expect(await ids(customer)).toContain(mine.id);
    expect(await ids(customer)).not.toContain(theirs.id);
    expect((await t.request({ method: "GET", url: `/api/tickets/${theirs.id}`, token: customer.token })).statusCode).toBe(404);
    expect(await ids(support)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await ids(manager)).toContain(mine.id);
    expect(await ids(manager)).not.toContain(theirs.id);
    expect((await t.request({ method: "GET", url: "/api/tickets", token: developer.token })).statusCode).toBe(403);
  });

  it("walks the status flow; an impossible transition is a 409 naming the allowed ones", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Flow", severity: "high" });
    expect((await patch(support.token, ticket.id, { status: "in_progress", assigneeId: support.id })).statusCode).toBe(200);
    expect((await patch(support.token, ticket.id, { status: "resolved" })).json<Ticket>().status).toBe("resolved");
    expect((await patch(support.token, ticket.id, { status: "closed" })).statusCode).toBe(200);
    const reopen = await patch(support.token, ticket.id, { status: "in_progress" });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json<{ detail: string }>().detail).toMatch(/closed is final/);
    const other = await open(customer.token, { projectId: project.id, title: "Flow 2", severity: "high" });
    await patch(support.token, other.id, { status: "resolved" });
    const wrong = await patch(support.token, other.id, { status: "waiting_on_customer" });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json<{ detail: string }>().detail).toMatch(/may go to: open .*closed/);
    // The customer reopens what was resolved, and closes it.
    expect((await patch(customer.token, other.id, { status: "open" })).json<Ticket>().status).toBe("open");
    expect((await patch(customer.token, other.id, { status: "closed" })).json<Ticket>().status).toBe("closed");
  });

  it("the customer may only close or reopen: anything else is a 403 naming tickets.manage, and nothing changes", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Severity", severity: "low" });
    const refused = await patch(customer.token, ticket.id, { severity: "critical" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/tickets\.manage/);
    expect((await get(customer.token, ticket.id)).severity).toBe("low");
    expect((await patch(otherCustomer.token, ticket.id, { status: "closed" })).statusCode).toBe(404);
    expect((await patch(support.token, ticket.id, { assigneeId: customer.id })).statusCode).toBe(409);
  });

  it("internal notes stay internal; the first public answer stops the first-response clock; a customer's reply reopens a waiting ticket", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Conversation", severity: "medium" });
    expect((await comment(customer.token, ticket.id, { body: "secret?", internal: true })).statusCode).toBe(403);
    expect((await comment(support.token, ticket.id, { body: "Looks like **the cache**", internal: true })).statusCode).toBe(201);
    expect((await get(support.token, ticket.id)).firstRespondedAt).toBeNull();
    expect((await comment(support.token, ticket.id, { body: "We are on it." })).statusCode).toBe(201);
    expect((await get(support.token, ticket.id)).firstRespondedAt).not.toBeNull();
    const seen = async (user: BuiltUser) =>
      (await t.request({ method: "GET", url: `/api/tickets/${ticket.id}/comments`, token: user.token })).json<{ items: Comment[] }>().items.map((item) => item.body);
    expect(await seen(customer)).toEqual(["We are on it."]);
    expect(await seen(support)).toEqual(["Looks like **the cache**", "We are on it."]);
    expect(await seen(manager)).toHaveLength(2);

    const waiting = await patch(support.token, ticket.id, { status: "waiting_on_customer" });
    expect(waiting.json<Ticket>().slaState).toBe("paused");
    await comment(customer.token, ticket.id, { body: "Here is the log." });
    const back = await get(support.token, ticket.id);
    expect(back.status).toBe("open");
    expect(back.slaState).toBe("on_track");
    // The clock stood still while it waited: the resolution is due no earlier than before.
    expect(Date.parse(back.resolutionDueAt)).toBeGreaterThanOrEqual(Date.parse(waiting.json<Ticket>().resolutionDueAt));
  });

  it("the SLA check warns the assignee once at risk, escalates a breach once to the admins and the project's manager, even when two run at once", async () => {
    const events = captureEvents(t, ["ticket.escalated", "ticket.at_risk"]);
    const risky = await open(customer.token, { projectId: project.id, title: "Risky", severity: "critical" });
    await patch(support.token, risky.id, { assigneeId: support.id });
    await age(risky.id, 50);
    expect((await get(support.token, risky.id)).slaState).toBe("at_risk");
    const late = await open(customer.token, { projectId: project.id, title: "Late", severity: "critical" });
    await age(late.id, 61);
    expect((await get(support.token, late.id)).slaState).toBe("breached");
    const breachedList = await t.request({ method: "GET", url: `/api/tickets?sla=breached&project=${project.id}`, token: support.token });
    expect(breachedList.json<{ items: Ticket[] }>().items.map((item) => item.id)).toContain(late.id);
    const riskList = await t.request({ method: "GET", url: `/api/tickets?sla=at_risk&project=${project.id}`, token: support.token });
    expect(riskList.json<{ items: Ticket[] }>().items.map((item) => item.id)).toEqual([risky.id]);

    const [first, second] = await Promise.all([runSlaCheck(t.services), runSlaCheck(t.services)]);
    expect([...first.escalatedIds, ...second.escalatedIds].filter((id) => id === late.id)).toHaveLength(1);
    const again = await runSlaCheck(t.services);
    expect(again.escalatedIds).not.toContain(late.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const escalations = events.filter((event) => event.name === "ticket.escalated" && (event.data as { ticketId: string }).ticketId === late.id);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]?.recipients).toEqual(expect.arrayContaining([admin.id, manager.id]));
    const warnings = events.filter((event) => event.name === "ticket.at_risk" && (event.data as { ticketId: string }).ticketId === risky.id);
    expect(warnings.map((event) => event.recipients)).toEqual([[support.id]]);
    expect((await get(customer.token, late.id)).escalatedAt).not.toBeNull();
    const inbox = (await t.request({ method: "GET", url: "/api/me/notifications", token: admin.token })).json<{ items: Array<{ kind: string; data: { ticketId?: string } }> }>().items;
    expect(inbox.some((item) => item.kind === "ticket.escalated" && item.data.ticketId === late.id)).toBe(true);
  });

  it("escalates by hand once (tickets.manage); the customer may not", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Escalate me", severity: "low" });
    expect((await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/escalate`, token: customer.token })).statusCode).toBe(403);
    const done = await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/escalate`, token: manager.token });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<Ticket>().escalatedAt).not.toBeNull();
    expect((await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/escalate`, token: support.token })).statusCode).toBe(409);
  });

  it("makes a linked task in the project (tasks.manage), shown on both sides, once", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Needs a fix", severity: "high" });
    const refused = await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/task`, token: support.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/tasks\.manage/);
    const made = await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/task`, token: manager.token });
    expect(made.statusCode, made.body).toBe(201);
    const task = made.json<{ id: string; key: string; projectId: string; priority: string; description: string }>();
    expect(task.projectId).toBe(project.id);
    expect(task.priority).toBe("high");
    expect(task.description).toContain(ticket.key);
    const linked = await get(support.token, ticket.id);
    expect(linked.linkedTask).toEqual({ id: task.id, key: task.key, status: "todo" });
    const byTask = await t.request({ method: "GET", url: `/api/tickets?task=${task.id}`, token: manager.token });
    expect(byTask.json<{ items: Ticket[] }>().items.map((item) => item.id)).toEqual([ticket.id]);
    expect((await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/task`, token: admin.token })).statusCode).toBe(409);
  });

  it("SLA settings: members read them, admins set them (business hours in the organization's zone), a bad zone is a 400", async () => {
    const read = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/sla`, token: support.token });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ isDefault: boolean; targets: { critical: { firstResponseMinutes: number } } }>()).toMatchObject({ isDefault: true, targets: { critical: { firstResponseMinutes: 60 } } });
    const settings = {
      timezone: "Europe/Berlin",
      businessHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
      targets: {
        critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        medium: { firstResponseMinutes: 120, resolutionMinutes: 960 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
      },
    };
    expect((await t.request({ method: "PUT", url: `/api/orgs/${org.slug}/sla`, token: support.token, payload: settings })).statusCode).toBe(403);
    expect((await t.request({ method: "PUT", url: `/api/orgs/${org.slug}/sla`, token: admin.token, payload: { ...settings, timezone: "Mars/Olympus" } })).statusCode).toBe(400);
    const saved = await t.request({ method: "PUT", url: `/api/orgs/${org.slug}/sla`, token: admin.token, payload: settings });
    expect(saved.statusCode, saved.body).toBe(200);
    const ticket = await open(customer.token, { projectId: project.id, title: "Under the new rules", severity: "critical" });
    const created = Date.parse((ticket as unknown as { createdAt: string }).createdAt);
    // 30 business minutes: at least half an hour away, more when it is night or a weekend in Berlin.
    expect(Date.parse(ticket.firstResponseDueAt) - created).toBeGreaterThanOrEqual(30 * 60_000);
    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=organization&entityId=${org.id}&action=sla.updated`, token: admin.token });
    expect(audit.json<{ total: number }>().total).toBe(1);
  });

  it("pushes ticket.updated to exactly who may see the ticket, each with their own allowed actions", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Live", severity: "medium" });
    const pushed: Array<{ userId: string; actions: string[] }> = [];
    const { realtime } = t.services;
    const original = realtime.toUsers.bind(realtime);
    realtime.toUsers = async (userIds, event, data) => {
      if (event === "ticket.updated" && (data as { id: string }).id === ticket.id) {
        for (const userId of userIds) pushed.push({ userId, actions: (data as { ticket: Ticket }).ticket.allowedActions });
      }
      await original(userIds, event, data);
    };
    try {
      expect((await patch(support.token, ticket.id, { status: "in_progress" })).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      realtime.toUsers = original;
    }
    const receivers = new Set(pushed.map((each) => each.userId));
    expect(receivers).toEqual(new Set([customer.id, support.id, admin.id, manager.id]));
    expect(pushed.find((each) => each.userId === customer.id)?.actions).not.toContain("manage");
    expect(pushed.find((each) => each.userId === support.id)?.actions).toContain("addInternalNote");
  });

  it("every change is audited; files attach to tickets through the shared upload path", async () => {
    const ticket = await open(customer.token, { projectId: project.id, title: "Audited", severity: "low" });
    await patch(support.token, ticket.id, { status: "in_progress" });
    await comment(support.token, ticket.id, { body: "note", internal: true });
    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=ticket&entityId=${ticket.id}`, token: admin.token });
    expect(audit.json<{ items: Array<{ action: string }> }>().items.map((entry) => entry.action).sort()).toEqual(["ticket.created", "ticket.noted", "ticket.updated"]);
    const upload = await t.request({ method: "POST", url: `/api/tickets/${ticket.id}/attachments`, token: customer.token, ...multipart("screen.png", PNG) });
    expect(upload.statusCode, upload.body).toBe(201);
    const files = await t.request({ method: "GET", url: `/api/tickets/${ticket.id}/attachments`, token: support.token });
    expect(files.json<{ items: Array<{ name: string }> }>().items.map((file) => file.name)).toEqual(["screen.png"]);
    expect((await t.request({ method: "GET", url: `/api/tickets/${ticket.id}/attachments`, token: otherCustomer.token })).statusCode).toBe(404);
    const note = (await comment(support.token, ticket.id, { body: "internal log", internal: true })).json<Comment>();
    expect((await t.request({ method: "POST", url: `/api/ticket-comments/${note.id}/attachments`, token: support.token, ...multipart("log.png", PNG) })).statusCode).toBe(201);
    expect((await t.request({ method: "GET", url: `/api/ticket-comments/${note.id}/attachments`, token: customer.token })).statusCode).toBe(404);
  });
});
