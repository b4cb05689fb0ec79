import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { buildDeveloper, captureSms, verifyPhone } from "../onboarding/onboarding.test-util.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ jobs: true });
  await t.services.jobs?.work(t.services);
});
afterAll(() => t.close());

const titles = async (token: string) =>
  (await t.request({ method: "GET", url: "/api/me/notifications", token })).json<{ items: Array<{ title: string }> }>().items.map((item) => item.title);

describe("notifications through the job queue", () => {
  it("a promotion and a role change reach the user once the worker has run the events", async () => {
    const org = await buildOrg(t);
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id, { complete: true });
    const verified = await verifyPhone(t, captureSms(t), dev.token, dev.phone);
    expect(verified.json<{ verified: boolean }>().verified).toBe(true);
    await expect.poll(() => titles(dev.token), { timeout: 15_000, interval: 200 }).toEqual(["You are verified: you can now create projects"]);

    await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${dev.id}`, token: admin.token, payload: { roles: ["developer", "support"] } });
    await expect.poll(async () => (await titles(dev.token)).length, { timeout: 15_000, interval: 200 }).toBe(2);
    expect((await titles(dev.token))[0]).toBe("Your roles have changed");
  });
});
