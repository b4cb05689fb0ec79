import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { expectStatus } from "../tasks/tasks.test-util.js";

/**
 * Time on tasks as people log it: the assignee and managers log, the task's
 * loggedMinutes follows every write (concurrent logs included), people change
 * their own entries only, the timesheet shows what each may see with its
 * total, the CSV has the same rows, and the project's statistics count the hours.
 */

type Entry = { id: string; taskId: string; userId: string; minutes: number; spentOn: string; note: string; allowedActions: string[]; task: { key: string } };
type Sheet = { items: Entry[]; total: number; totalMinutes: number };
type Task = { loggedMinutes: number; updatedAt: string };

let t: TestContext;
let orgId: string;
let admin: BuiltUser;
let manager: BuiltUser;
let developer: BuiltUser;
let other: BuiltUser;
let support: BuiltUser;
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  t = await createTestContext();
  orgId = (await buildOrg(t)).id;
  admin = await buildUser(t, { orgId, roles: ["admin"] });
  manager = await buildUser(t, { orgId, roles: ["project_manager"] });
  // Verified: no limit on projects, so their tasks can be in several.
  developer = await buildUser(t, { orgId, roles: ["verified_developer"] });
  other = await buildUser(t, { orgId, roles: ["developer"] });
  support = await buildUser(t, { orgId, roles: ["support"] });
  projectId = (await buildProject(t, { orgId, name: "Clock", key: "CLK", managerId: manager.id, by: admin })).id;
  otherProjectId = (await buildProject(t, { orgId, name: "Elsewhere", key: "ELS", managerId: manager.id, by: admin })).id;
});
afterAll(() => t.close());

const newTask = async (assignee: BuiltUser = developer, project = projectId) => (await buildTask(t, { projectId: project, title: "Measure me", assigneeId: assignee.id, by: manager })).id;
const log = (user: BuiltUser, taskId: string, payload: Record<string, unknown>) =>
  expectStatus<Entry>(t, 201, { method: "POST", url: `/api/tasks/${taskId}/time-entries`, token: user.token, payload });
const taskOf = (taskId: string) => expectStatus<Task>(t, 200, { method: "GET", url: `/api/tasks/${taskId}`, token: manager.token });
const sheet = (user: BuiltUser, query: string) => expectStatus<Sheet>(t, 200, { method: "GET", url: `/api/time-entries?${query}`, token: user.token });

describe("logging time", () => {
  it("the assignee and the manager log; loggedMinutes follows every log, change and deletion", async () => {
    const taskId = await newTask();
    const before = await taskOf(taskId);
    const mine = await log(developer, taskId, { minutes: 90, spentOn: "2026-04-01", note: "Spike" });
    expect(mine).toMatchObject({ minutes: 90, spentOn: "2026-04-01", note: "Spike", userId: developer.id, allowedActions: ["update", "delete"] });
    expect(mine.task.key).toMatch(/^CLK-\d+$/);
    await log(manager, taskId, { minutes: 30, spentOn: "2026-04-02" });
    expect((await taskOf(taskId)).loggedMinutes).toBe(120);
    await expectStatus(t, 200, { method: "PATCH", url: `/api/time-entries/${mine.id}`, token: developer.token, payload: { minutes: 60, note: "Spike, shorter" } });
    expect((await taskOf(taskId)).loggedMinutes).toBe(90);
    await expectStatus(t, 204, { method: "DELETE", url: `/api/time-entries/${mine.id}`, token: developer.token });
    const after = await taskOf(taskId);
    expect(after.loggedMinutes).toBe(30);
    // The total is derived: logging time is not an edit of the task.
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  it("refuses others: support sees the task but may not log (tasks.manage); another developer does not see it", async () => {
    const taskId = await newTask();
    const refused = await t.request({ method: "POST", url: `/api/tasks/${taskId}/time-entries`, token: support.token, payload: { minutes: 10, spentOn: "2026-04-01" } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain("tasks.manage");
    const hidden = await t.request({ method: "POST", url: `/api/tasks/${taskId}/time-entries`, token: other.token, payload: { minutes: 10, spentOn: "2026-04-01" } });
    expect(hidden.statusCode).toBe(404);
  });

  it("refuses nonsense: no minutes, more than a day, a bad date, unknown fields", async () => {
    const taskId = await newTask();
    for (const payload of [{ minutes: 0, spentOn: "2026-04-01" }, { minutes: 1441, spentOn: "2026-04-01" }, { minutes: 1.5, spentOn: "2026-04-01" }, { minutes: 10, spentOn: "01/04/2026" }, { minutes: 10, spentOn: "2026-04-01", userId: other.id }]) {
      const response = await t.request({ method: "POST", url: `/api/tasks/${taskId}/time-entries`, token: developer.token, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await taskOf(taskId)).loggedMinutes).toBe(0);
  });

  it("people change only their own entries, even on a task they manage", async () => {
    const taskId = await newTask();
    const entry = await log(developer, taskId, { minutes: 20, spentOn: "2026-04-03" });
    const foreign = await t.request({ method: "PATCH", url: `/api/time-entries/${entry.id}`, token: manager.token, payload: { minutes: 5 } });
    expect(foreign.statusCode).toBe(403);
    expect((await t.request({ method: "DELETE", url: `/api/time-entries/${entry.id}`, token: admin.token })).statusCode).toBe(403);
    expect((await taskOf(taskId)).loggedMinutes).toBe(20);
  });

  it("adds up concurrent logs on one task exactly", async () => {
    const taskId = await newTask();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        t.request({ method: "POST", url: `/api/tasks/${taskId}/time-entries`, token: index % 2 ? developer.token : manager.token, payload: { minutes: index + 1, spentOn: "2026-04-04" } }),
      ),
    );
    expect(results.map((response) => response.statusCode)).toEqual(Array.from({ length: 12 }, () => 201));
    const expected = (12 * 13) / 2;
    expect((await taskOf(taskId)).loggedMinutes).toBe(expected);
    const entries = await expectStatus<Sheet>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/time-entries?pageSize=100`, token: developer.token });
    expect(entries).toMatchObject({ total: 12, totalMinutes: expected });
    // And concurrent changes and deletions of those entries leave the sum of what remains.
    const [first, second, third, ...rest] = entries.items;
    await Promise.all([
      first && t.request({ method: "PATCH", url: `/api/time-entries/${first.id}`, token: first.userId === developer.id ? developer.token : manager.token, payload: { minutes: first.minutes + 100 } }),
      second && t.request({ method: "DELETE", url: `/api/time-entries/${second.id}`, token: second.userId === developer.id ? developer.token : manager.token }),
      third && t.request({ method: "PATCH", url: `/api/time-entries/${third.id}`, token: third.userId === developer.id ? developer.token : manager.token, payload: { minutes: 1 } }),
    ]);
    const remaining = (first?.minutes ?? 0) + 100 + 1 + rest.reduce((sum, entry) => sum + entry.minutes, 0);
    expect((await taskOf(taskId)).loggedMinutes).toBe(remaining);
  });
});

describe("the timesheet", () => {
  it("shows the caller's own time and that of tasks they see, filtered by project, user, task and days, with the total", async () => {
    const mineHere = await newTask();
    const othersHere = await newTask(other);
    const elsewhere = await newTask(developer, otherProjectId);
    await log(developer, mineHere, { minutes: 60, spentOn: "2026-05-04" });
    await log(developer, elsewhere, { minutes: 15, spentOn: "2026-05-06" });
    await log(other, othersHere, { minutes: 45, spentOn: "2026-05-05" });
    await log(manager, othersHere, { minutes: 10, spentOn: "2026-05-08" });

    // The developer: their own entries, and what others logged on their tasks; never the other developer's task.
    const own = await sheet(developer, "from=2026-05-01&to=2026-05-31");
    expect(own).toMatchObject({ total: 2, totalMinutes: 75 });
    expect(own.items.map((entry) => entry.spentOn)).toEqual(["2026-05-06", "2026-05-04"]);
    // The manager sees everything of the projects they manage.
    expect(await sheet(manager, "from=2026-05-01&to=2026-05-31")).toMatchObject({ total: 4, totalMinutes: 130 });
    expect(await sheet(manager, `from=2026-05-01&to=2026-05-31&project=${projectId}`)).toMatchObject({ total: 3, totalMinutes: 115 });
    expect(await sheet(manager, `from=2026-05-01&to=2026-05-31&user=${other.id}`)).toMatchObject({ total: 1, totalMinutes: 45 });
    expect(await sheet(manager, "from=2026-05-01&to=2026-05-31&user=me")).toMatchObject({ total: 1, totalMinutes: 10 });
    expect(await sheet(manager, `task=${othersHere}`)).toMatchObject({ total: 2, totalMinutes: 55 });
    expect(await sheet(manager, "from=2026-05-05&to=2026-05-06")).toMatchObject({ total: 2, totalMinutes: 60 });
    const paged = await sheet(manager, "from=2026-05-01&to=2026-05-31&pageSize=1&page=2");
    expect(paged).toMatchObject({ total: 4, totalMinutes: 130 });
    expect(paged.items.map((entry) => entry.spentOn)).toEqual(["2026-05-06"]);
    // Support sees the project's tasks, and with them their time.
    expect((await sheet(support, "from=2026-05-01&to=2026-05-31")).total).toBe(4);
  });

  it("keeps someone's own entries theirs after the task is given to another", async () => {
    const taskId = await newTask();
    await log(developer, taskId, { minutes: 25, spentOn: "2026-06-01" });
    await expectStatus(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: manager.token, payload: { assigneeId: other.id } });
    expect((await t.request({ method: "GET", url: `/api/tasks/${taskId}`, token: developer.token })).statusCode).toBe(404);
    const mine = await sheet(developer, "from=2026-06-01&to=2026-06-01");
    expect(mine).toMatchObject({ total: 1, totalMinutes: 25 });
    const [entry] = mine.items;
    await expectStatus(t, 200, { method: "PATCH", url: `/api/time-entries/${entry?.id}`, token: developer.token, payload: { minutes: 20 } });
    expect((await taskOf(taskId)).loggedMinutes).toBe(20);
  });

  it("exports the same rows as CSV (reports.view), streamed, and the project's statistics count the hours", async () => {
    const project = (await buildProject(t, { orgId, name: "Billable", key: "BIL", managerId: manager.id, by: admin })).id;
    const taskId = await newTask(developer, project);
    await log(developer, taskId, { minutes: 90, spentOn: "2026-07-01", note: "=cmd|' /C calc'!A0" });
    await log(manager, taskId, { minutes: 30, spentOn: "2026-07-02", note: "Review, with a comma" });
    const csv = await t.request({ method: "GET", url: `/api/reports/time.csv?project=${project}`, token: manager.token });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="time-/);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe("id,organization,date,user,minutes,hours,task,task_title,project,note,created_at");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,2026-07-01,${developer.username},90,1.50,BIL-`);
    // A formula is defused; a comma is quoted.
    expect(lines[1]).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(lines[2]).toContain(`"Review, with a comma"`);
    expect((await t.request({ method: "GET", url: "/api/reports/time.csv", token: developer.token })).statusCode).toBe(403);
    const statistics = await expectStatus<{ hoursLogged: number }>(t, 200, { method: "GET", url: `/api/projects/${project}/statistics`, token: manager.token });
    expect(statistics.hoursLogged).toBe(2);
  });
});
