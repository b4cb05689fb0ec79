import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, captureEvents, createTestContext, type TestContext } from "../../../test/harness.js";

/** The task rules of API.md "Tasks", end to end through the HTTP API. */

type User = Awaited<ReturnType<typeof buildUser>>;
type Task = {
  id: string;
  key: string;
  number: number;
  status: string;
  title: string;
  assigneeId: string | null;
  labels: string[];
  position: number;
  parentId: string | null;
  subtasks: { total: number; done: number };
  allowedActions: string[];
};

let t: TestContext;
let org: { id: string };
let admin: User;
let manager: User;
let dev: User;
let otherDev: User;
let customer: User;
let project: { id: string; key: string };

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  dev = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  otherDev = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
  const created = await t.request({ method: "POST", url: "/api/projects", token: manager.token, payload: { orgId: org.id, name: "Shop", key: "SHOP" } });
  project = created.json();
});
afterAll(() => t.close());

async function create(token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: "POST", url: "/api/tasks", token, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Task>();
}

describe("tasks", () => {
  it("numbers tasks per project (SHOP-1, SHOP-2) and personal tasks per person (ME-1)", async () => {
    const first = await create(manager.token, { projectId: project.id, title: "Checkout page" });
    const second = await create(manager.token, { projectId: project.id, title: "Cart" });
    expect(second.number).toBe(first.number + 1);
    expect(first.key).toBe(`SHOP-${first.number}`);
    const mine = await create(dev.token, { orgId: org.id, title: "Read the handbook" });
    expect(mine.key).toMatch(/^ME-\d+$/);
    expect(mine.allowedActions).toEqual(expect.arrayContaining(["update", "delete"]));
  });

  it("never gives one number twice, even to concurrent creations", async () => {
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, index) => t.request({ method: "POST", url: "/api/tasks", token: manager.token, payload: { projectId: project.id, title: `Race ${index}` } })),
    );
    const numbers = made.map((response) => response.json<Task>().number);
    expect(new Set(numbers).size).toBe(8);
  });

  it("assigning a developer puts them on the project; a second project is past their limit (409)", async () => {
    const events = captureEvents(t, ["task.assigned", "task.created"]);
    const task = await create(manager.token, { projectId: project.id, title: "Payment form", assigneeId: dev.id });
    expect(task.assigneeId).toBe(dev.id);
    expect(events.find((event) => event.name === "task.assigned")?.recipients).toEqual([dev.id]);
    const members = await t.request({ method: "GET", url: `/api/projects/${project.id}/members`, token: manager.token });
    expect(members.json<{ items: Array<{ userId: string }> }>().items.map((member) => member.userId)).toContain(dev.id);

    const other = (await t.request({ method: "POST", url: "/api/projects", token: manager.token, payload: { orgId: org.id, name: "Other" } })).json<{ id: string }>();
    const refused = await t.request({ method: "POST", url: "/api/tasks", token: manager.token, payload: { projectId: other.id, title: "Too many", assigneeId: dev.id } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toMatch(/most their role allows/);
    const cannot = await t.request({ method: "POST", url: "/api/tasks", token: manager.token, payload: { projectId: project.id, title: "Customer work", assigneeId: customer.id } });
    expect(cannot.statusCode).toBe(409);
  });

  it("an assignee changes the status alone: any other field is a 403 naming tasks.manage, and nothing changes", async () => {
    const task = await create(manager.token, { projectId: project.id, title: "Assigned", assigneeId: dev.id });
    const seen = await t.request({ method: "GET", url: `/api/tasks/${task.id}`, token: dev.token });
    expect(seen.json<Task>().allowedActions).toEqual(["view", "changeStatus"]);
    const mixed = await t.request({ method: "PATCH", url: `/api/tasks/${task.id}`, token: dev.token, payload: { status: "in_progress", title: "Renamed" } });
    expect(mixed.statusCode).toBe(403);
    expect(mixed.json<{ detail: string }>().detail).toMatch(/tasks\.manage/);
    expect((await t.request({ method: "GET", url: `/api/tasks/${task.id}`, token: dev.token })).json<Task>().status).toBe("todo");
    const moved = await t.request({ method: "PATCH", url: `/api/tasks/${task.id}`, token: dev.token, payload: { status: "in_progress" } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Task>().status).toBe("in_progress");
  });

  it("a developer sees only their tasks; a personal task only its creator and the admin (tasks.oversee)", async () => {
    const hidden = await create(manager.token, { projectId: project.id, title: "Not for devs" });
    const personal = await create(manager.token, { orgId: org.id, title: "My own note" });
    expect((await t.request({ method: "GET", url: `/api/tasks/${hidden.id}`, token: dev.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `/api/tasks/${hidden.id}`, token: otherDev.token })).statusCode).toBe(404);
    const list = await t.request({ method: "GET", url: "/api/tasks?pageSize=100", token: dev.token });
    const items = list.json<{ items: Task[] }>().items;
    expect(items.every((item) => item.assigneeId === dev.id || item.key.startsWith("ME-"))).toBe(true);
    expect((await t.request({ method: "GET", url: `/api/tasks/${personal.id}`, token: otherDev.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `/api/tasks/${personal.id}`, token: admin.token })).statusCode).toBe(200);
    const managed = await t.request({ method: "GET", url: `/api/tasks?project=${project.id}&pageSize=100`, token: manager.token });
    expect(managed.json<{ total: number }>().total).toBeGreaterThan(5);
  });

  it("filters by status, label (spelled as first written), search by title and by key", async () => {
    const task = await create(manager.token, { projectId: project.id, title: "Invoice export", labels: ["Backend", "billing"] });
    await create(manager.token, { projectId: project.id, title: "Invoice email", labels: ["backend"] });
    const byLabel = await t.request({ method: "GET", url: `/api/tasks?project=${project.id}&label=Backend`, token: manager.token });
    expect(byLabel.json<{ items: Task[] }>().items.map((item) => item.title).sort()).toEqual(["Invoice email", "Invoice export"]);
    const byKey = await t.request({ method: "GET", url: `/api/tasks?search=${task.key.toLowerCase()}`, token: manager.token });
    expect(byKey.json<{ items: Task[] }>().items.map((item) => item.id)).toEqual([task.id]);
    const byTitle = await t.request({ method: "GET", url: "/api/tasks?search=nvoice%20ex", token: manager.token });
    expect(byTitle.json<{ items: Task[] }>().items.map((item) => item.id)).toEqual([task.id]);
    const several = await t.request({ method: "GET", url: `/api/tasks?project=${project.id}&status=todo&status=in_progress&ordering=-priority`, token: manager.token });
    expect(several.statusCode, several.body).toBe(200);
  });

  it("moves a card on the board: to the top, after another, into another column", async () => {
    const a = await create(manager.token, { projectId: project.id, title: "Card A", status: "in_progress" });
    const b = await create(manager.token, { projectId: project.id, title: "Card B", status: "in_progress" });
    const top = await t.request({ method: "POST", url: `/api/tasks/${b.id}/move`, token: manager.token, payload: { afterId: null } });
    expect(top.json<Task>().position).toBeLessThan(a.position);
    const after = await t.request({ method: "POST", url: `/api/tasks/${b.id}/move`, token: manager.token, payload: { afterId: a.id } });
    expect(after.json<Task>().position).toBeGreaterThan(a.position);
    const done = await t.request({ method: "POST", url: `/api/tasks/${a.id}/move`, token: manager.token, payload: { status: "done", afterId: null } });
    expect(done.json<Task>().status).toBe("done");
    const wrong = await t.request({ method: "POST", url: `/api/tasks/${a.id}/move`, token: manager.token, payload: { status: "todo", afterId: b.id } });
    expect(wrong.statusCode).toBe(400);
  });

  it("parents: same project, no loops (409), children's progress on the parent", async () => {
    const parent = await create(manager.token, { projectId: project.id, title: "Epic" });
    const child = await create(manager.token, { projectId: project.id, title: "Child", parentId: parent.id, status: "done" });
    expect((await t.request({ method: "GET", url: `/api/tasks/${parent.id}`, token: manager.token })).json<Task>().subtasks).toEqual({ total: 1, done: 1 });
    const loop = await t.request({ method: "PATCH", url: `/api/tasks/${parent.id}`, token: manager.token, payload: { parentId: child.id } });
    expect(loop.statusCode).toBe(409);
  });

  it("bulk edit is all or nothing: one task the caller may not change refuses all of them", async () => {
    const mine = await create(manager.token, { projectId: project.id, title: "Bulk 1", assigneeId: dev.id });
    const other = await create(manager.token, { projectId: project.id, title: "Bulk 2" });
    const refused = await t.request({ method: "PATCH", url: "/api/tasks/bulk", token: dev.token, payload: { ids: [mine.id, other.id], set: { status: "done" } } });
    expect(refused.statusCode).toBe(404);
    expect(refused.json<{ detail: string }>().detail).toContain(other.id);
    expect((await t.request({ method: "GET", url: `/api/tasks/${mine.id}`, token: dev.token })).json<Task>().status).toBe("todo");
    const ok = await t.request({ method: "PATCH", url: "/api/tasks/bulk", token: manager.token, payload: { ids: [mine.id, other.id], set: { priority: "urgent", labels: ["Sprint 3"] } } });
    expect(ok.json()).toEqual({ updated: 2 });
  });

  it("bulk create lists every bad row and creates nothing", async () => {
    const bad = await t.request({ method: "POST", url: "/api/tasks/bulk", token: manager.token, payload: { projectId: project.id, tasks: [{ title: "ok" }, { title: "" }, { title: "x", priority: "huge" }] } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: Array<{ path: string }> }>().errors.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["tasks.1.title", "tasks.2.priority"]));
    const good = await t.request({ method: "POST", url: "/api/tasks/bulk", token: manager.token, payload: { projectId: project.id, tasks: [{ title: "One" }, { title: "Two", assigneeId: dev.id }] } });
    expect(good.statusCode, good.body).toBe(201);
    const ids = good.json<{ ids: string[] }>().ids;
    expect(ids).toHaveLength(2);
    const second = (await t.request({ method: "GET", url: `/api/tasks/${ids[1] ?? ""}`, token: manager.token })).json<Task>();
    expect([second.title, second.assigneeId]).toEqual(["Two", dev.id]);
    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=task&entityId=${ids[1] ?? ""}`, token: admin.token });
    const [entry] = audit.json<{ items: Array<{ action: string; actorId: string; changes: Record<string, unknown> }> }>().items;
    expect(entry).toMatchObject({ action: "task.created", actorId: manager.id, changes: { title: [null, "Two"], assigneeId: [null, dev.id], bulk: [null, true] } });
  });

  it("statistics count the project's real tasks", async () => {
    const stats = await t.request({ method: "GET", url: `/api/projects/${project.id}/statistics`, token: manager.token });
    const body = stats.json<{ tasks: { total: number; byStatus: Record<string, number> }; completionPercent: number }>();
    expect(body.tasks.total).toBeGreaterThan(10);
    expect(body.tasks.byStatus.done).toBeGreaterThan(0);
    expect(body.completionPercent).toBeGreaterThan(0);
  });

  it("notifies the assignee, the previous assignee and the task's people, never the actor; every change is audited", async () => {
    const task = await create(manager.token, { projectId: project.id, title: "Notify me", assigneeId: dev.id });
    const inbox = async (user: User) =>
      (await t.request({ method: "GET", url: "/api/me/notifications", token: user.token })).json<{ items: Array<{ kind: string; title: string; data: { taskId?: string } }> }>().items;
    expect((await inbox(dev)).find((item) => item.data.taskId === task.id)?.title).toBe(`Assigned to you: ${task.key} Notify me`);
    const moved = await t.request({ method: "PATCH", url: `/api/tasks/${task.id}`, token: dev.token, payload: { status: "in_progress" } });
    expect(moved.statusCode).toBe(200);
    expect((await inbox(manager)).some((item) => item.kind === "task.status_changed" && item.data.taskId === task.id)).toBe(true);
    expect((await inbox(dev)).some((item) => item.kind === "task.status_changed" && item.data.taskId === task.id)).toBe(false);
    await t.request({ method: "PATCH", url: `/api/tasks/${task.id}`, token: manager.token, payload: { assigneeId: null } });
    expect((await inbox(dev)).some((item) => item.title === `${task.key} is no longer yours: Notify me`)).toBe(true);
    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=task&entityId=${task.id}`, token: admin.token });
    const entries = audit.json<{ items: Array<{ action: string; changes: Record<string, unknown> }> }>().items;
    expect(entries.map((entry) => entry.action).sort()).toEqual(["task.created", "task.updated", "task.updated"]);
    expect(entries.some((entry) => JSON.stringify(entry.changes.assigneeId) === JSON.stringify([dev.id, null]))).toBe(true);
  });
});
