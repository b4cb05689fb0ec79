import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { buildOrg, buildUser, createTestContext, mailText, readMails, unique, type TestContext } from "../../../test/harness.js";

let t: TestContext;
let org: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
});
afterAll(() => t.close());

type Member = { user: { id: string; username: string; email?: string }; roles: string[]; isActive: boolean };

async function auditCount(action: string, entityId: string) {
  const result: unknown = await t.services.database.db.execute(
    sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`,
  );
  return Number((result as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
}

describe("members", () => {
  it("an admin creates a member who gets a set-password email and can then sign in", async () => {
    const username = unique("new");
    const email = `${username}@example.test`;
    const created = await t.request({
      method: "POST",
      url: `/api/orgs/${org.slug}/members`,
      token: admin.token,
      payload: { email, username, roles: ["salesperson"] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<Member>().roles).toEqual(["salesperson"]);
    const mail = mailText((await readMails(t)).find((raw) => raw.includes(`To: ${email}`)) ?? "");
    const token = /reset-password\?token=([\w-]+)&welcome=1/.exec(mail)?.[1];
    expect(token).toBeTruthy();
    const password = "Velvet-Canyon-Orbit-58";
    expect((await t.request({ method: "POST", url: "/api/auth/password-reset/confirm", payload: { token, newPassword: password } })).statusCode).toBe(204);
    const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password } });
    expect(login.statusCode).toBe(200);
    const me = await t.request({ method: "GET", url: "/api/me", token: login.json<{ access: string }>().access });
    const memberships = me.json<{ memberships: Array<{ org: { id: string }; roles: string[] }> }>().memberships;
    expect(memberships.find((membership) => membership.org.id === org.id)?.roles).toEqual(["salesperson"]);
  });

  it("adds an existing user (same email) and refuses a second time with 409", async () => {
    const other = await buildUser(t);
    const add = () =>
      t.request({ method: "POST", url: `/api/orgs/${org.slug}/members`, token: admin.token, payload: { email: other.email, username: other.username, roles: ["support"] } });
    expect((await add()).statusCode).toBe(201);
    const again = await add();
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe("already_member");
  });

  it("refuses unknown roles with 400 and creates nobody", async () => {
    const username = unique("ghost");
    const response = await t.request({
      method: "POST",
      url: `/api/orgs/${org.slug}/members`,
      token: admin.token,
      payload: { email: `${username}@example.test`, username, roles: ["wizard"] },
    });
    expect(response.statusCode).toBe(400);
    const login = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?search=${username}`, token: admin.token });
    expect(login.json<{ total: number }>().total).toBe(0);
  });

  it("a developer cannot change roles (403 naming members.manage); the admin can, and it is audited", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const target = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    const denied = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${target.id}`, token: developer.token, payload: { roles: ["admin"] } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ detail: string }>().detail).toContain("members.manage");
    const changed = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${target.id}`, token: admin.token, payload: { roles: ["verifier"] } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Member>().roles).toEqual(["verifier"]);
    expect(await auditCount("member.role_changed", target.id)).toBe(1);
    // The change is visible at once in the member's own /api/me (the permission cache was invalidated).
    const me = await t.request({ method: "GET", url: "/api/me", token: target.token });
    const membership = me.json<{ memberships: Array<{ org: { id: string }; roles: string[]; permissions: string[] }> }>().memberships.find((m) => m.org.id === org.id);
    expect(membership?.roles).toEqual(["verifier"]);
    expect(membership?.permissions).toContain("payments.verify");
  });

  it("an admin of org A gets 404 for org B's members", async () => {
    const orgB = await buildOrg(t);
    const adminB = await buildUser(t, { orgId: orgB.id, roles: ["admin"] });
    expect((await t.request({ method: "GET", url: `/api/orgs/${orgB.slug}/members`, token: admin.token })).statusCode).toBe(404);
    const write = await t.request({ method: "PATCH", url: `/api/orgs/${orgB.id}/members/${adminB.id}`, token: admin.token, payload: { isActive: false } });
    expect(write.statusCode).toBe(404);
    const still = await t.request({ method: "GET", url: `/api/orgs/${orgB.slug}/members`, token: adminB.token });
    expect(still.json<{ items: Member[] }>().items.find((m) => m.user.id === adminB.id)?.isActive).toBe(true);
  });

  it("a deactivated member loses the organization at once; reactivation restores it", async () => {
    const member = await buildUser(t, { orgId: org.id, roles: ["support"] });
    const off = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${member.id}`, token: admin.token, payload: { isActive: false } });
    expect(off.json<Member>().isActive).toBe(false);
    expect((await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members`, token: member.token })).statusCode).toBe(404);
    await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${member.id}`, token: admin.token, payload: { isActive: true } });
    expect((await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members`, token: member.token })).statusCode).toBe(200);
  });

  it("keeps at least one member who can manage roles, and changes nothing when refused", async () => {
    const lonelyOrg = await buildOrg(t);
    const onlyAdmin = await buildUser(t, { orgId: lonelyOrg.id, roles: ["admin"] });
    const response = await t.request({ method: "PATCH", url: `/api/orgs/${lonelyOrg.slug}/members/${onlyAdmin.id}`, token: onlyAdmin.token, payload: { roles: ["customer"] } });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ code: string }>().code).toBe("last_admin");
    const list = await t.request({ method: "GET", url: `/api/orgs/${lonelyOrg.slug}/members`, token: onlyAdmin.token });
    expect(list.json<{ items: Member[] }>().items[0]?.roles).toEqual(["admin"]);
    expect(await auditCount("member.role_changed", onlyAdmin.id)).toBe(0);
  });

  it("lists with search, role filter, ordering and pagination; emails only for admins", async () => {
    const prefix = unique("zeta").toLowerCase();
    for (const suffix of ["a", "b", "c"]) await buildUser(t, { orgId: org.id, roles: ["customer"], username: `${prefix}${suffix}` });
    const page = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?search=${prefix}&ordering=-username&pageSize=2`, token: admin.token });
    const body = page.json<{ items: Member[]; total: number; pageSize: number }>();
    expect(body.total).toBe(3);
    expect(body.items.map((m) => m.user.username)).toEqual([`${prefix}c`, `${prefix}b`]);
    expect(body.items[0]?.user.email).toContain("@example.test");
    const salesperson = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
    const seen = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?search=${prefix}&role=customer`, token: salesperson.token });
    expect(seen.json<{ total: number; items: Member[] }>().total).toBe(3);
    expect(seen.json<{ items: Member[] }>().items[0]?.user.email).toBeUndefined();
    const none = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?search=${prefix}&role=verifier`, token: admin.token });
    expect(none.json<{ total: number }>().total).toBe(0);
    expect((await t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?pageSize=101`, token: admin.token })).statusCode).toBe(400);
  });
});

describe("roles", () => {
  it("custom roles: create, grant, assign, and a change reaches holders at once", async () => {
    const created = await t.request({
      method: "POST",
      url: `/api/orgs/${org.slug}/roles`,
      token: admin.token,
      payload: { key: "auditor", name: "Auditor", permissions: ["audit.view", "projects.view"] },
    });
    expect(created.statusCode).toBe(201);
    const holder = await buildUser(t, { orgId: org.id, roles: ["auditor"] });
    const permissions = async () =>
      (await t.request({ method: "GET", url: "/api/me", token: holder.token }))
        .json<{ memberships: Array<{ org: { id: string }; permissions: string[] }> }>()
        .memberships.find((m) => m.org.id === org.id)?.permissions;
    expect(await permissions()).toEqual(["audit.view", "projects.view"]);
    const patched = await t.request({
      method: "PATCH",
      url: `/api/orgs/${org.slug}/roles/auditor`,
      token: admin.token,
      payload: { permissions: ["audit.view", "projects.view", "reports.view"] },
    });
    expect(patched.statusCode).toBe(200);
    expect(await permissions()).toEqual(["audit.view", "projects.view", "reports.view"]);
  });

  it("refuses unknown permissions and duplicate keys", async () => {
    const bad = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/roles`, token: admin.token, payload: { key: "odd", name: "Odd", permissions: ["projects.fly"] } });
    expect(bad.statusCode).toBe(400);
    const duplicate = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/roles`, token: admin.token, payload: { key: "admin", name: "Again", permissions: [] } });
    expect(duplicate.statusCode).toBe(409);
  });

  it("default roles keep their permissions but may be renamed", async () => {
    const locked = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/roles/customer`, token: admin.token, payload: { permissions: ["projects.delete"] } });
    expect(locked.statusCode).toBe(409);
    const renamed = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/roles/customer`, token: admin.token, payload: { name: "Client" } });
    expect(renamed.json<{ name: string; permissions: string[] }>().name).toBe("Client");
    expect(renamed.json<{ permissions: string[] }>().permissions).not.toContain("projects.delete");
  });

  it("lists the eight default roles with projectLimit and grants", async () => {
    const list = await t.request({ method: "GET", url: `/api/orgs/${org.slug}/roles`, token: admin.token });
    const items = list.json<{ items: Array<{ key: string; projectLimit: number | null; isSystem: boolean; ownScoped: string[] }> }>().items;
    expect(items.filter((role) => role.isSystem).map((role) => role.key).sort()).toEqual(
      ["admin", "customer", "developer", "project_manager", "salesperson", "support", "verified_developer", "verifier"],
    );
    expect(items.find((role) => role.key === "developer")?.projectLimit).toBe(1);
    // The developer track is a role attribute: the two default developer roles carry it, no other.
    const tracks = list
      .json<{ items: Array<{ key: string; isSystem: boolean; developerTrack: string | null }> }>()
      .items.filter((role) => role.isSystem && role.developerTrack !== null)
      .map((role) => [role.key, role.developerTrack])
      .sort();
    expect(tracks).toEqual([
      ["developer", "unverified"],
      ["verified_developer", "verified"],
    ]);
    expect(items.find((role) => role.key === "customer")?.ownScoped).toContain("projects.view_financials");
  });

  it("the permission catalog lists every codename with its area", async () => {
    const catalog = await t.request({ method: "GET", url: "/api/permissions" });
    const items = catalog.json<{ items: Array<{ codename: string; area: string }> }>().items;
    expect(items).toContainEqual(expect.objectContaining({ codename: "members.manage", area: "members" }));
    expect(items.length).toBeGreaterThanOrEqual(26);
  });
});

describe("organizations", () => {
  it("the superuser sees every organization; a member sees their own", async () => {
    const superuser = await buildUser(t, { isSuperuser: true });
    const all = await t.request({ method: "GET", url: "/api/orgs?pageSize=100", token: superuser.token });
    expect(all.json<{ items: Array<{ id: string }> }>().items.map((o) => o.id)).toContain(org.id);
    const mine = await t.request({ method: "GET", url: "/api/orgs", token: admin.token });
    expect(mine.json<{ items: Array<{ id: string }> }>().items.map((o) => o.id)).toEqual([org.id]);
  });

  it("the superuser creates an organization with the default roles; a duplicate slug is 409", async () => {
    const superuser = await buildUser(t, { isSuperuser: true });
    const slug = unique("new-org-").toLowerCase();
    const created = await t.request({ method: "POST", url: "/api/orgs", token: superuser.token, payload: { slug, name: "New Org" } });
    expect(created.statusCode).toBe(201);
    const roles = await t.request({ method: "GET", url: `/api/orgs/${slug}/roles`, token: superuser.token });
    expect(roles.json<{ items: unknown[] }>().items).toHaveLength(8);
    expect((await t.request({ method: "POST", url: "/api/orgs", token: superuser.token, payload: { slug, name: "Again" } })).statusCode).toBe(409);
  });
});

describe("an organization without an administrator", () => {
  it("the superuser can still change roles there (the last-admin rule guards only a removal)", async () => {
    const bare = await buildOrg(t);
    const member = await buildUser(t, { orgId: bare.id, roles: ["customer"] });
    const superuser = await buildUser(t, { isSuperuser: true });
    const response = await t.request({ method: "PATCH", url: `/api/orgs/${bare.slug}/members/${member.id}`, token: superuser.token, payload: { roles: ["support"] } });
    expect(response.statusCode).toBe(200);
    expect(response.json<Member>().roles).toEqual(["support"]);
  });
});
