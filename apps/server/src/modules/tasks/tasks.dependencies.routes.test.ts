import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { expectStatus, type ApiTask } from "./tasks.test-util.js";

/**
 * What a task waits for (API.md "Tasks"): links across the projects of one
 * organization, loops refused naming the path, and no way to `done` while a
 * blocker is open, whichever door the change comes through (PATCH, bulk edit,
 * the board's move).
 */

type Link = {
  taskId: string;
  dependsOnId: string;
  task: { key: string; title: string; status: string } | null;
};
type Links = { items: Link[]; blocking: Link[] };
type Blocked = ApiTask & { isBlocked: boolean; openBlockers: number };

let t: TestContext;
let org: { id: string; slug: string };
let manager: BuiltUser;
let dev: BuiltUser;
let shop: { id: string };
let ops: { id: string };

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  dev = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  shop = await buildProject(t, { orgId: org.id, name: "Shop", key: "SHOP", by: manager });
  ops = await buildProject(t, { orgId: org.id, name: "Ops", key: "OPS", by: manager });
});
afterAll(() => t.close());

const newTask = async (title: string, projectId = shop.id, extra: Record<string, unknown> = {}) =>
  (await buildTask(t, { projectId, title, by: manager, ...extra })) as unknown as Blocked;
const link = (taskId: string, dependsOnId: string, token = manager.token) =>
  t.request({ method: "POST", url: `/api/tasks/${taskId}/dependencies`, token, payload: { dependsOnId } });
async function auditOf(_t: TestContext, entityId: string): Promise<Array<{ action: string }>> {
  const result: unknown = await t.services.database.db.execute(
    sql`select action from audit_log where entity_id = ${entityId} order by created_at`,
  );
  return (result as { rows: Array<{ action: string }> }).rows;
}
const get = (id: string, token = manager.token) =>
  expectStatus<Blocked>(t, 200, { method: "GET", url: `/api/tasks/${id}`, token });

describe("task dependencies", () => {
  it("links a task to a blocker of another project, lists both sides, and shows the task as blocked everywhere", async () => {
    const task = await newTask("Ship the checkout");
    const blocker = await newTask("Provision the payment gateway", ops.id);
    const created = await link(task.id, blocker.id);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<Link>()).toMatchObject({
      taskId: task.id,
      dependsOnId: blocker.id,
      task: { title: "Provision the payment gateway", status: "todo" },
    });

    const links = await expectStatus<Links>(t, 200, {
      method: "GET",
      url: `/api/tasks/${task.id}/dependencies`,
      token: manager.token,
    });
    expect(links.items.map((item) => item.dependsOnId)).toEqual([blocker.id]);
    expect(links.items[0]?.task?.key).toMatch(/^OPS-\d+$/);
    const other = await expectStatus<Links>(t, 200, {
      method: "GET",
      url: `/api/tasks/${blocker.id}/dependencies`,
      token: manager.token,
    });
    expect(other.blocking.map((item) => item.taskId)).toEqual([task.id]);

    const detail = await get(task.id);
    expect(detail).toMatchObject({ isBlocked: true, openBlockers: 1, blockedBy: [blocker.id] });
    const list = await expectStatus<{ items: Blocked[] }>(t, 200, {
      method: "GET",
      url: `/api/tasks?project=${shop.id}&pageSize=100`,
      token: manager.token,
    });
    expect(list.items.find((item) => item.id === task.id)?.isBlocked).toBe(true);

    const audit = await auditOf(t, task.id);
    expect(audit.map((entry) => entry.action)).toContain("task.dependency_added");

    // The blocker done, the task is no longer blocked; removing the link is audited too.
    await expectStatus(t, 200, {
      method: "PATCH",
      url: `/api/tasks/${blocker.id}`,
      token: manager.token,
      payload: { status: "done" },
    });
    expect((await get(task.id)).isBlocked).toBe(false);
    await expectStatus(t, 204, {
      method: "DELETE",
      url: `/api/tasks/${task.id}/dependencies/${blocker.id}`,
      token: manager.token,
    });
    expect((await get(task.id)).blockedBy).toEqual([]);
    await expectStatus(t, 404, {
      method: "DELETE",
      url: `/api/tasks/${task.id}/dependencies/${blocker.id}`,
      token: manager.token,
    });
    expect((await auditOf(t, task.id)).map((entry) => entry.action)).toContain("task.dependency_removed");
  });

  it("refuses a loop with a 409 naming its path, a link already there, and a task waiting for itself", async () => {
    const a = await newTask("A");
    const b = await newTask("B");
    const c = await newTask("C", ops.id);
    await expectStatus(t, 201, {
      method: "POST",
      url: `/api/tasks/${a.id}/dependencies`,
      token: manager.token,
      payload: { dependsOnId: b.id },
    });
    await expectStatus(t, 201, {
      method: "POST",
      url: `/api/tasks/${b.id}/dependencies`,
      token: manager.token,
      payload: { dependsOnId: c.id },
    });

    const loop = await link(c.id, a.id);
    expect(loop.statusCode, loop.body).toBe(409);
    expect(loop.json<{ detail: string }>().detail).toContain(`${c.key} → ${a.key} → ${b.key} → ${c.key}`);
    const short = await link(b.id, a.id);
    expect(short.json<{ detail: string }>().detail).toContain(`${b.key} → ${a.key} → ${b.key}`);

    expect((await link(a.id, b.id)).statusCode).toBe(409);
    expect((await link(a.id, a.id)).statusCode).toBe(400);
    // Nothing of the refused links was written.
    const links = await expectStatus<Links>(t, 200, {
      method: "GET",
      url: `/api/tasks/${c.id}/dependencies`,
      token: manager.token,
    });
    expect(links.items).toEqual([]);
  });

  it("keeps refusing loops after links that go against the order of creation (the order is mended as links come)", async () => {
    const chain = [];
    for (let index = 0; index < 6; index++) chain.push(await newTask(`Chain ${index}`));
    // Older tasks wait for newer ones: every link goes against the order tasks were created in.
    for (let index = 0; index < 5; index++)
      await expectStatus(t, 201, {
        method: "POST",
        url: `/api/tasks/${chain[index]?.id}/dependencies`,
        token: manager.token,
        payload: { dependsOnId: chain[index + 1]?.id },
      });
    const last = chain[5] as Blocked;
    const first = chain[0] as Blocked;
    const loop = await link(last.id, first.id);
    expect(loop.statusCode, loop.body).toBe(409);
    expect(loop.json<{ detail: string }>().detail).toContain(
      chain
        .map((task) => task?.key)
        .join(" → ")
        .replace(/^/, `${last.key} → `),
    );
    // A shortcut in the same direction is no loop.
    await expectStatus(t, 201, {
      method: "POST",
      url: `/api/tasks/${first.id}/dependencies`,
      token: manager.token,
      payload: { dependsOnId: last.id },
    });
  });

  it("lets nothing move to done while a blocker is open: PATCH, bulk edit and the board's move each answer 409 naming it", async () => {
    const blocker = await newTask("Open blocker");
    const task = await newTask("Waits", shop.id, { assigneeId: dev.id, dependsOn: [blocker.id] });
    const detail = (response: { json: <T>() => T }) => response.json<{ detail: string }>().detail;

    const patched = await t.request({
      method: "PATCH",
      url: `/api/tasks/${task.id}`,
      token: manager.token,
      payload: { status: "done" },
    });
    expect(patched.statusCode).toBe(409);
    expect(detail(patched)).toContain(`${blocker.key} Open blocker`);
    // The assignee changing the status alone meets the same rule.
    const byAssignee = await t.request({
      method: "PATCH",
      url: `/api/tasks/${task.id}`,
      token: dev.token,
      payload: { status: "done" },
    });
    expect(byAssignee.statusCode).toBe(409);

    const bulk = await t.request({
      method: "PATCH",
      url: "/api/tasks/bulk",
      token: manager.token,
      payload: { ids: [task.id], set: { status: "done" } },
    });
    expect(bulk.statusCode).toBe(409);
    expect(detail(bulk)).toContain(blocker.key);

    const moved = await t.request({
      method: "POST",
      url: `/api/tasks/${task.id}/move`,
      token: manager.token,
      payload: { status: "done", afterId: null },
    });
    expect(moved.statusCode).toBe(409);
    expect(detail(moved)).toContain(blocker.key);
    expect((await get(task.id)).status).toBe("todo");

    // Other moves are fine, and once the blocker is done so is `done`.
    await expectStatus(t, 200, {
      method: "POST",
      url: `/api/tasks/${task.id}/move`,
      token: manager.token,
      payload: { status: "in_progress" },
    });
    await expectStatus(t, 200, {
      method: "POST",
      url: `/api/tasks/${blocker.id}/move`,
      token: manager.token,
      payload: { status: "done" },
    });
    await expectStatus(t, 200, {
      method: "PATCH",
      url: "/api/tasks/bulk",
      token: manager.token,
      payload: { ids: [task.id], set: { status: "done" } },
    });
  });

  it("lets only tasks.manage on the task link it; a blocker the caller cannot see is a 404", async () => {
    const task = await newTask("Developer's task", shop.id, { assigneeId: dev.id });
    const hidden = await newTask("Hidden from the developer");
    const mine = await newTask("Also the developer's", shop.id, { assigneeId: dev.id });
    const refused = await link(task.id, mine.id, dev.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/tasks\.manage/);
    // The developer sees both sides of a link to a task they cannot see, without its name.
    await expectStatus(t, 201, {
      method: "POST",
      url: `/api/tasks/${task.id}/dependencies`,
      token: manager.token,
      payload: { dependsOnId: hidden.id },
    });
    const links = await expectStatus<Links>(t, 200, {
      method: "GET",
      url: `/api/tasks/${task.id}/dependencies`,
      token: dev.token,
    });
    expect(links.items).toEqual([expect.objectContaining({ dependsOnId: hidden.id, task: null })]);
    expect(JSON.stringify(links)).not.toContain("Hidden from the developer");
    const manager2 = await buildUser(t, { orgId: org.id, roles: ["verified_developer"] });
    const own = await buildProject(t, { orgId: org.id, name: "Own", key: "OWNX", by: manager2 });
    const ownTask = await buildTask(t, { projectId: own.id, title: "Own", by: manager2 });
    // A verified developer manages tasks of their own project, and cannot link to one they do not see.
    expect((await link(ownTask.id, hidden.id, manager2.token)).statusCode).toBe(404);
  });
});
