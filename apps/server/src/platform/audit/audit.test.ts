import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../access/actor.js";
import { runAs } from "../services.js";
import { createTestContext, unique, type TestContext } from "../../../test/harness.js";
import { recordAudit } from "./audit.js";
import { auditLog } from "./audit.table.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("the audit log", () => {
  it("keeps the order in which one change wrote its entries", async () => {
    const entityId = unique("entity");
    const actions = ["first", "second", "third"];
    await runAs(t.services, systemActor("test"), async (ctx) => {
      for (const action of actions) {
        await recordAudit(ctx, { orgId: null, action, entityType: "test", entityId });
        // A few milliseconds apart, so that even a clock that only counts milliseconds (PGlite) tells them apart.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const rows = await t.services.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, entityId))
      .orderBy(asc(auditLog.createdAt));
    expect(rows.map((row) => row.action)).toEqual(actions);
    // One transaction, yet each entry has its own moment (clock_timestamp, not the transaction's now()).
    const [moments] = await t.services.database.db
      .select({ distinct: sql<number>`count(distinct ${auditLog.createdAt})::int` })
      .from(auditLog)
      .where(eq(auditLog.entityId, entityId));
    expect(moments?.distinct).toBe(3);
  });
});
