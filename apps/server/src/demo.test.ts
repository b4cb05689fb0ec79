import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../test/harness.js";
import { composition } from "./modules/index.js";
import { seedDemo } from "./seed.js";

/** `npm start` on a fresh clone opens on a realistic organization: this keeps it building. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.services, composition);
}, 60_000);
afterAll(() => t.close());

type Page<T> = { items: T[]; total: number };

async function signIn(username: string): Promise<string> {
  const response = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password: "cairn-demo-2026" } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ access: string }>().access;
}

describe("the demo organization", () => {
  it("has clients, a team and projects in every status with payments in every state", async () => {
    const admin = await signIn("acme-admin");
    const projects = (await t.request({ method: "GET", url: "/api/projects?org=acme&pageSize=50", token: admin })).json<
      Page<{ key: string; status: string; paymentStatus?: string }>
    >().items;
    expect(new Set(projects.map((project) => project.status))).toEqual(new Set(["planning", "active", "on_hold", "completed", "cancelled"]));
    expect(new Set(projects.map((project) => project.paymentStatus))).toEqual(new Set(["unpaid", "pending", "partly_paid", "paid", "overpaid"]));
    const clients = (await t.request({ method: "GET", url: "/api/clients?org=acme", token: admin })).json<Page<unknown>>();
    expect(clients.total).toBe(3);
    const teams = (await t.request({ method: "GET", url: "/api/teams?org=acme", token: admin })).json<Page<unknown>>();
    expect(teams.total).toBe(1);
    const shop = projects.find((project) => project.key === "SHOP");
    expect(shop?.paymentStatus).toBe("partly_paid");
  });

  it("gives every role something on its first page, and is not created twice", async () => {
    const customer = await signIn("acme-customer");
    const theirs = (await t.request({ method: "GET", url: "/api/projects", token: customer })).json<Page<{ name: string }>>();
    expect(theirs.total).toBeGreaterThan(0);
    const verifier = await signIn("acme-verifier");
    const projects = (await t.request({ method: "GET", url: "/api/projects?paymentStatus=pending", token: verifier })).json<Page<unknown>>();
    expect(projects.total).toBeGreaterThan(0);
    await seedDemo(t.services, composition);
    const admin = await signIn("acme-admin");
    expect((await t.request({ method: "GET", url: "/api/clients?org=acme", token: admin })).json<Page<unknown>>().total).toBe(3);
  });

  it("has the work as people talk about it: a mention and its answer, time logged, a task waiting for another", async () => {
    const developer = await signIn("acme-developer");
    const [cart] = (await t.request({ method: "GET", url: "/api/tasks?search=Cart%20page", token: developer })).json<Page<{ id: string; loggedMinutes: number }>>().items;
    expect(cart?.loggedMinutes).toBe(195);
    const comments = (await t.request({ method: "GET", url: `/api/tasks/${cart?.id ?? ""}/comments`, token: developer })).json<Page<{ body: string }>>();
    expect(comments.items.map((comment) => comment.body)).toEqual([expect.stringContaining("@acme-developer"), expect.stringContaining("Per-line VAT")]);
    const inbox = (await t.request({ method: "GET", url: "/api/me/notifications?pageSize=100", token: developer })).json<Page<{ kind: string }>>();
    expect(inbox.items.map((item) => item.kind)).toContain("task.mentioned");
    const timesheet = (await t.request({ method: "GET", url: "/api/time-entries?user=me", token: developer })).json<Page<{ minutes: number }>>();
    expect(timesheet.items.map((entry) => entry.minutes).sort((a, b) => a - b)).toEqual([45, 150]);
    const manager = await signIn("acme-project-manager");
    const [email] = (await t.request({ method: "GET", url: "/api/tasks?search=Order%20confirmation", token: manager })).json<Page<{ isBlocked: boolean }>>().items;
    expect(email?.isBlocked).toBe(true);
  });

  it("has tasks across the board: the developer's own, the manager's project in every column, one overdue", async () => {
    const developer = await signIn("acme-developer");
    const mine = (await t.request({ method: "GET", url: "/api/tasks?assignee=me", token: developer })).json<Page<{ status: string; overdue: boolean }>>();
    expect(mine.total).toBeGreaterThanOrEqual(3);
    expect(mine.items.some((task) => task.overdue)).toBe(true);
    const manager = await signIn("acme-project-manager");
    const shop = (await t.request({ method: "GET", url: "/api/tasks?search=SHOP-1", token: manager })).json<Page<{ id: string; projectId: string; subtasks: { total: number } }>>();
    expect(shop.items[0]?.subtasks.total).toBe(3);
    const statistics = await t.request({ method: "GET", url: `/api/projects/${shop.items[0]?.projectId ?? ""}/statistics`, token: manager });
    const counts = statistics.json<{ tasks: { byStatus: Record<string, number> } }>().tasks.byStatus;
    expect(Object.values(counts).every((value) => value > 0)).toBe(true);
  });

  it("has tickets in every SLA state, with answers, the customer's reply and an internal note the customer does not see", async () => {
    const support = await signIn("acme-support");
    const all = (await t.request({ method: "GET", url: "/api/tickets?org=acme", token: support })).json<
      Page<{ id: string; title: string; slaState: string; status: string; escalatedAt: string | null }>
    >().items;
    expect(new Set(all.map((ticket) => ticket.slaState))).toEqual(new Set(["on_track", "at_risk", "breached", "met"]));
    expect(all.find((ticket) => ticket.slaState === "breached")?.escalatedAt).not.toBeNull();
    expect(all.find((ticket) => ticket.slaState === "met")?.status).toBe("resolved");
    const safari = all.find((ticket) => ticket.slaState === "on_track");
    type Comment = { body: string; internal: boolean; authorId: string };
    const staffView = (await t.request({ method: "GET", url: `/api/tickets/${safari?.id ?? ""}/comments`, token: support })).json<{ items: Comment[] } | Comment[]>();
    const staffComments = Array.isArray(staffView) ? staffView : staffView.items;
    expect(staffComments.filter((comment) => comment.internal)).toHaveLength(1);
    expect(staffComments.filter((comment) => !comment.internal).length).toBeGreaterThanOrEqual(2);
    const customer = await signIn("acme-customer");
    const customerView = (await t.request({ method: "GET", url: `/api/tickets/${safari?.id ?? ""}/comments`, token: customer })).json<{ items: Comment[] } | Comment[]>();
    const customerComments = Array.isArray(customerView) ? customerView : customerView.items;
    expect(customerComments.length).toBe(staffComments.length - 1);
    expect(customerComments.some((comment) => comment.internal)).toBe(false);
  });

  it("has notifications from the real events in the inbox of each person concerned", async () => {
    const kinds = async (username: string) => {
      const token = await signIn(username);
      const inbox = (await t.request({ method: "GET", url: "/api/me/notifications?pageSize=100", token })).json<Page<{ kind: string; readAt: string | null }>>();
      return new Set(inbox.items.map((notification) => notification.kind));
    };
    expect(await kinds("acme-developer")).toContain("task.assigned");
    // The salesperson owns the storefront: its customer's tickets reach them.
    expect(await kinds("acme-salesperson")).toContain("ticket.created");
    expect(await kinds("acme-admin")).toContain("ticket.escalated");
    const manager = await kinds("acme-project-manager");
    expect(manager).toContain("ticket.escalated");
    expect(manager).toContain("ticket.created");
    const support = await kinds("acme-support");
    expect(support).toContain("ticket.escalated");
    expect(support).toContain("ticket.at_risk");
    expect(await kinds("acme-customer")).toContain("ticket.commented");
  });
});
