import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../platform/access/actor.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { DomainEvent } from "../../platform/events/events.js";
import { runUserTick } from "../../platform/schedules/user-tick.js";
import { runAs } from "../../platform/services.js";
import {
  buildOrg,
  buildUser,
  createTestContext,
  mailText,
  readMails,
  type TestContext,
} from "../../../test/harness.js";
import { profiles } from "../accounts/index.js";
import { dailyDigestTick } from "./notifications.digest.js";
import { sendPendingEmails } from "./notifications.email.js";
import { notificationEmailWindows } from "./notifications.table.js";
import { unsubscribeToken } from "./notifications.unsubscribe.js";

let t: TestContext;
let org: { id: string; slug: string };

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
});
afterAll(() => t.close());

type Prefs = {
  digest: { daily: boolean; weekly: boolean };
  events: Record<string, { inApp: boolean; email: string; label: string }>;
};

const prefs = async (token: string) =>
  (await t.request({ method: "GET", url: "/api/me/notification-preferences", token })).json<Prefs>();
const put = (token: string, payload: Record<string, unknown>) =>
  t.request({ method: "PUT", url: "/api/me/notification-preferences", token, payload });
const inbox = async (token: string, query = "") =>
  (await t.request({ method: "GET", url: `/api/me/notifications${query}`, token })).json<{
    items: Array<{ kind: string; title: string; link: string | null }>;
    unread: number;
  }>();
const mailsTo = async (email: string) =>
  (await readMails(t)).map(mailText).filter((mail) => mail.includes(`To: ${email}`));

/** A task.assigned event to `userId` (as the tasks module emits it), dispatched like the queue would. */
function assigned(userId: string, title: string): DomainEvent {
  return {
    name: "task.assigned",
    orgId: org.id,
    actorId: null,
    recipients: [userId],
    data: {
      taskId: randomUUID(),
      key: `ME-${title.length}`,
      title,
      projectId: null,
      assigneeId: userId,
      previousAssigneeId: null,
    },
    occurredAt: new Date().toISOString(),
  };
}
const dispatch = (event: DomainEvent) => t.services.events.dispatch(event, t.services);

describe("GET/PUT /api/me/notification-preferences", () => {
  it("starts from API.md's defaults, one entry per kind the caller can receive", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const verifier = await buildUser(t, { orgId: org.id, roles: ["verifier"] });
    const mine = await prefs(developer.token);
    expect(mine.digest).toEqual({ daily: true, weekly: false });
    expect(mine.events["task.assigned"]).toMatchObject({ inApp: true, email: "immediate" });
    expect(mine.events["task.status_changed"]).toMatchObject({ inApp: true, email: "digest" });
    expect(mine.events["member.role_changed"]).toMatchObject({ inApp: true, email: "digest" });
    // A developer never verifies payments; a verifier is asked about them.
    expect(mine.events["payment.submitted"]).toBeUndefined();
    const theirs = await prefs(verifier.token);
    expect(theirs.events["payment.submitted"]).toMatchObject({ inApp: true, email: "digest" });
    expect(theirs.events["payment.verified"]).toMatchObject({ email: "immediate" });
  });

  it("takes a partial change, keeps the rest, audits it, and refuses unknown kinds and values without changing anything", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const changed = await put(user.token, {
      digest: { weekly: true },
      events: { "task.assigned": { email: "digest" } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const body = changed.json<Prefs>();
    expect(body.digest).toEqual({ daily: true, weekly: true });
    expect(body.events["task.assigned"]).toMatchObject({ inApp: true, email: "digest" });
    expect(
      (await put(user.token, { events: { "task.assigned": { inApp: false } } })).json<Prefs>().events[
        "task.assigned"
      ],
    ).toMatchObject({ inApp: false, email: "digest" });
    const unknown = await put(user.token, { events: { "payment.submitted": { email: "off" } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe(
      "events.payment.submitted",
    );
    expect((await put(user.token, { events: { "task.assigned": { email: "sometimes" } } })).statusCode).toBe(
      400,
    );
    expect((await prefs(user.token)).events["task.assigned"]).toMatchObject({
      inApp: false,
      email: "digest",
    });
    const audited = await t.services.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, user.id), eq(auditLog.action, "notification_preferences.updated")));
    expect(audited).toHaveLength(2);
  });
});

describe("preferences are honoured on every channel", () => {
  it("immediate: inbox, live push and an email linking to the task, with a working unsubscribe header", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const pushes: string[] = [];
    const realtime = t.services.realtime;
    t.services.realtime = {
      ...realtime,
      toUser: (userId, event) => Promise.resolve(void (userId === user.id && pushes.push(event))),
    };
    await dispatch(assigned(user.id, "Ship the invoice export"));
    t.services.realtime = realtime;
    const { items } = await inbox(user.token);
    expect(items[0]).toMatchObject({
      kind: "task.assigned",
      title: "Assigned to you: ME-23 Ship the invoice export",
    });
    expect(items[0]?.link).toMatch(new RegExp(`^/o/${org.slug}/tasks/`));
    expect(pushes).toEqual(["notification"]);
    const [mail] = await mailsTo(user.email);
    expect(mail).toContain("Subject: Assigned to you: ME-23 Ship the invoice export");
    expect(mail).toContain(`${t.config.publicUrl}/o/${org.slug}/tasks/`);
    expect(mail).toMatch(/Content-Type: text\/html/);
    expect(mail).toMatch(/Content-Type: text\/plain/);
    expect(mail).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("in-app off: no inbox row and no push, the email still goes; email off: the inbox only", async () => {
    const quiet = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const noMail = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    await put(quiet.token, { events: { "task.assigned": { inApp: false } } });
    await put(noMail.token, { events: { "task.assigned": { email: "off" } } });
    const pushes: string[] = [];
    const realtime = t.services.realtime;
    t.services.realtime = { ...realtime, toUser: (userId) => Promise.resolve(void pushes.push(userId)) };
    await dispatch(assigned(quiet.id, "Quiet one"));
    await dispatch(assigned(noMail.id, "No mail"));
    t.services.realtime = realtime;
    expect((await inbox(quiet.token)).items).toEqual([]);
    expect(await mailsTo(quiet.email)).toHaveLength(1);
    expect((await inbox(noMail.token)).items).toHaveLength(1);
    expect(await mailsTo(noMail.email)).toEqual([]);
    expect(pushes).toEqual([noMail.id]);
  });

  it("digest: no email at once, the change waits for the morning digest; both off: nothing at all", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const none = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    await put(user.token, { events: { "task.assigned": { email: "digest" } } });
    await put(none.token, { events: { "task.assigned": { email: "off", inApp: false } } });
    await dispatch(assigned(user.id, "Gathered for the morning"));
    await dispatch(assigned(none.id, "Heard by nobody"));
    expect(await mailsTo(user.email)).toEqual([]);
    expect((await inbox(none.token)).items).toEqual([]);
    await runUserTick(t.services, dailyDigestTick, { force: true });
    const digests = await mailsTo(user.email);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain("Subject: Your daily digest: 1 item");
    expect(digests[0]).toContain("Gathered for the morning");
    expect(await mailsTo(none.email)).toEqual([]);
  });
});

describe("immediate emails coalesce per user for five minutes", () => {
  it("the first goes out at once; the next ones wait and go as one when the window ends; after it, at once again", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    await dispatch(assigned(user.id, "First"));
    await dispatch(assigned(user.id, "Second"));
    await dispatch(assigned(user.id, "Third"));
    let mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("Subject: Assigned to you: ME-5 First");
    // The window's end (the queue runs this job five minutes later).
    await runAs(t.services, systemActor("test"), (ctx) => sendPendingEmails(ctx, user.id));
    mails = await mailsTo(user.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]).toContain("Subject: 2 updates in Cairn");
    expect(mails[1]).toContain("Second");
    expect(mails[1]).toContain("Third");
    expect(mails[1]).not.toContain("ME-5 First");
    // Nothing left: the end of the window sends nothing more.
    await runAs(t.services, systemActor("test"), (ctx) => sendPendingEmails(ctx, user.id));
    expect(await mailsTo(user.email)).toHaveLength(2);
    await t.services.database.db
      .update(notificationEmailWindows)
      .set({ endsAt: new Date(Date.now() - 1000) })
      .where(eq(notificationEmailWindows.userId, user.id));
    await dispatch(assigned(user.id, "Fourth"));
    mails = await mailsTo(user.email);
    expect(mails).toHaveLength(3);
    expect(mails[2]).toContain("Subject: Assigned to you: ME-6 Fourth");
  });
});

describe("unsubscribe links", () => {
  const post = (token: string) =>
    t.request({
      method: "POST",
      url: `/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });

  it("a valid link turns that kind's email off without signing in (one-click POST); GET only describes", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const token = unsubscribeToken(t.config.secretKey, user.id, ["task.assigned"]);
    const described = await t.request({
      method: "GET",
      url: `/api/notifications/unsubscribe?token=${token}`,
    });
    expect(described.json()).toEqual({ kinds: [{ kind: "task.assigned", label: "Tasks assigned to me" }] });
    expect((await prefs(user.token)).events["task.assigned"]?.email).toBe("immediate");
    const done = await post(token);
    expect(done.statusCode, done.body).toBe(200);
    expect((await prefs(user.token)).events["task.assigned"]).toMatchObject({ inApp: true, email: "off" });
    const digest = await t.request({
      method: "POST",
      url: "/api/notifications/unsubscribe",
      payload: { token: unsubscribeToken(t.config.secretKey, user.id, ["digest.daily"]) },
    });
    expect(digest.statusCode).toBe(200);
    expect((await prefs(user.token)).digest.daily).toBe(false);
  });

  it("a tampered or expired link is a 400 that changes nothing", async () => {
    const user = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const token = unsubscribeToken(t.config.secretKey, user.id, ["task.assigned"]);
    const [body, signature] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ u: user.id, k: ["task.assigned", "digest.daily"], e: 4102444800 })).toString("base64url")}.${signature ?? ""}`;
    for (const bad of [
      forged,
      `${body ?? ""}.${"A".repeat(43)}`,
      "nonsense",
      unsubscribeToken("another-secret-key-entirely-0123456789", user.id, ["task.assigned"]),
    ]) {
      const response = await post(bad);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "invalid_link" });
    }
    const expired = unsubscribeToken(
      t.config.secretKey,
      user.id,
      ["task.assigned"],
      new Date(Date.now() - 91 * 24 * 60 * 60 * 1000),
    );
    const response = await post(expired);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "link_expired" });
    expect((await prefs(user.token)).events["task.assigned"]?.email).toBe("immediate");
  });
});

describe("digests", () => {
  it("say what is due, what waits and what changed, once per local date, and nothing when there is nothing to say", async () => {
    const idle = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const busy = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    await t.services.database.db
      .update(profiles)
      .set({ timezone: "Pacific/Chatham" })
      .where(eq(profiles.userId, busy.id));
    const created = await t.request({
      method: "POST",
      url: "/api/tasks",
      token: busy.token,
      payload: { title: "Renew the certificate", dueDate: "2020-01-01", assigneeId: busy.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    await put(busy.token, { events: { "member.role_changed": { email: "digest" } } });
    await runUserTick(t.services, dailyDigestTick, { force: true });
    await runUserTick(t.services, dailyDigestTick, { force: true });
    const mails = await mailsTo(busy.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("Due soon or overdue");
    expect(mails[0]).toContain("Renew the certificate");
    expect(mails[0]).toContain("Overdue since 2020-01-01");
    expect(mails[0]).toMatch(/Stop emails: Daily digest/);
    expect(await mailsTo(idle.email)).toEqual([]);
  });
});
