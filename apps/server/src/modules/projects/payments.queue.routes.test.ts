import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

/** The verifier's queue across projects, withdrawing a waiting payment, and a warning when money passes the price. */

type User = Awaited<ReturnType<typeof buildUser>>;
type Payment = { id: string; status: string; amount: string; note?: string; allowedActions: string[]; project?: { key: string }; warning?: string };

let t: TestContext;
let org: { id: string };
let sales: User;
let otherSales: User;
let verifier: User;
let support: User;
let customer: User;
let shop: string;
let blog: string;
let clientId: string;

const post = async (url: string, token: string, payload: Record<string, unknown>) => {
  const response = await t.request({ method: "POST", url, token, payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json<Payment & { id: string }>();
};
const pay = (projectId: string, amount: string, token = sales.token) => post(`/api/projects/${projectId}/payments`, token, { amount, method: "bank_transfer" });

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  otherSales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  verifier = await buildUser(t, { orgId: org.id, roles: ["verifier"] });
  support = await buildUser(t, { orgId: org.id, roles: ["support"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
  const client = await post("/api/clients", sales.token, { orgId: org.id, name: "Queue client", customerUserId: customer.id });
  clientId = client.id;
  shop = (await post("/api/projects", sales.token, { orgId: org.id, name: "Queue shop", key: "QSHOP", clientId: client.id, cost: "10500.00" })).id;
  blog = (await post("/api/projects", sales.token, { orgId: org.id, name: "Queue blog", key: "QBLOG", cost: "2000.00" })).id;
});
afterAll(() => t.close());

describe("GET /api/payments", () => {
  it("gives the verifier every waiting payment across projects, newest first, with its project", async () => {
    const approved = await pay(shop, "5000.00");
    await post(`/api/payments/${approved.id}/verify`, verifier.token, { decision: "approve" });
    const first = await pay(blog, "500.00");
    const second = await pay(shop, "1000.00");
    const queue = await t.request({ method: "GET", url: "/api/payments?status=pending", token: verifier.token });
    expect(queue.statusCode, queue.body).toBe(200);
    const page = queue.json<{ items: Payment[]; total: number }>();
    expect(page.items.map((payment) => payment.id)).toEqual([second.id, first.id]);
    expect(page.items.map((payment) => payment.project?.key)).toEqual(["QSHOP", "QBLOG"]);
    expect(page.items[0]?.allowedActions).toContain("verify");
    const byAmount = await t.request({ method: "GET", url: `/api/payments?ordering=-amount&project=${shop}`, token: verifier.token });
    expect(byAmount.json<{ items: Payment[] }>().items.map((payment) => payment.amount)).toEqual(["5000.00", "1000.00"]);
  });

  it("narrows to one client's projects (?client=), for the client's page", async () => {
    const ofClient = await t.request({ method: "GET", url: `/api/payments?client=${clientId}`, token: verifier.token });
    expect(ofClient.statusCode, ofClient.body).toBe(200);
    const keys = new Set(ofClient.json<{ items: Payment[] }>().items.map((payment) => payment.project?.key));
    expect(keys).toEqual(new Set(["QSHOP"]));
    expect((await t.request({ method: "GET", url: "/api/payments?client=nope", token: verifier.token })).statusCode).toBe(400);
  });

  it("shows the customer of a client the approved payments of their projects only, and refuses staff without finance", async () => {
    const mine = await t.request({ method: "GET", url: "/api/payments", token: customer.token });
    expect(mine.statusCode, mine.body).toBe(200);
    const items = mine.json<{ items: Payment[] }>().items;
    expect(items.map((payment) => [payment.project?.key, payment.status])).toEqual([["QSHOP", "approved"]]);
    expect(items[0]).not.toHaveProperty("note");
    const refused = await t.request({ method: "GET", url: "/api/payments", token: support.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain("projects.view_financials");
  });
});

describe("withdrawing and warnings", () => {
  it("lets the recorder withdraw a waiting payment, nobody else, and never a decided one", async () => {
    const typo = await pay(blog, "750.00");
    expect(typo.allowedActions).toContain("withdraw");
    expect((await t.request({ method: "DELETE", url: `/api/payments/${typo.id}`, token: otherSales.token })).statusCode).toBe(403);
    expect((await t.request({ method: "DELETE", url: `/api/payments/${typo.id}`, token: verifier.token })).statusCode).toBe(403);
    expect((await t.request({ method: "DELETE", url: `/api/payments/${typo.id}`, token: sales.token })).statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: `/api/payments/${typo.id}`, token: sales.token })).statusCode).toBe(404);
    const decided = await pay(blog, "100.00");
    await post(`/api/payments/${decided.id}/verify`, verifier.token, { decision: "reject", note: "No such transfer." });
    const late = await t.request({ method: "DELETE", url: `/api/payments/${decided.id}`, token: sales.token });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe("payment_decided");
  });

  it("warns, saying by how much, when a payment takes the project past its net price", async () => {
    const fine = await pay(shop, "100.00");
    expect(fine.warning).toBeUndefined();
    const big = await pay(shop, "99999.00");
    expect(big.warning).toContain("95599.00 over the net price of 10500.00");
  });
});
