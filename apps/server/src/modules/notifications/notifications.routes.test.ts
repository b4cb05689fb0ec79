import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/access/actor.js";
import type { DomainEvent } from "../../platform/events/events.js";
import { runAs } from "../../platform/services.js";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { createNotifications } from "./notifications.service.js";

let t: TestContext;
let orgId: string;
beforeAll(async () => {
  t = await createTestContext();
  orgId = (await buildOrg(t)).id;
});
afterAll(() => t.close());

type Item = { id: string; kind: string; title: string; body: string; readAt: string | null; orgId: string | null };
type List = { items: Item[]; total: number; page: number; pageSize: number; unread: number };
const list = async (token: string, query = "") => {
  const response = await t.request({ method: "GET", url: `/api/me/notifications${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<List>();
};
const markRead = (token: string, payload: unknown) => t.request({ method: "POST", url: "/api/me/notifications/read", token, payload: payload as Record<string, unknown> });

async function notify(userId: string, count: number) {
  await runAs(t.services, systemActor("test"), (ctx) =>
    createNotifications(
      ctx,
      Array.from({ length: count }, (_, index) => ({ userId, orgId, kind: "test.note", title: `Note ${index + 1}`, body: "Something happened." })),
    ),
  );
}

describe("GET /api/me/notifications", () => {
  it("lists the caller's own notifications, newest first, paginated, with the unread count", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    const other = await buildUser(t, { orgId, roles: ["developer"] });
    await notify(user.id, 3);
    await notify(other.id, 2);
    const page = await list(user.token, "?pageSize=2");
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 2, unread: 3 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ kind: "test.note", body: "Something happened.", readAt: null, orgId });
    const second = await list(user.token, "?pageSize=2&page=2");
    expect(second.items).toHaveLength(1);
    const titles = [...page.items, ...second.items].map((item) => item.title).sort();
    expect(titles).toEqual(["Note 1", "Note 2", "Note 3"]);
  });

  it("marks chosen ones read, ignores other people's ids, then all; ?unread=true follows", async () => {
    const user = await buildUser(t, { orgId, roles: ["customer"] });
    const other = await buildUser(t, { orgId, roles: ["customer"] });
    await notify(user.id, 3);
    await notify(other.id, 1);
    const [first] = (await list(user.token)).items;
    const [foreign] = (await list(other.token)).items;
    const some = await markRead(user.token, { ids: [first?.id, foreign?.id] });
    expect(some.statusCode, some.body).toBe(200);
    expect(some.json()).toEqual({ updated: 1, unread: 2 });
    expect((await list(other.token)).unread).toBe(1);

    const unread = await list(user.token, "?unread=true");
    expect(unread.total).toBe(2);
    expect(unread.items.map((item) => item.id)).not.toContain(first?.id);
    expect((await list(user.token)).items.find((item) => item.id === first?.id)?.readAt).not.toBeNull();

    expect((await markRead(user.token, { all: true })).json()).toEqual({ updated: 2, unread: 0 });
    expect((await list(user.token, "?unread=true")).total).toBe(0);
    expect((await list(user.token)).total).toBe(3);
  });

  it("refuses a body that is neither ids nor all", async () => {
    const user = await buildUser(t, { orgId, roles: ["customer"] });
    expect((await markRead(user.token, {})).statusCode).toBe(400);
    expect((await markRead(user.token, { all: false })).statusCode).toBe(400);
    expect((await markRead(user.token, { ids: ["not-a-uuid"] })).statusCode).toBe(400);
  });

  it("needs a signed-in caller", async () => {
    expect((await t.request({ method: "GET", url: "/api/me/notifications" })).statusCode).toBe(401);
    expect((await t.request({ method: "POST", url: "/api/me/notifications/read", payload: { all: true } })).statusCode).toBe(401);
  });
});

describe("event handlers", () => {
  it("notify once per event even when the event is delivered twice, and push after commit", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    const pushes: Array<{ userId: string; event: string }> = [];
    const realtime = t.services.realtime;
    t.services.realtime = { ...realtime, toUser: (userId, event) => Promise.resolve(void pushes.push({ userId, event })) };
    const event: DomainEvent = {
      name: "member.role_changed",
      orgId,
      actorId: null,
      recipients: [user.id],
      data: { userId: user.id, before: ["developer"], after: ["support", "verified_developer"] },
      occurredAt: new Date().toISOString(),
    };
    await t.services.events.dispatch(event, t.services);
    await t.services.events.dispatch(event, t.services);
    t.services.realtime = realtime;
    const { items } = await list(user.token);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "member.role_changed", title: "Your roles have changed" });
    expect(items[0]?.body).toMatch(/your roles are now: Support, Verified developer\.$/);
    expect(pushes).toEqual([{ userId: user.id, event: "notification" }]);
  });
});
