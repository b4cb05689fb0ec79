import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../platform/audit/audit.table.js";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { buildDeveloper, captureSms, GOOD_BIO, image, upload, verifyPhone } from "../onboarding/onboarding.test-util.js";

let t: TestContext;
let orgA: { id: string; slug: string };
let orgB: { id: string; slug: string };
beforeAll(async () => {
  t = await createTestContext();
  orgA = await buildOrg(t);
  orgB = await buildOrg(t);
});
afterAll(() => t.close());

type UserProfile = { userId: string; username: string; nationalId: string | null; phone: string | null; bio: string; onboarding: { missing: string[] } };
const audits = (userId: string, action: string) =>
  t.services.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, userId), eq(auditLog.action, action)));

describe("GET/PATCH /api/users/{userId}/profile", () => {
  it("shows an org admin every field of a member's profile, and audits the reading", async () => {
    const admin = await buildUser(t, { orgId: orgA.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, orgA.id, { complete: true });
    const response = await t.request({ method: "GET", url: `/api/users/${dev.id}/profile`, token: admin.token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<UserProfile>()).toMatchObject({ userId: dev.id, username: dev.username, nationalId: "AB-123456", phone: dev.phone, onboarding: { missing: [] } });
    const [entry] = await audits(dev.id, "profile.viewed");
    expect(entry).toMatchObject({ orgId: orgA.id, actorId: admin.id, entityType: "profile" });
  });

  it("lets the admin edit it, audited under the organization; completing it promotes a verified-phone developer", async () => {
    const admin = await buildUser(t, { orgId: orgA.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, orgA.id);
    const sent = captureSms(t);
    await t.request({ method: "PATCH", url: "/api/me/profile", token: dev.token, payload: { bio: GOOD_BIO } });
    await t.request({ method: "PUT", url: "/api/me/avatar", token: dev.token, payload: upload(await image("png")) });
    await verifyPhone(t, sent, dev.token, dev.phone);
    const response = await t.request({ method: "PATCH", url: `/api/users/${dev.id}/profile`, token: admin.token, payload: { nationalId: "CH-556677", displayName: "Fixed Name" } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<UserProfile>()).toMatchObject({ nationalId: "CH-556677", onboarding: { missing: [] } });
    const entry = (await audits(dev.id, "profile.updated")).find((row) => row.actorId === admin.id);
    expect(entry).toMatchObject({ orgId: orgA.id, changes: { nationalId: [null, "CH-556677"], displayName: [dev.username, "Fixed Name"] } });
    const me = await t.request({ method: "GET", url: "/api/me", token: dev.token });
    expect(me.json<{ memberships: Array<{ roles: string[] }> }>().memberships[0]?.roles).toEqual(["verified_developer"]);
    const invalid = await t.request({ method: "PATCH", url: `/api/users/${dev.id}/profile`, token: admin.token, payload: { nationalId: "no spaces allowed", timezone: "Mars/Base" } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: Array<{ path: string }> }>().errors.map((error) => error.path).sort()).toEqual(["nationalId", "timezone"]);
  });

  it("is a 404 for a user of another organization and a 403 naming the permission for others", async () => {
    const admin = await buildUser(t, { orgId: orgA.id, roles: ["admin"] });
    const stranger = await buildUser(t, { orgId: orgB.id, roles: ["developer"] });
    const dev = await buildDeveloper(t, orgA.id);
    expect((await t.request({ method: "GET", url: `/api/users/${stranger.id}/profile`, token: admin.token })).statusCode).toBe(404);
    expect((await t.request({ method: "PATCH", url: `/api/users/${stranger.id}/profile`, token: admin.token, payload: { bio: "x" } })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `/api/users/${crypto.randomUUID()}/profile`, token: admin.token })).statusCode).toBe(404);
    const manager = await buildUser(t, { orgId: orgA.id, roles: ["project_manager"] });
    const view = await t.request({ method: "GET", url: `/api/users/${dev.id}/profile`, token: manager.token });
    expect(view.statusCode).toBe(403);
    expect(view.json<{ detail: string }>().detail).toBe("You need the profiles.view_any permission.");
    const change = await t.request({ method: "PATCH", url: `/api/users/${dev.id}/profile`, token: manager.token, payload: { bio: "x" } });
    expect(change.json<{ detail: string }>().detail).toBe("You need the profiles.change_any permission.");
    // Even the owner goes through /api/me for their own profile.
    expect((await t.request({ method: "GET", url: `/api/users/${dev.id}/profile`, token: dev.token })).statusCode).toBe(403);
  });

  it("lets an admin of a second organization the user also belongs to see them", async () => {
    const adminB = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
    const both = await buildDeveloper(t, orgA.id);
    const added = await t.request({ method: "POST", url: `/api/orgs/${orgB.slug}/members`, token: adminB.token, payload: { email: both.email, username: both.username, roles: ["customer"] } });
    expect(added.statusCode, added.body).toBe(201);
    const response = await t.request({ method: "GET", url: `/api/users/${both.id}/profile`, token: adminB.token });
    expect(response.statusCode).toBe(200);
    const [entry] = await audits(both.id, "profile.viewed");
    expect(entry?.orgId).toBe(orgB.id);
  });
});

