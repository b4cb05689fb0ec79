import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../../platform/audit/audit.table.js";
import { buildOrg, buildUser, createTestContext, PASSWORD, unique, type TestContext } from "../../../test/harness.js";
import { buildDeveloper, captureSms, GOOD_BIO, image, lastCode, uniquePhone, upload, verifyPhone, type SentSms } from "./onboarding.test-util.js";

let t: TestContext;
let org: { id: string; slug: string };
let sent: SentSms[];
let pushes: Array<{ userId: string; event: string; data: unknown }>;
beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
});
beforeEach(() => {
  sent = captureSms(t);
  pushes = [];
  const realtime = t.services.realtime;
  t.services.realtime = {
    ...realtime,
    toUser(userId, event, data) {
      pushes.push({ userId, event, data });
      return Promise.resolve();
    },
  };
});
afterAll(() => t.close());

type Me = {
  memberships: Array<{ org: { id: string }; roles: string[]; permissions: string[]; developerTrack: string | null }>;
  onboarding: { profileComplete: boolean; phoneVerified: boolean; verified: boolean; isDeveloper: boolean; missing: string[] };
  profile: { completedAt: string | null; phone: string | null; phoneVerified: boolean; avatarUrl: string | null };
};
const me = async (token: string) => (await t.request({ method: "GET", url: "/api/me", token })).json<Me>();
const patchProfile = (token: string, payload: Record<string, unknown>) => t.request({ method: "PATCH", url: "/api/me/profile", token, payload });
const putAvatar = async (token: string) => t.request({ method: "PUT", url: "/api/me/avatar", token, payload: upload(await image("png")) });
const promotions = (userId: string) =>
  t.services.database.db.select().from(auditLog).where(and(eq(auditLog.action, "developer.verified"), eq(auditLog.entityId, userId)));
const notificationsOf = async (token: string) =>
  (await t.request({ method: "GET", url: "/api/me/notifications", token })).json<{ items: Array<{ kind: string; title: string }>; unread: number }>();

/** POST /api/projects as the user: "created", or the problem's detail. */
async function createProject(token: string) {
  const response = await t.request({ method: "POST", url: "/api/projects", token, payload: { name: `Project ${unique("p")}` } });
  if (response.statusCode === 201) return "created";
  return `${response.statusCode} ${response.json<{ detail: string }>().detail}`;
}

describe("developer onboarding", () => {
  it("register → profile → avatar → phone: verified_developer in /api/me at once, audited and notified", async () => {
    const username = unique("newdev");
    const registered = await t.request({
      method: "POST",
      url: "/api/auth/register",
      payload: { email: `${username}@example.test`, username, password: PASSWORD, accountType: "developer" },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { access: token, user } = registered.json<{ access: string; user: { id: string } }>();

    const fresh = await me(token);
    expect(fresh.onboarding).toEqual({ profileComplete: false, phoneVerified: false, verified: false, isDeveloper: true, missing: ["bio", "nationalId", "avatar", "phone"] });
    const openOrg = fresh.memberships[0]?.org.id ?? "";
    expect(fresh.memberships[0]).toMatchObject({ roles: ["developer"], developerTrack: "unverified" });
    expect(fresh.memberships[0]?.permissions).not.toContain("projects.add");
    expect(await createProject(token)).toBe("403 You need the projects.add permission.");

    const phone = "+15551234567";
    expect((await patchProfile(token, { bio: "Too short", nationalId: "X-99812", phone })).statusCode).toBe(200);
    expect((await me(token)).onboarding.missing).toEqual(["bio", "avatar"]);
    expect((await patchProfile(token, { bio: GOOD_BIO, displayName: "New Dev" })).statusCode).toBe(200);
    expect((await putAvatar(token)).statusCode).toBe(200);
    const ready = await me(token);
    expect(ready.onboarding).toMatchObject({ profileComplete: true, phoneVerified: false, verified: false, missing: [] });
    expect(ready.profile.completedAt).not.toBeNull();
    expect(await promotions(user.id)).toHaveLength(0);

    const verified = await verifyPhone(t, sent, token, phone);
    expect(verified.statusCode, verified.body).toBe(200);
    const body = verified.json<{ phoneVerified: boolean; verified: boolean; roles: string[]; permissions: string[] }>();
    expect(body).toMatchObject({ phoneVerified: true, verified: true, roles: ["verified_developer"] });
    expect(body.permissions).toContain("projects.add");

    const after = await me(token);
    expect(after.memberships[0]).toMatchObject({ roles: ["verified_developer"], developerTrack: "verified" });
    expect(after.memberships[0]?.permissions).toContain("projects.add");
    expect(after.onboarding).toMatchObject({ profileComplete: true, phoneVerified: true, verified: true });
    expect(await createProject(token)).toBe("created");

    const [entry, ...more] = await promotions(user.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ orgId: openOrg, actorId: user.id, entityType: "member", changes: { roles: [["developer"], ["verified_developer"]] } });

    const inbox = await notificationsOf(token);
    expect(inbox.items.map((item) => item.title)).toContain("You are verified: you can now create projects");
    expect(inbox.unread).toBe(1);
    const pushed = pushes.find((push) => push.userId === user.id && push.event === "notification");
    expect(pushed?.data).toMatchObject({ kind: "developer.verified", title: "You are verified: you can now create projects" });
    expect(pushes).toContainEqual({ userId: user.id, event: "me.updated", data: { reason: "permissions" } });
  });

  it("promotes when the avatar comes last", async () => {
    const dev = await buildDeveloper(t, org.id);
    await patchProfile(dev.token, { bio: GOOD_BIO, nationalId: "AB-77777" });
    const phone = await verifyPhone(t, sent, dev.token, dev.phone);
    expect(phone.json<{ verified: boolean }>().verified).toBe(false);
    expect((await me(dev.token)).memberships[0]?.roles).toEqual(["developer"]);
    expect((await putAvatar(dev.token)).statusCode).toBe(200);
    expect((await me(dev.token)).memberships[0]?.roles).toEqual(["verified_developer"]);
    expect(await promotions(dev.id)).toHaveLength(1);
  });

  it("promotes when a profile edit comes last", async () => {
    const dev = await buildDeveloper(t, org.id);
    await putAvatar(dev.token);
    await patchProfile(dev.token, { bio: GOOD_BIO });
    await verifyPhone(t, sent, dev.token, dev.phone);
    expect((await me(dev.token)).onboarding.missing).toEqual(["nationalId"]);
    expect((await patchProfile(dev.token, { nationalId: "ZZ-10001" })).statusCode).toBe(200);
    expect((await me(dev.token)).memberships[0]?.roles).toEqual(["verified_developer"]);
  });

  it("does not promote a customer, nor a developer in an organization where they are not a developer", async () => {
    const customer = await buildDeveloper(t, org.id, { roles: ["customer"], complete: true });
    const response = await verifyPhone(t, sent, customer.token, customer.phone);
    expect(response.json()).toMatchObject({ verified: false, roles: ["customer"] });
    expect(await promotions(customer.id)).toHaveLength(0);
  });

  it("an admin demotes a verified developer: rights go, projects stay, no automatic re-promotion; the admin can promote again", async () => {
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id, { complete: true });
    expect((await verifyPhone(t, sent, dev.token, dev.phone)).json<{ verified: boolean }>().verified).toBe(true);
    const created = await t.request({ method: "POST", url: "/api/projects", token: dev.token, payload: { name: "Dev's own project" } });
    expect(created.statusCode, created.body).toBe(201);
    const project = created.json<{ id: string }>();

    const demote = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members/${dev.id}/verification`, token: admin.token, payload: { verified: false } });
    expect(demote.statusCode, demote.body).toBe(200);
    const demoted = await me(dev.token);
    expect(demoted.memberships[0]?.roles).toEqual(["developer"]);
    expect(demoted.memberships[0]?.permissions).not.toContain("projects.add");
    expect(demoted.memberships[0]?.permissions).not.toContain("projects.change_own");
    expect(demoted.onboarding).toMatchObject({ verified: false, profileComplete: true, phoneVerified: true });
    expect(await createProject(dev.token)).toBe("403 You need the projects.add permission.");
    const kept = await t.request({ method: "GET", url: `/api/developers/${dev.id}`, token: dev.token });
    expect(kept.json<{ projects: Array<{ id: string; name: string }> }>().projects).toEqual([{ id: project.id, name: "Dev's own project" }]);
    expect((await t.request({ method: "GET", url: `/api/projects/${project.id}`, token: dev.token })).statusCode).toBe(200);
    expect((await notificationsOf(dev.token)).items[0]).toMatchObject({ kind: "member.role_changed", title: "Your roles have changed" });

    // Breaking and completing the profile again does not undo the admin's decision.
    await patchProfile(dev.token, { bio: "short" });
    await patchProfile(dev.token, { bio: GOOD_BIO });
    expect((await me(dev.token)).memberships[0]?.roles).toEqual(["developer"]);

    const promote = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members/${dev.id}/verification`, token: admin.token, payload: { verified: true } });
    expect(promote.statusCode).toBe(200);
    expect((await me(dev.token)).onboarding.verified).toBe(true);
    expect((await me(dev.token)).memberships[0]?.permissions).toContain("projects.add");
  });

  it("an admin can promote a developer who has not finished onboarding", async () => {
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id);
    const response = await t.request({ method: "POST", url: `/api/orgs/${org.id}/members/${dev.id}/verification`, token: admin.token, payload: { verified: true } });
    expect(response.statusCode).toBe(200);
    const after = await me(dev.token);
    expect(after.onboarding).toMatchObject({ verified: true, profileComplete: false });
    expect(await createProject(dev.token)).toBe("created");
  });

  it("promotes in every organization where the user is a developer, with one audit entry each", async () => {
    const second = await buildOrg(t);
    const dev = await buildDeveloper(t, org.id, { complete: true });
    const admin = await buildUser(t, { orgId: second.id, roles: ["admin"] });
    const added = await t.request({
      method: "POST",
      url: `/api/orgs/${second.slug}/members`,
      token: admin.token,
      payload: { email: dev.email, username: dev.username, roles: ["developer", "support"] },
    });
    expect(added.statusCode, added.body).toBe(201);
    await verifyPhone(t, sent, dev.token, dev.phone);
    const roles = Object.fromEntries((await me(dev.token)).memberships.map((membership) => [membership.org.id, membership.roles]));
    expect(roles).toEqual({ [org.id]: ["verified_developer"], [second.id]: ["support", "verified_developer"] });
    expect((await promotions(dev.id)).map((entry) => entry.orgId).sort()).toEqual([org.id, second.id].sort());
  });
});

describe("after verification", () => {
  const changes = (userId: string, action: string) =>
    t.services.database.db
      .select({ changes: auditLog.changes })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, userId)));

  it("a verified developer who changes their number stays verified while the new one waits for its code, shown unconfirmed; confirming it promotes no one again", async () => {
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id, { complete: true });
    expect((await verifyPhone(t, sent, dev.token, dev.phone)).json()).toMatchObject({ verified: true, roles: ["verified_developer"] });

    const fresh = uniquePhone();
    const sentCode = await t.request({ method: "POST", url: "/api/me/phone/code", token: dev.token, payload: { phone: fresh } });
    expect(sentCode.statusCode, sentCode.body).toBe(202);
    const waiting = await me(dev.token);
    // The new number is theirs at once, but not shown as confirmed anywhere.
    expect(waiting.profile).toMatchObject({ phone: fresh, phoneVerified: false });
    expect(waiting.onboarding).toMatchObject({ phoneVerified: false, verified: true });
    const seen = await t.request({ method: "GET", url: `/api/users/${dev.id}/profile`, token: admin.token });
    expect(seen.json()).toMatchObject({ phone: fresh, phoneVerified: false, onboarding: { phoneVerified: false } });
    // Their role and its rights stay meanwhile: in /api/me, in the directory and in what they may do.
    expect(waiting.memberships[0]).toMatchObject({ roles: ["verified_developer"], developerTrack: "verified" });
    expect(await createProject(dev.token)).toBe("created");
    const listed = await t.request({ method: "GET", url: `/api/developers/${dev.id}`, token: admin.token });
    expect(listed.json()).toMatchObject({ verified: true });
    expect(await changes(dev.id, "profile.updated")).toContainEqual({ changes: { phone: [dev.phone, fresh] } });

    const confirmed = await t.request({ method: "POST", url: "/api/me/phone/verify", token: dev.token, payload: { code: lastCode(sent, fresh) } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ phoneVerified: true, verified: true, roles: ["verified_developer"] });
    expect((await me(dev.token)).profile).toMatchObject({ phone: fresh, phoneVerified: true });
    expect(await promotions(dev.id)).toHaveLength(1);
  });

  it("the same holds when the number is changed by a profile edit, and for every other field and the picture", async () => {
    const dev = await buildDeveloper(t, org.id, { complete: true });
    await verifyPhone(t, sent, dev.token, dev.phone);
    const fresh = uniquePhone();
    const edited = await patchProfile(dev.token, {
      phone: fresh,
      displayName: "Renamed Dev",
      bio: `${GOOD_BIO} Now also mobile apps.`,
      nationalId: "NEW-4242",
      dateOfBirth: "1990-04-01",
      timezone: "Europe/Paris",
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ phone: fresh, phoneVerified: false, nationalId: "NEW-4242", dateOfBirth: "1990-04-01" });
    const avatar = await putAvatar(dev.token);
    expect(avatar.statusCode, avatar.body).toBe(200);
    const after = await me(dev.token);
    expect(after.profile.avatarUrl).toMatch(/^\/media\/avatars\//);
    expect(after.memberships[0]?.roles).toEqual(["verified_developer"]);
    expect(after.onboarding).toMatchObject({ verified: true, phoneVerified: false, profileComplete: true });
    expect((await verifyPhone(t, sent, dev.token, fresh)).json()).toMatchObject({ verified: true, roles: ["verified_developer"] });
    expect(await promotions(dev.id)).toHaveLength(1);
  });
});

describe("the OpenAPI document", () => {
  it("describes the onboarding, directory, profile and notification endpoints", async () => {
    const spec = (await t.request({ method: "GET", url: "/api/openapi.json" })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/me/avatar",
        "/api/me/phone/code",
        "/api/me/phone/verify",
        "/api/me/notifications",
        "/api/me/notifications/read",
        "/api/developers",
        "/api/developers/{userId}",
        "/api/users/{userId}/profile",
      ]),
    );
    expect(Object.keys(spec.paths["/api/users/{userId}/profile"] ?? {}).sort()).toEqual(["get", "patch"]);
  });
});
