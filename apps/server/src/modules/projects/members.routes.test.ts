import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

type User = Awaited<ReturnType<typeof buildUser>>;

let t: TestContext;
let org: { id: string; slug: string };
let admin: User;
let manager: User;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
});
afterAll(() => t.close());

async function project(name: string, token = admin.token, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await t.request({ method: "POST", url: "/api/projects", token, payload: { name, ...extra } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

const addMember = (projectId: string, userId: string, token = admin.token, role?: string) =>
  t.request({ method: "POST", url: `/api/projects/${projectId}/members`, token, payload: { userId, ...(role ? { role } : {}) } });

describe("project members", () => {
  it("a developer belongs to at most one project: the second answers 409 and tells them to verify", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const first = await project("First");
    const second = await project("Second");
    const added = await addMember(first, developer.id, admin.token, "lead");
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: developer.id, username: developer.username, role: "lead" });
    const refused = await addMember(second, developer.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string; detail: string }>()).toMatchObject({ code: "project_limit" });
    expect(refused.json<{ detail: string }>().detail).toMatch(/verif/i);
    const members = await t.request({ method: "GET", url: `/api/projects/${second}/members`, token: admin.token });
    expect(members.json<{ items: Array<{ userId: string }> }>().items.map((item) => item.userId)).not.toContain(developer.id);
    const onProjects = await t.request({ method: "GET", url: `/api/projects?developer=${developer.id}`, token: admin.token });
    expect(onProjects.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toEqual([first]);
  });

  it("lifts the limit once the developer is verified, and reads it from the roles of that organization", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    await addMember(await project("Third"), developer.id);
    const promote = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${developer.id}`, token: admin.token, payload: { roles: ["verified_developer"] } });
    expect(promote.statusCode).toBe(200);
    expect((await addMember(await project("Fourth"), developer.id)).statusCode).toBe(201);
    expect((await addMember(await project("Fifth"), developer.id)).statusCode).toBe(201);
  });

  it("follows a custom limit set on a role", async () => {
    const edit = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/roles/developer`, token: admin.token, payload: { projectLimit: 2 } });
    expect(edit.statusCode, edit.body).toBe(200);
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    expect((await addMember(await project("L1"), developer.id)).statusCode).toBe(201);
    expect((await addMember(await project("L2"), developer.id)).statusCode).toBe(201);
    expect((await addMember(await project("L3"), developer.id)).statusCode).toBe(409);
    await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/roles/developer`, token: admin.token, payload: { projectLimit: 1 } });
  });

  it("refuses people outside the organization, duplicates, and callers who may not manage the project", async () => {
    const id = await project("Guarded", manager.token);
    const stranger = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["developer"] });
    const outside = await addMember(id, stranger.id, manager.token);
    expect(outside.statusCode).toBe(400);
    expect(outside.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("userId");
    expect((await addMember(id, manager.id, manager.token)).statusCode).toBe(409);
    const support = await buildUser(t, { orgId: org.id, roles: ["support"] });
    expect((await addMember(id, support.id, support.token)).statusCode).toBe(403);
  });

  it("changes a member's role and removes them, freeing their place", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const a = await project("Swap A", manager.token);
    const b = await project("Swap B", manager.token);
    await addMember(a, developer.id, manager.token);
    const role = await t.request({ method: "PATCH", url: `/api/projects/${a}/members/${developer.id}`, token: manager.token, payload: { role: "reviewer" } });
    expect(role.json<{ role: string }>().role).toBe("reviewer");
    expect((await t.request({ method: "DELETE", url: `/api/projects/${a}/members/${developer.id}`, token: manager.token })).statusCode).toBe(204);
    expect((await t.request({ method: "DELETE", url: `/api/projects/${a}/members/${developer.id}`, token: manager.token })).statusCode).toBe(404);
    expect((await addMember(b, developer.id, manager.token)).statusCode).toBe(201);
  });

  it("decides concurrent additions of the same developer one after the other", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const ids = await Promise.all(["Race 1", "Race 2", "Race 3"].map((name) => project(name)));
    const results = await Promise.all(ids.map((id) => addMember(id, developer.id)));
    expect(results.map((response) => response.statusCode).sort()).toEqual([201, 409, 409]);
  });
});
