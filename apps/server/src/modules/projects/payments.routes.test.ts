import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, captureEvents, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { DomainEvent } from "../../platform/events/events.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Payment = { id: string; status: string; amount: string; recordedById: string; verifiedById: string | null; note: string; allowedActions: string[] };

let t: TestContext;
let org: { id: string; slug: string };
let admin: User;
let sales: User;
let verifier: User;
let developer: User;
let customer: User;
let events: DomainEvent[] = [];

beforeAll(async () => {
  t = await createTestContext();
  events = captureEvents(t, ["payment.submitted", "payment.verified", "payment.rejected"]);
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  verifier = await buildUser(t, { orgId: org.id, roles: ["verifier"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
});
afterAll(() => t.close());

async function projectForClient(): Promise<string> {
  const client = await t.request({ method: "POST", url: "/api/clients", token: sales.token, payload: { name: "Acme", customerUserId: customer.id } });
  const project = await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { name: "Paid work", clientId: client.json<{ id: string }>().id, cost: "1000.00" } });
  return project.json<{ id: string }>().id;
}

const record = (projectId: string, token: string, payload: Record<string, unknown> = { amount: "400.00", method: "bank_transfer", reference: "INV-1", paidOn: "2026-04-01" }) =>
  t.request({ method: "POST", url: `/api/projects/${projectId}/payments`, token, payload });
const verify = (paymentId: string, token: string, decision: "approve" | "reject", note?: string) =>
  t.request({ method: "POST", url: `/api/payments/${paymentId}/verify`, token, payload: { decision, ...(note ? { note } : {}) } });
const paymentStatusOf = async (projectId: string) =>
  (await t.request({ method: "GET", url: `/api/projects/${projectId}`, token: admin.token })).json<{ paymentStatus: string; amountPaid: string; paidAmount: string }>();

describe("payments", () => {
  it("sales records, a verifier approves, the project's payment status follows, every step audited and announced", async () => {
    const projectId = await projectForClient();
    expect((await paymentStatusOf(projectId)).paymentStatus).toBe("unpaid");
    const recorded = await record(projectId, sales.token);
    expect(recorded.statusCode, recorded.body).toBe(201);
    const payment = recorded.json<Payment>();
    // The recorder may take it back while it waits; verifying is for someone else.
    expect(payment).toMatchObject({ status: "pending", amount: "400.00", recordedById: sales.id, verifiedById: null, allowedActions: ["withdraw"] });
    expect((await paymentStatusOf(projectId)).paymentStatus).toBe("pending");
    expect(events.find((event) => event.name === "payment.submitted" && event.data.paymentId === payment.id)?.recipients).toEqual(
      expect.arrayContaining([verifier.id, admin.id]),
    );

    const asVerifier = await t.request({ method: "GET", url: `/api/payments/${payment.id}`, token: verifier.token });
    expect(asVerifier.json<Payment>().allowedActions).toEqual(["verify"]);
    const approved = await verify(payment.id, verifier.token, "approve", "Matched the bank statement");
    expect(approved.statusCode).toBe(200);
    expect(approved.json<Payment>()).toMatchObject({ status: "approved", verifiedById: verifier.id, note: "Matched the bank statement" });
    expect(await paymentStatusOf(projectId)).toMatchObject({ paymentStatus: "partly_paid", amountPaid: "400.00", paidAmount: "400.00" });
    expect(events.find((event) => event.name === "payment.verified" && event.data.paymentId === payment.id)?.recipients).toContain(sales.id);

    const again = await verify(payment.id, verifier.token, "reject");
    expect(again.statusCode).toBe(409);
    const entries = await t.services.database.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "payment"), eq(auditLog.entityId, payment.id)))
      .orderBy(auditLog.createdAt);
    expect(entries).toEqual([
      { action: "payment.submitted", actorId: sales.id },
      { action: "payment.verified", actorId: verifier.id },
    ]);
  });

  it("a rejection (with its note) counts for nothing: the project's payment status goes back to unpaid", async () => {
    const projectId = await projectForClient();
    const payment = (await record(projectId, sales.token)).json<Payment>();
    const rejected = await verify(payment.id, admin.token, "reject", "No such transfer");
    expect(rejected.json<Payment>()).toMatchObject({ status: "rejected", note: "No such transfer" });
    expect((await paymentStatusOf(projectId)).paymentStatus).toBe("unpaid");
    expect(events.some((event) => event.name === "payment.rejected" && event.data.paymentId === payment.id)).toBe(true);
  });

  it("nobody verifies a payment they recorded themselves, not even an admin", async () => {
    const projectId = await projectForClient();
    const payment = (await record(projectId, admin.token)).json<Payment>();
    const own = await verify(payment.id, admin.token, "approve");
    expect(own.statusCode).toBe(403);
    expect(own.json<{ detail: string }>().detail).toMatch(/recorded themselves/);
    expect((await verify(payment.id, verifier.token, "approve")).statusCode).toBe(200);
  });

  it("refuses amounts that are not positive exact decimals", async () => {
    const projectId = await projectForClient();
    for (const amount of ["0", "-5", "12.345", "ten", 0.1 + 0.2]) {
      const response = await record(projectId, sales.token, { amount, method: "cash" });
      expect(response.statusCode, String(amount)).toBe(400);
    }
  });

  it("shows approved payments to the customer of the project's client, none to developers; only sales and admins record them", async () => {
    const projectId = await projectForClient();
    await verify((await record(projectId, sales.token)).json<Payment>().id, verifier.token, "approve");
    await record(projectId, sales.token);
    expect((await t.request({ method: "GET", url: `/api/projects/${projectId}/payments`, token: customer.token })).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await t.request({ method: "GET", url: `/api/projects/${projectId}/payments`, token: admin.token })).json<{ items: unknown[] }>().items).toHaveLength(2);
    expect((await t.request({ method: "GET", url: `/api/projects/${projectId}/payments`, token: developer.token })).statusCode).toBe(403);
    expect((await record(projectId, verifier.token)).statusCode).toBe(403);
    expect((await record(projectId, customer.token)).statusCode).toBe(403);
  });
});
