import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, createTestContext, mailText, readMails, unique, type TestContext } from "../../../test/harness.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Created = { id: string; slug: string; admin: { user: { id: string; username: string }; roles: string[] } | null };

let t: TestContext;
let superuser: User;

beforeAll(async () => {
  t = await createTestContext();
  superuser = await buildUser(t, { isSuperuser: true });
});
afterAll(() => t.close());

const createOrg = (payload: Record<string, unknown>, token = superuser.token) => t.request({ method: "POST", url: "/api/orgs", token, payload });

describe("a superuser creates an organization and names its first admin", () => {
  it("a new person gets an account, the admin role and a set-password email; once set, they run the organization", async () => {
    const slug = unique("firm-").toLowerCase();
    const username = unique("boss");
    const response = await createOrg({ slug, name: "Firm", admin: { email: `${username}@example.test`, username } });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<Created>();
    expect(created.admin).toMatchObject({ user: { username }, roles: ["admin"] });

    const mail = mailText((await readMails(t)).find((raw) => raw.includes(`To: ${username}@example.test`)) ?? "");
    expect(mail).toContain("Subject: You have been added to Firm");
    const token = /reset-password\?token=([\w-]+)/.exec(mail)?.[1];
    // The one layout: a plain-text part and an HTML part whose button carries the same link.
    expect(mail).toContain("Content-Type: text/plain");
    expect(mail).toContain("Content-Type: text/html");
    expect(mail).toContain(`Set your password: ${t.services.config.publicUrl}/reset-password?token=${token}&welcome=1`);
    expect(mail).toContain(`href="${t.services.config.publicUrl}/reset-password?token=${token}&amp;welcome=1"`);
    // An expired link says where to ask for a new one.
    expect(mail).toContain(`Ask for a new link: ${t.services.config.publicUrl}/forgot-password`);
    const password = "Amber-Harbor-Violet-77";
    expect((await t.request({ method: "POST", url: "/api/auth/password-reset/confirm", payload: { token, newPassword: password } })).statusCode).toBe(204);
    const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password } });
    const access = login.json<{ access: string }>().access;
    const member = await t.request({
      method: "POST",
      url: `/api/orgs/${slug}/members`,
      token: access,
      payload: { email: `${username}-pm@example.test`, username: `${username}-pm`, roles: ["project_manager"] },
    });
    expect(member.statusCode).toBe(201);
  });

  it("an existing user (same email) joins as admin without a second account", async () => {
    const existing = await buildUser(t);
    const response = await createOrg({ slug: unique("joined-").toLowerCase(), name: "Joined", admin: { email: existing.email, username: "ignored-name" } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Created>().admin?.user.id).toBe(existing.id);
    const me = await t.request({ method: "GET", url: "/api/me", token: (await t.request({ method: "POST", url: "/api/auth/login", payload: { login: existing.username, password: existing.password } })).json<{ access: string }>().access });
    const joined = me.json<{ memberships: Array<{ org: { name: string }; roles: string[] }> }>().memberships.find((membership) => membership.org.name === "Joined");
    expect(joined?.roles).toEqual(["admin"]);
  });

  it("creates nothing when the admin cannot be created, and nothing for anyone but the superuser", async () => {
    const taken = await buildUser(t);
    const slug = unique("never-").toLowerCase();
    const clash = await createOrg({ slug, name: "Never", admin: { email: `${unique("fresh")}@example.test`, username: taken.username } });
    expect(clash.statusCode).toBe(409);
    expect((await t.request({ method: "GET", url: `/api/orgs/${slug}`, token: superuser.token })).statusCode).toBe(404);
    expect((await createOrg({ slug, name: "Never" }, taken.token)).statusCode).toBe(403);
  });

  it("lets the superuser see every organization", async () => {
    const all = await t.request({ method: "GET", url: "/api/orgs?pageSize=100", token: superuser.token });
    const slugs = all.json<{ items: Array<{ slug: string }> }>().items.map((org) => org.slug);
    expect(slugs).toContain("cairn");
    expect(slugs.length).toBeGreaterThanOrEqual(3);
  });
});
