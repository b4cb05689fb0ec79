import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, captureEvents, createTestContext, type TestContext } from "../../../test/harness.js";
import type { DomainEvent } from "../../platform/events/events.js";

/**
 * "Customers and non-financial roles see only what is theirs": the customer of
 * a project's client sees its balance from approved money and its approved
 * payments without internal notes; support and developers see no financial
 * field at all (payment status included), wherever a project is returned;
 * finance staff still see everything.
 */

type User = Awaited<ReturnType<typeof buildUser>>;
type Json = Record<string, unknown>;
type Project = Json & { id: string; allowedActions: string[] };
type Payment = Json & { id: string; status: string; amount: string };

const FINANCIAL_FIELDS = ["cost", "discount", "netPrice", "currency", "paymentStatus", "paidAmount", "amountPaid"];

let t: TestContext;
let org: { id: string; slug: string };
const people = {} as Record<
  "admin" | "sales" | "verifier" | "manager" | "support" | "developer" | "verified" | "customer" | "otherCustomer" | "reporter",
  User
>;
/** Cost 1000, discount 100: 300 approved (with a note), 200 rejected ("probably a typo"), 150 pending. */
let mixed: string;
/** Cost 500: one pending payment and nothing approved. */
let waiting: string;
const paymentIds = {} as Record<"approved" | "rejected" | "pending", string>;
let events: DomainEvent[] = [];

const get = (url: string, token: string) => t.request({ method: "GET", url, token });

async function post(url: string, token: string, payload: Json): Promise<Json & { id: string }> {
  const response = await t.request({ method: "POST", url, token, payload });
  expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
  return response.json<Json & { id: string }>();
}

const recordPayment = async (projectId: string, amount: string) =>
  (await post(`/api/projects/${projectId}/payments`, people.sales.token, { amount, method: "bank_transfer", reference: `INV-${amount}` })).id;
const decide = (paymentId: string, decision: "approve" | "reject", note?: string) =>
  post(`/api/payments/${paymentId}/verify`, people.verifier.token, { decision, ...(note ? { note } : {}) });

beforeAll(async () => {
  t = await createTestContext();
  events = captureEvents(t, ["payment.verified", "payment.rejected"]);
  org = await buildOrg(t);
  const roles = {
    admin: "admin",
    sales: "salesperson",
    verifier: "verifier",
    manager: "project_manager",
    support: "support",
    developer: "developer",
    verified: "verified_developer",
    customer: "customer",
    otherCustomer: "customer",
  } as const;
  for (const [name, role] of Object.entries(roles)) people[name as keyof typeof roles] = await buildUser(t, { orgId: org.id, roles: [role] });
  // Reports without money: a custom role that may export but not see financials.
  await post(`/api/orgs/${org.slug}/roles`, people.admin.token, { key: "reporter", name: "Reporter", permissions: ["projects.view", "reports.view"] });
  people.reporter = await buildUser(t, { orgId: org.id, roles: ["reporter"] });

  const client = await post("/api/clients", people.sales.token, { name: "Northwind", customerUserId: people.customer.id });
  const team = await post("/api/teams", people.manager.token, { name: "Delivery", memberIds: [people.developer.id] });
  mixed = (await post("/api/projects", people.sales.token, { name: "Storefront", clientId: client.id, teamId: team.id, cost: "1000.00", discount: "100.00" })).id;
  paymentIds.approved = await recordPayment(mixed, "300.00");
  await decide(paymentIds.approved, "approve", "Matched the bank statement");
  paymentIds.rejected = await recordPayment(mixed, "200.00");
  await decide(paymentIds.rejected, "reject", "probably a typo");
  paymentIds.pending = await recordPayment(mixed, "150.00");
  waiting = (await post("/api/projects", people.sales.token, { name: "Warehouse", clientId: client.id, cost: "500.00" })).id;
  await recordPayment(waiting, "50.00");
});
afterAll(() => t.close());

const detail = async (projectId: string, who: User) => {
  const response = await get(`/api/projects/${projectId}`, who.token);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Project>();
};
const listed = async (projectId: string, who: User, query = "pageSize=100") => {
  const response = await get(`/api/projects?${query}`, who.token);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Project[] }>().items.find((item) => item.id === projectId);
};

describe("the customer of the project's client", () => {
  it("sees the approved payments only, without the verifier's note or who verified", async () => {
    const response = await get(`/api/projects/${mixed}/payments`, people.customer.token);
    expect(response.statusCode).toBe(200);
    const items = response.json<{ items: Payment[] }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: paymentIds.approved, status: "approved", amount: "300.00", currency: "USD", allowedActions: [] });
    for (const field of ["note", "verifiedBy", "verifiedById"]) expect(items[0]).not.toHaveProperty(field);
    expect(response.body).not.toContain("Matched the bank statement");
    expect(response.body).not.toContain("probably a typo");
    expect(response.body).not.toContain("200.00");
    expect(response.body).not.toContain("150.00");
  });

  it("cannot open a rejected or pending payment (404), and opens an approved one without internal fields", async () => {
    expect((await get(`/api/payments/${paymentIds.rejected}`, people.customer.token)).statusCode).toBe(404);
    expect((await get(`/api/payments/${paymentIds.pending}`, people.customer.token)).statusCode).toBe(404);
    const approved = await get(`/api/payments/${paymentIds.approved}`, people.customer.token);
    expect(approved.statusCode).toBe(200);
    expect(approved.json<Payment>()).not.toHaveProperty("note");
    expect(approved.json<Payment>()).not.toHaveProperty("verifiedBy");
    const verify = await t.request({ method: "POST", url: `/api/payments/${paymentIds.pending}/verify`, token: people.customer.token, payload: { decision: "approve" } });
    expect(verify.statusCode).toBe(404);
  });

  it("sees the balance from approved money only, in the detail and the list: no pending total, no rejected payment", async () => {
    const balance = { cost: "1000.00", discount: "100.00", netPrice: "900.00", currency: "USD", paidAmount: "300.00", amountPaid: "300.00", paymentStatus: "partly_paid" };
    const project = await detail(mixed, people.customer);
    expect(project).toMatchObject(balance);
    expect(await listed(mixed, people.customer)).toMatchObject(balance);
    expect(JSON.stringify(project)).not.toMatch(/pending|rejected|150\.00|200\.00|500\.00/);
  });

  it("gets a payment status from approved money only: never `pending`", async () => {
    expect(await detail(waiting, people.customer)).toMatchObject({ paymentStatus: "unpaid", paidAmount: "0.00" });
    expect(await listed(waiting, people.customer)).toMatchObject({ paymentStatus: "unpaid" });
    expect(await detail(waiting, people.admin)).toMatchObject({ paymentStatus: "pending", paidAmount: "0.00" });
  });

  it("filters by payment status on the status they are shown, and only among their own client's projects", async () => {
    const ids = async (who: User, status: string) =>
      (await get(`/api/projects?paymentStatus=${status}&pageSize=100`, who.token)).json<{ items: Project[] }>().items.map((item) => item.id);
    expect(await ids(people.customer, "pending")).toEqual([]);
    expect(await ids(people.customer, "unpaid")).toEqual([waiting]);
    expect(await ids(people.customer, "partly_paid")).toEqual([mixed]);
    // Another customer holds projects.view_financials (on their own client's projects): allowed, and learns nothing.
    expect(await ids(people.otherCustomer, "unpaid")).toEqual([]);
    expect(await ids(people.otherCustomer, "partly_paid")).toEqual([]);
  });

  it("sees the team's name without a link to a team they may not open, and no client link", async () => {
    const project = await detail(mixed, people.customer);
    expect(project.team).toMatchObject({ name: "Delivery" });
    expect(project.allowedActions).not.toContain("viewTeam");
    expect(project.allowedActions).not.toContain("viewClient");
    expect((await get(`/api/teams/${(project.team as { id: string }).id}`, people.customer.token)).statusCode).toBe(404);
  });
});

describe("callers without projects.view_financials", () => {
  it("see no financial field at all, paymentStatus included, in the detail, the list and the edit answer", async () => {
    for (const who of [people.support, people.developer, people.verified, people.otherCustomer]) {
      const project = await detail(mixed, who);
      const row = await listed(mixed, who);
      for (const field of FINANCIAL_FIELDS) {
        expect(project, `${who.username} detail`).not.toHaveProperty(field);
        expect(row, `${who.username} list`).not.toHaveProperty(field);
      }
    }
    // A project a verified developer owns: their own edits answer without money either.
    const own = await post("/api/projects", people.verified.token, { name: "Side project" });
    const edited = await t.request({ method: "PATCH", url: `/api/projects/${own.id}`, token: people.verified.token, payload: { description: "Edited" } });
    expect(edited.statusCode).toBe(200);
    for (const field of FINANCIAL_FIELDS) expect(edited.json<Json>()).not.toHaveProperty(field);
  });

  it("are refused the paymentStatus filter with a 403 naming projects.view_financials", async () => {
    for (const who of [people.support, people.developer, people.verified]) {
      const response = await get("/api/projects?paymentStatus=paid", who.token);
      expect(response.statusCode, who.username).toBe(403);
      expect(response.json<{ detail: string }>().detail).toContain("projects.view_financials");
    }
    expect((await get("/api/projects?paymentStatus=overdue", people.admin.token)).statusCode).toBe(400);
  });

  it("get a team link only for a team they may open, and a client link with clients.view", async () => {
    expect((await detail(mixed, people.developer)).allowedActions).toContain("viewTeam");
    const support = await detail(mixed, people.support);
    expect(support.allowedActions).not.toContain("viewTeam");
    expect(support.allowedActions).toContain("viewClient");
    const manager = await detail(mixed, people.manager);
    expect(manager.allowedActions).toEqual(expect.arrayContaining(["viewTeam", "viewClient"]));
  });

  it("are not told of a payment's verdict, with its amount and note, on a project they own", async () => {
    const own = await post("/api/projects", people.verified.token, { name: "Owned by a developer" });
    const payment = (await post(`/api/projects/${own.id}/payments`, people.admin.token, { amount: "10.00", method: "cash" })).id;
    await decide(payment, "reject", "probably a typo");
    const verdict = events.find((event) => event.data.paymentId === payment);
    expect(verdict?.recipients).toContain(people.admin.id);
    expect(verdict?.recipients).not.toContain(people.verified.id);
  });
});

describe("finance staff", () => {
  it("still see every field, every payment with its note, and what is pending", async () => {
    for (const who of [people.sales, people.verifier, people.admin, people.manager]) {
      expect(await detail(mixed, who)).toMatchObject({ cost: "1000.00", netPrice: "900.00", paidAmount: "300.00", amountPaid: "300.00", paymentStatus: "partly_paid" });
      expect(await listed(mixed, who)).toMatchObject({ paymentStatus: "partly_paid", paidAmount: "300.00" });
      const payments = (await get(`/api/projects/${mixed}/payments`, who.token)).json<{ items: Payment[] }>().items;
      expect(payments.map((payment) => payment.status).sort()).toEqual(["approved", "pending", "rejected"]);
      expect(payments.find((payment) => payment.status === "rejected")).toMatchObject({ note: "probably a typo", verifiedById: people.verifier.id });
    }
  });

  it("filter by payment status, pending included", async () => {
    const ids = async (status: string) =>
      (await get(`/api/projects?paymentStatus=${status}&pageSize=100`, people.verifier.token)).json<{ items: Project[] }>().items.map((item) => item.id);
    expect(await ids("pending")).toEqual([waiting]);
    expect(await ids("partly_paid")).toEqual([mixed]);
    expect(await ids("unpaid")).not.toContain(waiting);
  });

  it("see paid and overpaid once the approved total reaches the net price and passes it", async () => {
    const project = (await post("/api/projects", people.sales.token, { name: "Exact", cost: "100.00", discount: "10.00" })).id;
    await decide(await recordPayment(project, "90.00"), "approve");
    expect(await detail(project, people.admin)).toMatchObject({ paymentStatus: "paid", paidAmount: "90.00" });
    await decide(await recordPayment(project, "0.01"), "approve");
    expect(await detail(project, people.admin)).toMatchObject({ paymentStatus: "overpaid", paidAmount: "90.01" });
    const overpaid = (await get("/api/projects?paymentStatus=overpaid", people.admin.token)).json<{ items: Project[] }>().items;
    expect(overpaid.map((item) => item.id)).toEqual([project]);
  });
});

describe("the projects CSV", () => {
  const rows = (body: string) => body.trimEnd().split("\r\n");

  it("has no financial column, payment_status included, for a reporter without projects.view_financials, and refuses them the filter", async () => {
    const response = await get("/api/reports/projects.csv", people.reporter.token);
    expect(response.statusCode, response.body).toBe(200);
    const [header] = rows(response.body);
    expect(header).toBe("id,organization,key,name,status,priority,visibility,client,team,owner,manager,start_date,due_date,archived,members,created_at,updated_at");
    expect(response.body).not.toMatch(/partly_paid|1000\.00|900\.00/);
    const filtered = await get("/api/reports/projects.csv?paymentStatus=paid", people.reporter.token);
    expect(filtered.statusCode).toBe(403);
    expect(filtered.headers["content-type"]).toContain("application/problem+json");
  });

  it("carries the payment status and the money for finance, and takes the filter", async () => {
    const response = await get("/api/reports/projects.csv?paymentStatus=partly_paid", people.manager.token);
    expect(response.statusCode, response.body).toBe(200);
    const [header, ...lines] = rows(response.body);
    expect(header).toContain(",due_date,payment_status,archived,");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Storefront");
    expect(lines[0]).toContain(",partly_paid,");
    expect(lines[0]).toMatch(/,USD,1000\.00,100\.00,900\.00,300\.00$/);
  });
});
