import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../../platform/audit/audit.table.js";
import {
  buildOrg,
  buildUser,
  captureEvents,
  createTestContext,
  unique,
  type TestContext,
} from "../../../test/harness.js";
import { buildDeveloper, captureSms, verifyPhone, type SentSms } from "./onboarding.test-util.js";

/*
 * The developer track is a role attribute: who is a developer, who is verified, and
 * what promotion swaps are read from `developerTrack`, never from a role's key.
 */

type Member = {
  user: { id: string; username: string };
  roles: string[];
  developerTrack: string | null;
  allowedActions: string[];
};
type Me = {
  memberships: Array<{ org: { id: string }; roles: string[]; developerTrack: string | null }>;
  onboarding: { verified: boolean; isDeveloper: boolean };
};
type Developer = { id: string; verified: boolean; roles: string[] };
type DeveloperDetail = Developer & { orgs: Array<{ id: string; roles: string[]; verified: boolean }> };

let t: TestContext;
let org: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof buildUser>>;
let sent: SentSms[];

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
});
beforeEach(() => {
  sent = captureSms(t);
});
afterAll(() => t.close());

const me = async (token: string) => (await t.request({ method: "GET", url: "/api/me", token })).json<Me>();
const membershipIn = async (token: string, orgId: string) =>
  (await me(token)).memberships.find((membership) => membership.org.id === orgId);
const verification = (token: string, userId: string, verified: boolean, slug = org.slug) =>
  t.request({
    method: "POST",
    url: `/api/orgs/${slug}/members/${userId}/verification`,
    token,
    payload: { verified },
  });
const members = async (token: string, query = "") => {
  const response = await t.request({
    method: "GET",
    url: `/api/orgs/${org.slug}/members?pageSize=100${query}`,
    token,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Member[] }>().items;
};
const memberOf = async (userId: string) =>
  (await members(admin.token)).find((member) => member.user.id === userId);
const directory = async (token: string, query = "") => {
  const response = await t.request({
    method: "GET",
    url: `/api/developers?org=${org.slug}&pageSize=100${query}`,
    token,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Developer[] }>().items;
};
const auditEntries = (action: string, userId: string) =>
  t.services.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, userId)));
const notificationsOf = async (token: string) =>
  (await t.request({ method: "GET", url: "/api/me/notifications", token })).json<{
    items: Array<{ kind: string; title: string; body: string }>;
  }>().items;

/** POST /api/orgs/{org}/roles as the admin: a custom role. */
async function createRole(payload: Record<string, unknown>) {
  const response = await t.request({
    method: "POST",
    url: `/api/orgs/${org.slug}/roles`,
    token: admin.token,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ key: string; developerTrack: string | null }>();
}

describe("roles carry the developer track", () => {
  it("the default developer roles are on it, the others are not, and default roles keep theirs", async () => {
    const list = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/roles`, token: admin.token });
    const tracks = Object.fromEntries(
      list
        .json<{ items: Array<{ key: string; isSystem: boolean; developerTrack: string | null }> }>()
        .items.filter((role) => role.isSystem)
        .map((role) => [role.key, role.developerTrack]),
    );
    expect(tracks).toMatchObject({
      developer: "unverified",
      verified_developer: "verified",
      admin: null,
      customer: null,
      support: null,
    });
    const locked = await t.request({
      method: "PATCH",
      url: `/api/orgs/${org.slug}/roles/developer`,
      token: admin.token,
      payload: { developerTrack: "verified" },
    });
    expect(locked.statusCode, locked.body).toBe(409);
    expect(locked.json<{ errors: Array<{ path: string }> }>().errors).toEqual([
      expect.objectContaining({ path: "developerTrack" }),
    ]);
    const unchanged = await t.request({
      method: "PATCH",
      url: `/api/orgs/${org.slug}/roles/developer`,
      token: admin.token,
      payload: { developerTrack: "unverified", name: "Developer" },
    });
    expect(unchanged.statusCode, unchanged.body).toBe(200);
  });

  it("a custom verified-track role makes its holders verified in the directory and in /api/me", async () => {
    const role = await createRole({
      key: unique("senior_").toLowerCase(),
      name: "Senior engineer",
      permissions: ["developers.view", "projects.view", "projects.add"],
      developerTrack: "verified",
    });
    expect(role.developerTrack).toBe("verified");
    const senior = await buildDeveloper(t, org.id, { roles: [role.key] });

    const mine = await me(senior.token);
    expect(mine.onboarding).toMatchObject({ verified: true, isDeveloper: true });
    expect(mine.memberships[0]).toMatchObject({ roles: [role.key], developerTrack: "verified" });

    const listed = (await directory(admin.token)).find((developer) => developer.id === senior.id);
    expect(listed).toMatchObject({ verified: true, roles: [role.key] });
    expect((await directory(admin.token, "&verified=true")).map((developer) => developer.id)).toContain(
      senior.id,
    );
    expect((await directory(admin.token, "&verified=false")).map((developer) => developer.id)).not.toContain(
      senior.id,
    );
    const detail = (
      await t.request({ method: "GET", url: `/api/developers/${senior.id}`, token: admin.token })
    ).json<DeveloperDetail>();
    expect(detail).toMatchObject({
      verified: true,
      orgs: [{ id: org.id, roles: [role.key], verified: true }],
    });

    const seniorListed = await memberOf(senior.id);
    expect(seniorListed?.developerTrack).toBe("verified");
    expect(seniorListed?.allowedActions).toContain("demote");
  });

  it("a role off the track keeps its holders out of the directory; putting it on the track lists them at once", async () => {
    const role = await createRole({
      key: unique("intern_").toLowerCase(),
      name: "Intern",
      permissions: ["developers.view", "projects.view"],
    });
    const intern = await buildUser(t, { orgId: org.id, roles: [role.key] });
    expect((await me(intern.token)).onboarding).toMatchObject({ verified: false, isDeveloper: false });
    expect((await directory(admin.token)).map((developer) => developer.id)).not.toContain(intern.id);
    expect(await memberOf(intern.id)).toMatchObject({ developerTrack: null });

    const patched = await t.request({
      method: "PATCH",
      url: `/api/orgs/${org.slug}/roles/${role.key}`,
      token: admin.token,
      payload: { developerTrack: "unverified" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // The role change drops the holders' cached principal: /api/me follows without a new sign-in.
    expect(await membershipIn(intern.token, org.id)).toMatchObject({ developerTrack: "unverified" });
    expect((await me(intern.token)).onboarding).toMatchObject({ verified: false, isDeveloper: true });
    expect((await directory(admin.token)).find((developer) => developer.id === intern.id)).toMatchObject({
      verified: false,
    });
    const internListed = await memberOf(intern.id);
    expect(internListed?.developerTrack).toBe("unverified");
    expect(internListed?.allowedActions).toContain("promote");
  });
});

describe("POST /api/orgs/{org}/members/{userId}/verification", () => {
  it("promotes a developer: their unverified roles give way to the default verified one, other roles stay; audited and notified", async () => {
    const events = captureEvents(t, ["developer.verified", "member.role_changed"]);
    const dev = await buildDeveloper(t, org.id, { roles: ["developer", "support"] });
    const devListed = await memberOf(dev.id);
    expect(devListed?.developerTrack).toBe("unverified");
    expect(devListed?.allowedActions).toContain("promote");
    expect(devListed?.allowedActions).not.toContain("demote");

    const promoted = await verification(admin.token, dev.id, true);
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json<Member>()).toMatchObject({
      roles: ["support", "verified_developer"],
      developerTrack: "verified",
    });
    expect(promoted.json<Member>().allowedActions).toContain("demote");
    expect(promoted.json<Member>().allowedActions).not.toContain("promote");
    expect(await membershipIn(dev.token, org.id)).toMatchObject({
      developerTrack: "verified",
      roles: ["support", "verified_developer"],
    });
    expect((await me(dev.token)).onboarding.verified).toBe(true);

    const [entry, ...more] = await auditEntries("developer.verified", dev.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      orgId: org.id,
      actorId: admin.id,
      changes: {
        roles: [
          ["developer", "support"],
          ["support", "verified_developer"],
        ],
      },
    });
    expect(events.map((event) => event.name)).toEqual(["developer.verified"]);
    const [told] = await notificationsOf(dev.token);
    expect(told?.kind).toBe("developer.verified");
    expect(told?.body).toContain("An administrator");

    // Asking again changes nothing: no second entry, no second notification.
    const again = await verification(admin.token, dev.id, true);
    expect(again.statusCode).toBe(200);
    expect(await auditEntries("developer.verified", dev.id)).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it("demotes a verified developer to the default unverified role, as member.role_changed", async () => {
    const dev = await buildDeveloper(t, org.id, { roles: ["verified_developer"] });
    const demoted = await verification(admin.token, dev.id, false);
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(demoted.json<Member>()).toMatchObject({ roles: ["developer"], developerTrack: "unverified" });
    const mine = await me(dev.token);
    expect(mine.onboarding).toMatchObject({ verified: false, isDeveloper: true });
    expect(await auditEntries("developer.unverified", dev.id)).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        changes: { roles: [["verified_developer"], ["developer"]] },
      }),
    ]);
    expect((await notificationsOf(dev.token))[0]).toMatchObject({
      kind: "member.role_changed",
      title: "Your roles have changed",
    });
  });

  it("moves holders of custom track roles to the organization's default role of the other step", async () => {
    const role = await createRole({
      key: unique("lead_").toLowerCase(),
      name: "Lead developer",
      permissions: ["developers.view", "projects.view", "projects.add"],
      developerTrack: "verified",
    });
    const lead = await buildDeveloper(t, org.id, { roles: [role.key] });
    const demoted = await verification(admin.token, lead.id, false);
    expect(demoted.json<Member>()).toMatchObject({ roles: ["developer"], developerTrack: "unverified" });
    const promoted = await verification(admin.token, lead.id, true);
    expect(promoted.json<Member>()).toMatchObject({
      roles: ["verified_developer"],
      developerTrack: "verified",
    });
  });

  it("answers 409 for a member off the developer track, and changes nothing", async () => {
    const customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    expect((await memberOf(customer.id))?.allowedActions).not.toEqual(expect.arrayContaining(["promote"]));
    const refused = await verification(admin.token, customer.id, true);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<{ code: string; detail: string }>()).toMatchObject({
      code: "not_on_developer_track",
    });
    expect(refused.json<{ detail: string }>().detail).toContain(customer.username);
    expect((await membershipIn(customer.token, org.id))?.roles).toEqual(["customer"]);
  });

  it("is for members.manage only: 403 for other members, who are offered neither action", async () => {
    const dev = await buildDeveloper(t, org.id);
    const manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
    const listed = (await members(manager.token)).find((member) => member.user.id === dev.id);
    expect(listed).toMatchObject({ developerTrack: "unverified", allowedActions: [] });
    for (const token of [manager.token, dev.token]) {
      const refused = await verification(token, dev.id, true);
      expect(refused.statusCode, refused.body).toBe(403);
    }
    expect((await membershipIn(dev.token, org.id))?.roles).toEqual(["developer"]);
  });

  it("answers 404 across organizations", async () => {
    const other = await buildOrg(t);
    const stranger = await buildDeveloper(t, other.id);
    // The admin's organization, another organization's developer: no such member here.
    const elsewhere = await verification(admin.token, stranger.id, true);
    expect(elsewhere.statusCode, elsewhere.body).toBe(404);
    // Another organization's path: the admin is nobody there.
    const foreign = await verification(admin.token, stranger.id, true, other.slug);
    expect([403, 404]).toContain(foreign.statusCode);
    const otherAdmin = await buildUser(t, { orgId: other.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id);
    expect((await verification(otherAdmin.token, dev.id, true, other.slug)).statusCode).toBe(404);
    expect((await membershipIn(stranger.token, other.id))?.roles).toEqual(["developer"]);
    expect((await membershipIn(dev.token, org.id))?.roles).toEqual(["developer"]);
  });

  it("is documented in the OpenAPI document", async () => {
    const spec = (await t.request({ method: "GET", url: "/api/openapi.json" })).json<{
      paths: Record<string, Record<string, { summary?: string }>>;
    }>();
    expect(spec.paths["/api/orgs/{org}/members/{userId}/verification"]?.post?.summary).toMatch(
      /developer track.*members\.manage.*409/,
    );
  });
});

describe("onboarding promotes by the attribute", () => {
  it("a holder of a custom unverified-track role becomes the organization's default verified developer", async () => {
    const role = await createRole({
      key: unique("trainee_").toLowerCase(),
      name: "Trainee",
      permissions: ["developers.view", "projects.view"],
      developerTrack: "unverified",
    });
    const trainee = await buildDeveloper(t, org.id, { roles: [role.key, "support"], complete: true });
    const verified = await verifyPhone(t, sent, trainee.token, trainee.phone);
    expect(verified.json<{ verified: boolean; roles: string[] }>()).toMatchObject({
      verified: true,
      roles: ["support", "verified_developer"],
    });
    expect(await membershipIn(trainee.token, org.id)).toMatchObject({
      developerTrack: "verified",
      roles: ["support", "verified_developer"],
    });
    expect(await auditEntries("developer.verified", trainee.id)).toHaveLength(1);
  });

  it("an admin's promotion counts: after a demotion, onboarding does not promote again", async () => {
    const dev = await buildDeveloper(t, org.id, { complete: true });
    expect((await verification(admin.token, dev.id, true)).statusCode).toBe(200);
    expect((await verification(admin.token, dev.id, false)).statusCode).toBe(200);
    expect((await verifyPhone(t, sent, dev.token, dev.phone)).json<{ verified: boolean }>().verified).toBe(
      false,
    );
    expect((await membershipIn(dev.token, org.id))?.roles).toEqual(["developer"]);
  });
});

describe("people pickers filter by permission", () => {
  it("withoutPermission leaves out members holding it: customers are those who file tickets but do not see the staff", async () => {
    const customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    const support = await buildUser(t, { orgId: org.id, roles: ["support"] });
    const dev = await buildDeveloper(t, org.id);
    const ids = (await members(admin.token, "&permission=tickets.add&withoutPermission=members.view")).map(
      (member) => member.user.id,
    );
    expect(ids).toContain(customer.id);
    expect(ids).not.toContain(support.id);
    expect(ids).not.toContain(dev.id);
    expect(ids).not.toContain(admin.id);
  });
});
