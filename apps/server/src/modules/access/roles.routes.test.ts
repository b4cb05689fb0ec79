import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

/** Custom roles grant a permission on the holder's own objects only, the way the default roles do. */

type Role = { key: string; permissions: string[]; ownScoped: string[] };
type Problem = { errors: Array<{ path: string; message: string }> };

let t: TestContext;
let org: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof buildUser>>;
let sales: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
});
afterAll(() => t.close());

const createRole = (payload: Record<string, unknown>) =>
  t.request({ method: "POST", url: `/api/orgs/${org.slug}/roles`, token: admin.token, payload });
const patchRole = (key: string, payload: Record<string, unknown>) =>
  t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/roles/${key}`, token: admin.token, payload });
const newProject = async (token: string, body: Record<string, unknown>) => {
  const response = await t.request({ method: "POST", url: "/api/projects", token, payload: { orgId: org.id, ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
};
const auditedProjects = async (token: string) => {
  const response = await t.request({ method: "GET", url: `/api/audit?org=${org.slug}&action=project.created&pageSize=100`, token });
  expect(response.statusCode, response.body).toBe(200);
  return new Set(response.json<{ items: Array<{ entityId: string }> }>().items.map((entry) => entry.entityId));
};

describe("grants of scope own in custom roles", () => {
  it("a custom role reads the audit log of its holders' own projects only, and of every project once the grant covers everything", async () => {
    const created = await createRole({
      key: "lead",
      name: "Project lead",
      permissions: ["projects.view", "audit.view"],
      ownScoped: ["audit.view"],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<Role>()).toMatchObject({ permissions: ["projects.view", "audit.view"], ownScoped: ["audit.view"] });
    const lead = await buildUser(t, { orgId: org.id, roles: ["lead"] });
    const theirs = await newProject(sales.token, { name: "Led by the lead", managerId: lead.id });
    const others = await newProject(sales.token, { name: "Not theirs" });

    const own = await auditedProjects(lead.token);
    expect(own.has(theirs)).toBe(true);
    expect(own.has(others)).toBe(false);

    const widened = await patchRole("lead", { permissions: ["projects.view", "audit.view"], ownScoped: [] });
    expect(widened.statusCode, widened.body).toBe(200);
    expect(widened.json<Role>().ownScoped).toEqual([]);
    const every = await auditedProjects(lead.token);
    expect(every.has(others)).toBe(true);

    // The change is audited, before and after.
    const log = await t.request({ method: "GET", url: `/api/audit?org=${org.slug}&action=role.updated`, token: admin.token });
    expect(log.json<{ items: Array<{ changes: Record<string, unknown> }> }>().items[0]?.changes.ownScoped).toEqual([["audit.view"], []]);
  });

  it("refuses an own scope on a permission not granted, or on one whose rules know no own objects (400 naming the field)", async () => {
    const notGranted = await createRole({ key: "odd_one", name: "Odd one", permissions: ["projects.view"], ownScoped: ["audit.view"] });
    expect(notGranted.statusCode).toBe(400);
    expect(notGranted.json<Problem>().errors).toEqual([
      { path: "ownScoped", message: "Only granted permissions can be limited to own objects: audit.view is not granted." },
    ]);
    const unscoped = await createRole({ key: "odd_two", name: "Odd two", permissions: ["members.manage"], ownScoped: ["members.manage"] });
    expect(unscoped.statusCode).toBe(400);
    expect(unscoped.json<Problem>().errors[0]).toEqual({ path: "ownScoped", message: 'These permissions have no "own" scope: members.manage.' });
    expect((await t.request({ method: "GET", url: `/api/orgs/${org.slug}/roles`, token: admin.token })).json<{ items: Role[] }>().items.map((role) => role.key)).not.toContain("odd_one");
  });

  it("the catalog says, per permission, what own means, or that it has no own scope", async () => {
    const catalog = (await t.request({ method: "GET", url: "/api/permissions" })).json<{ items: Array<{ codename: string; own: string | null }> }>().items;
    const own = Object.fromEntries(catalog.map((item) => [item.codename, item.own]));
    expect(own["audit.view"]).toBe("projects they own or manage");
    expect(own["teams.manage"]).toBe("teams they manage");
    expect(own["members.manage"]).toBeNull();
  });
});
