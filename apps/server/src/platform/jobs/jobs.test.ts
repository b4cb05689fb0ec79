import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestContext, readMails, type TestContext } from "../../../test/harness.js";
import { systemActor } from "../access/actor.js";
import { queueMail } from "../mail/outbox.js";
import { runAs } from "../services.js";
import { createJobs, defineJob } from "./jobs.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ jobs: true });
  await t.services.jobs?.work(t.services);
});
afterAll(() => t.close());

describe("jobs", () => {
  it("a mail queued in a committed transaction is delivered by the worker", async () => {
    await runAs(t.services, systemActor("test"), (ctx) => queueMail(ctx, { to: "committed@example.test", subject: "Committed", text: "Hello" }));
    await expect.poll(async () => (await readMails(t)).some((mail) => mail.includes("To: committed@example.test")), { timeout: 15_000, interval: 200 }).toBe(true);
  });

  it("a mail queued in a transaction that rolls back never exists", async () => {
    await expect(
      runAs(t.services, systemActor("test"), async (ctx) => {
        await queueMail(ctx, { to: "phantom@example.test", subject: "Phantom", text: "Never" });
        throw new Error("the change failed half-way");
      }),
    ).rejects.toThrow("half-way");
    await runAs(t.services, systemActor("test"), (ctx) => queueMail(ctx, { to: "after@example.test", subject: "After", text: "Later" }));
    await expect.poll(async () => (await readMails(t)).some((mail) => mail.includes("To: after@example.test")), { timeout: 15_000, interval: 200 }).toBe(true);
    expect((await readMails(t)).some((mail) => mail.includes("phantom@example.test"))).toBe(false);
  });

  it("a failing job is retried with backoff and ends failed, visible with its error", { timeout: 60_000 }, async () => {
    let attempts = 0;
    const flaky = defineJob({
      name: "test.always-fails",
      payload: z.object({ n: z.number() }),
      retryLimit: 1,
      retryDelaySeconds: 1,
      async handler() {
        attempts++;
        throw new Error("downstream unavailable");
      },
    });
    const jobs = await createJobs(t.services.database, [flaky], t.services.log, { supervise: false, postgresUrl: t.config.database.kind === "postgres" ? t.config.database.url : null });
    try {
      await jobs.work(t.services);
      await runAs(t.services, systemActor("test"), (ctx) => jobs.enqueue(ctx.tx, flaky, { n: 1 }));
      await expect.poll(() => attempts, { timeout: 25_000, interval: 200 }).toBe(2);
      const [failed] = await jobs.boss.findJobs<{ n: number }>("test.always-fails", { data: { n: 1 } });
      await expect.poll(async () => (await jobs.boss.getJobById("test.always-fails", failed?.id ?? ""))?.state, { timeout: 10_000 }).toBe("failed");
    } finally {
      await jobs.stop();
    }
  });
});
