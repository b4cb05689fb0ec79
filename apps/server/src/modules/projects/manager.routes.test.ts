import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

/** A project's manager: one person, the same in `managerId` and in the members card, with the rights it gives. */

type User = Awaited<ReturnType<typeof buildUser>>;
type Project = { id: string; managerId: string | null; members: Array<{ userId: string; role: string }>; allowedActions: string[] };

let t: TestContext;
let org: { id: string };
let sales: User;
let admin: User;
let first: User;
let second: User;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  first = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  second = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
});
afterAll(() => t.close());

const get = async (id: string, token: string) => (await t.request({ method: "GET", url: `/api/projects/${id}`, token })).json<Project>();
const roleOf = (project: Project, userId: string) => project.members.find((member) => member.userId === userId)?.role;

describe("project managers", () => {
  it("adding someone as Manager makes them the project's manager, with the rights of their own project", async () => {
    const created = await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { orgId: org.id, name: "Managed by members" } });
    const { id } = created.json<{ id: string }>();
    expect((await get(id, first.token)).allowedActions).not.toContain("update");

    const added = await t.request({ method: "POST", url: `/api/projects/${id}/members`, token: admin.token, payload: { userId: first.id, role: "manager" } });
    expect(added.statusCode, added.body).toBe(201);
    const project = await get(id, first.token);
    expect(project.managerId).toBe(first.id);
    expect(roleOf(project, first.id)).toBe("manager");
    expect(project.allowedActions).toContain("update");
    const edit = await t.request({ method: "PATCH", url: `/api/projects/${id}`, token: first.token, payload: { description: "Planned by its manager." } });
    expect(edit.statusCode, edit.body).toBe(200);
  });

  it("one manager at a time: PATCH managerId hands over, the previous one stays as a member; audited and notified", async () => {
    const { id } = (await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { orgId: org.id, name: "Handed over", managerId: first.id } })).json<{ id: string }>();
    expect((await get(id, admin.token)).managerId).toBe(first.id);
    await t.request({ method: "POST", url: `/api/projects/${id}/members`, token: admin.token, payload: { userId: first.id, role: "manager" } });

    const patched = await t.request({ method: "PATCH", url: `/api/projects/${id}`, token: admin.token, payload: { managerId: second.id } });
    expect(patched.statusCode, patched.body).toBe(200);
    const project = await get(id, admin.token);
    expect(project.managerId).toBe(second.id);
    expect(roleOf(project, second.id)).toBe("manager");
    expect(roleOf(project, first.id)).toBe("member");

    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=project&entityId=${id}&action=project.manager_changed`, token: admin.token });
    const entries = audit.json<{ items: Array<{ changes: Record<string, [unknown, unknown]> }> }>().items;
    expect(entries[0]?.changes.manager).toEqual([first.username, second.username]);

    const inbox = await t.request({ method: "GET", url: "/api/me/notifications", token: second.token });
    expect(inbox.json<{ items: Array<{ kind: string; title: string }> }>().items.some((item) => item.kind === "project.manager_assigned")).toBe(true);
  });

  it("changing the manager's role or removing them leaves the project without a manager", async () => {
    const { id } = (await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { orgId: org.id, name: "Losing its manager" } })).json<{ id: string }>();
    await t.request({ method: "POST", url: `/api/projects/${id}/members`, token: admin.token, payload: { userId: first.id, role: "manager" } });
    await t.request({ method: "PATCH", url: `/api/projects/${id}/members/${first.id}`, token: admin.token, payload: { role: "lead" } });
    expect((await get(id, admin.token)).managerId).toBeNull();
    await t.request({ method: "PATCH", url: `/api/projects/${id}/members/${second.id}`, token: admin.token, payload: { role: "manager" } }).then(async (response) => {
      // second is not on the project yet: a 404, nothing changes
      expect(response.statusCode).toBe(404);
    });
    await t.request({ method: "POST", url: `/api/projects/${id}/members`, token: admin.token, payload: { userId: second.id, role: "manager" } });
    expect((await get(id, admin.token)).managerId).toBe(second.id);
    const removed = await t.request({ method: "DELETE", url: `/api/projects/${id}/members/${second.id}`, token: admin.token });
    expect(removed.statusCode).toBe(204);
    expect((await get(id, admin.token)).managerId).toBeNull();
  });
});
