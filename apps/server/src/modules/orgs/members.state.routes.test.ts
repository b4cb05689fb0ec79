import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, mailText, readMails, unique, type TestContext } from "../../../test/harness.js";

/**
 * What the people pages need from the API instead of re-deriving it: a member's state
 * (invited until the password is set), pickers filtered by permission, the caller's
 * allowed actions on organizations, members and roles, and custom roles that can go.
 */

type Member = { user: { id: string; username: string }; roles: string[]; state: string; allowedActions: string[] };
type Page<T> = { items: T[]; total: number };
type Role = { key: string; isSystem: boolean; memberCount: number; allowedActions: string[] };

let t: TestContext;
let org: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof buildUser>>;
let manager: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
});
afterAll(() => t.close());

const members = (query: string, token = admin.token) => t.request({ method: "GET", url: `/api/orgs/${org.slug}/members?${query}`, token });

async function invite(roles: string[]) {
  const username = unique("invitee");
  const response = await t.request({
    method: "POST",
    url: `/api/orgs/${org.slug}/members`,
    token: admin.token,
    payload: { email: `${username}@example.test`, username, roles },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Member>();
}

describe("member state and invitations", () => {
  it("shows an invited member as invited until they set a password, and sends the invitation again", async () => {
    const invited = await invite(["developer"]);
    expect(invited.state).toBe("invited");
    expect(invited.allowedActions).toEqual(expect.arrayContaining(["changeRoles", "deactivate", "resendInvitation"]));
    const listed = await members("state=invited");
    expect(listed.json<Page<Member>>().items.map((member) => member.user.id)).toContain(invited.user.id);
    expect(listed.json<Page<Member>>().items.every((member) => member.state === "invited")).toBe(true);

    const before = (await readMails(t)).length;
    const resend = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members/${invited.user.id}/invitation`, token: admin.token });
    expect(resend.statusCode, resend.body).toBe(202);
    const mails = await readMails(t);
    expect(mails.length).toBe(before + 1);
    expect(mailText(mails.at(-1) ?? "")).toMatch(/reset-password\?token=[\w-]+&welcome=1/);

    const active = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members/${admin.id}/invitation`, token: admin.token });
    expect(active.statusCode).toBe(409);
    expect(active.json<{ code: string }>().code).toBe("not_invited");
    const byManager = await t.request({ method: "POST", url: `/api/orgs/${org.slug}/members/${invited.user.id}/invitation`, token: manager.token });
    expect(byManager.statusCode).toBe(403);
  });

  it("filters members by a permission any of their roles grants, so custom roles appear in pickers", async () => {
    const custom = await t.request({
      method: "POST",
      url: `/api/orgs/${org.slug}/roles`,
      token: admin.token,
      payload: { key: "team_lead", name: "Team lead", permissions: ["teams.manage", "projects.view"] },
    });
    expect(custom.statusCode, custom.body).toBe(201);
    const lead = await buildUser(t, { orgId: org.id, roles: ["team_lead"] });
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const ids = (await members("permission=teams.manage&pageSize=100")).json<Page<Member>>().items.map((member) => member.user.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, manager.id, lead.id]));
    expect(ids).not.toContain(developer.id);
  });

  it("tells the caller what they may do with the organization and its members", async () => {
    const asAdmin = (await t.request({ method: "GET", url: `/api/orgs/${org.slug}`, token: admin.token })).json<{ allowedActions: string[] }>();
    expect(asAdmin.allowedActions).toEqual(["update", "viewMembers", "manageMembers", "manageRoles"]);
    const asManager = (await t.request({ method: "GET", url: `/api/orgs/${org.slug}`, token: manager.token })).json<{ allowedActions: string[] }>();
    expect(asManager.allowedActions).toEqual(["viewMembers"]);
    const seenByManager = (await members("pageSize=5", manager.token)).json<Page<Member>>().items;
    expect(seenByManager.every((member) => member.allowedActions.length === 0)).toBe(true);
  });
});

describe("custom roles can be deleted", () => {
  it("refuses while members hold the role, naming how many; deletes it once nobody does; keeps default roles", async () => {
    await t.request({ method: "POST", url: `/api/orgs/${org.slug}/roles`, token: admin.token, payload: { key: "auditor", name: "Auditor", permissions: ["audit.view"] } });
    const holder = await buildUser(t, { orgId: org.id, roles: ["auditor"] });
    const roles = (await t.request({ method: "GET", url: `/api/orgs/${org.slug}/roles`, token: admin.token })).json<{ items: Role[] }>().items;
    const auditor = roles.find((role) => role.key === "auditor");
    expect(auditor).toMatchObject({ memberCount: 1, allowedActions: ["update", "delete"] });
    expect(roles.find((role) => role.key === "admin")?.allowedActions).toEqual(["update"]);

    const held = await t.request({ method: "DELETE", url: `/api/orgs/${org.slug}/roles/auditor`, token: admin.token });
    expect(held.statusCode).toBe(409);
    expect(held.json<{ detail: string }>().detail).toMatch(/^1 member holds the role Auditor/);

    await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${holder.id}`, token: admin.token, payload: { roles: ["developer"] } });
    const deleted = await t.request({ method: "DELETE", url: `/api/orgs/${org.slug}/roles/auditor`, token: admin.token });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const after = (await t.request({ method: "GET", url: `/api/orgs/${org.slug}/roles`, token: admin.token })).json<{ items: Role[] }>().items;
    expect(after.map((role) => role.key)).not.toContain("auditor");

    const system = await t.request({ method: "DELETE", url: `/api/orgs/${org.slug}/roles/admin`, token: admin.token });
    expect(system.statusCode).toBe(403);
    const byManager = await t.request({ method: "DELETE", url: `/api/orgs/${org.slug}/roles/team_lead`, token: manager.token });
    expect(byManager.statusCode).toBe(403);
  });
});
