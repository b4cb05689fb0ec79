import { sql, type SQL } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { expectStatus, type ApiTask } from "./tasks.test-util.js";

/**
 * Task writes at the same moment. On PostgreSQL the requests really race (run
 * this file with DATABASE_URL); on PGlite they are served one after the other
 * and the same assertions hold.
 * - Numbers: single and bulk creations in one project (and in one person's
 *   personal tasks) never share a number, and leave no gap.
 * - A person assigned by several creations at once joins the project once, and
 *   every creation succeeds; their project limit still holds across projects.
 * - New labels written at once, in any order and case, are one label each.
 * - Bulk edits over overlapping ids, in any order, neither deadlock nor lose
 *   updates: all succeed, one that is refused changes nothing, and the final
 *   state is that of one serial order of the successful ones.
 * - Double-submitted moves and deletions.
 */

let t: TestContext;
let org: { id: string; slug: string };
let manager: BuiltUser;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
});
afterAll(() => t.close());

type Request = Parameters<TestContext["request"]>[0];

/** Sends every request at once, as the manager unless a request says otherwise. */
function race(requests: Request[]): Promise<LightMyRequestResponse[]> {
  return Promise.all(requests.map((request) => t.request({ token: manager.token, ...request })));
}

/** Every response answered `status`; the first that did not is shown. */
function expectAll(responses: LightMyRequestResponse[], status: number) {
  const odd = responses.find((response) => response.statusCode !== status);
  expect(odd && `${odd.statusCode} ${odd.body}`, `statuses ${responses.map((response) => response.statusCode).join(",")}`).toBeUndefined();
}

async function rows<T>(query: SQL): Promise<T[]> {
  const result: unknown = await t.services.database.db.execute(query);
  return (result as { rows: T[] }).rows;
}

const newProject = async () => (await buildProject(t, { orgId: org.id, by: manager })).id;

/** 1 … n, as the numbers of n tasks without a gap. */
const oneTo = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

describe("numbers", () => {
  it("single and bulk creations in one project at once never share a number and leave no gap", async () => {
    const projectId = await newProject();
    const singles: Request[] = Array.from({ length: 16 }, (_, index) => ({ method: "POST", url: "/api/tasks", payload: { projectId, title: `Single ${index}` } }));
    const bulks: Request[] = Array.from({ length: 4 }, (_, index) => ({
      method: "POST",
      url: "/api/tasks/bulk",
      payload: { projectId, tasks: Array.from({ length: 6 }, (_, row) => ({ title: `Bulk ${index}.${row}` })) },
    }));
    const responses = await race(shuffled([...singles, ...bulks], 11));
    expectAll(responses, 201);
    const numbers = await rows<{ number: number; title: string }>(sql`select number, title from tasks where project_id = ${projectId} order by number`);
    expect(numbers.map((row) => row.number)).toEqual(oneTo(16 + 4 * 6));
    // A bulk creation takes one block of numbers: its rows are consecutive, in the order sent.
    for (let index = 0; index < 4; index++) {
      const mine = numbers.filter((row) => row.title.startsWith(`Bulk ${index}.`));
      expect(mine.map((row) => row.title)).toEqual(Array.from({ length: 6 }, (_, row) => `Bulk ${index}.${row}`));
      expect(mine.map((row) => row.number - (mine[0]?.number ?? 0))).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });

  it("one person's personal tasks created at once (single and bulk) never share a number; another person's count on their own", async () => {
    const writer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const other = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    const personal = (user: BuiltUser, count: number): Request[] => [
      ...Array.from({ length: count }, (_, index) => ({ method: "POST" as const, url: "/api/tasks", token: user.token, payload: { orgId: org.id, title: `To-do ${index}` } })),
      { method: "POST", url: "/api/tasks/bulk", token: user.token, payload: { orgId: org.id, tasks: [{ title: "Bulk to-do 1" }, { title: "Bulk to-do 2" }] } },
    ];
    expectAll(await race(shuffled([...personal(writer, 10), ...personal(other, 6)], 5)), 201);
    for (const [user, count] of [[writer, 12], [other, 8]] as const) {
      const numbers = await rows<{ number: number }>(sql`select number from tasks where reporter_id = ${user.id} and project_id is null order by number`);
      expect(numbers.map((row) => row.number)).toEqual(oneTo(count));
    }
  });
});

describe("assigning someone who is not on the project yet", () => {
  it("several creations at once assigning the same newcomer all succeed, and they join the project once", async () => {
    const newcomer = await buildUser(t, { orgId: org.id, roles: ["verified_developer"] });
    const projectId = await newProject();
    const responses = await race([
      ...Array.from({ length: 8 }, (_, index): Request => ({ method: "POST", url: "/api/tasks", payload: { projectId, title: `For the newcomer ${index}`, assigneeId: newcomer.id } })),
      { method: "POST", url: "/api/tasks/bulk", payload: { projectId, tasks: [{ title: "Bulk for the newcomer", assigneeId: newcomer.id }] } },
    ]);
    expectAll(responses, 201);
    const members = await rows<{ n: number }>(sql`select count(*)::int as n from project_members where project_id = ${projectId} and user_id = ${newcomer.id}`);
    expect(members[0]?.n).toBe(1);
  });

  it("a bulk edit and creations assigning the same newcomer at once all succeed", async () => {
    const newcomer = await buildUser(t, { orgId: org.id, roles: ["verified_developer"] });
    const projectId = await newProject();
    const existing = await Promise.all([1, 2, 3].map(async (n) => (await buildTask(t, { projectId, title: `Existing ${n}`, by: manager })).id));
    const responses = await race([
      { method: "PATCH", url: "/api/tasks/bulk", payload: { ids: existing, set: { assigneeId: newcomer.id } } },
      ...Array.from({ length: 4 }, (_, index): Request => ({ method: "POST", url: "/api/tasks", payload: { projectId, title: `Also for them ${index}`, assigneeId: newcomer.id } })),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 201, 201, 201, 201]);
    const assigned = await rows<{ n: number }>(sql`select count(*)::int as n from tasks where project_id = ${projectId} and assignee_id = ${newcomer.id}`);
    expect(assigned[0]?.n).toBe(7);
  });

  it("a developer (at most one project) assigned in two projects at once ends on one of them: the other's creations are refused", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const [first, second] = [await newProject(), await newProject()];
    const create = (projectId: string, index: number): Request => ({ method: "POST", url: "/api/tasks", payload: { projectId, title: `Contested ${index}`, assigneeId: developer.id } });
    const responses = await race([0, 1, 2, 3, 4, 5].map((index) => create(index % 2 ? second : first, index)));
    const byProject = (projectId: string) => responses.filter((_, index) => (index % 2 ? second : first) === projectId).map((response) => response.statusCode);
    const memberships = await rows<{ project_id: string }>(sql`select project_id from project_members where user_id = ${developer.id}`);
    expect(memberships).toHaveLength(1);
    const winner = memberships[0]?.project_id ?? "";
    const loser = winner === first ? second : first;
    expect(byProject(winner)).toEqual([201, 201, 201]);
    expect(byProject(loser)).toEqual([409, 409, 409]);
    for (const response of responses.filter((each) => each.statusCode === 409)) expect(response.json<{ detail: string }>().detail).toMatch(/most their role allows/);
  });

  it("bulk creations naming the same newcomers in opposite orders at once all succeed", async () => {
    const [one, two, three] = await Promise.all([1, 2, 3].map(() => buildUser(t, { orgId: org.id, roles: ["verified_developer"] })));
    const people = [one, two, three].map((user) => user?.id ?? "");
    const projectId = await newProject();
    const bulk = (order: string[], index: number): Request => ({
      method: "POST",
      url: "/api/tasks/bulk",
      payload: { projectId, tasks: order.map((assigneeId, row) => ({ title: `Crossed ${index}.${row}`, assigneeId })) },
    });
    const orders = [people, [...people].reverse(), shuffled(people, 3), shuffled(people, 8)];
    expectAll(await race(orders.map(bulk)), 201);
  });
});

describe("labels", () => {
  it("creations naming the same new labels in opposite orders at once never wait on each other in a circle", async () => {
    const projectId = await newProject();
    for (let round = 0; round < 12; round++) {
      const names = ["One", "Two", "Three", "Four", "Five", "Six"].map((name) => `${name} ${round}`);
      const requests = [names, [...names].reverse(), shuffled(names, round), shuffled(names, round + 50)].map(
        (labels, index): Request => ({ method: "POST", url: "/api/tasks", payload: { projectId, title: `Round ${round}.${index}`, labels } }),
      );
      expectAll(await race(requests), 201);
    }
  });

  it("new labels written at once, in any order and case, are one label each, spelled one way on every task", async () => {
    const projectId = await newProject();
    const names = ["Hotfix", "Backend", "Frontend", "Needs QA"];
    const cased = (name: string, index: number) => (index % 3 === 0 ? name.toUpperCase() : index % 3 === 1 ? name.toLowerCase() : name);
    const existing = await Promise.all([1, 2, 3, 4].map(async (n) => (await buildTask(t, { projectId, title: `Labelled later ${n}`, by: manager })).id));
    const requests: Request[] = [
      ...Array.from({ length: 8 }, (_, index): Request => ({
        method: "POST",
        url: "/api/tasks",
        payload: { projectId, title: `Labelled ${index}`, labels: shuffled(names, index + 1).map((name) => cased(name, index)) },
      })),
      { method: "PATCH", url: "/api/tasks/bulk", payload: { ids: existing.slice(0, 2), set: { labels: [...names].reverse() } } },
      { method: "PATCH", url: "/api/tasks/bulk", payload: { ids: existing.slice(2), set: { labels: shuffled(names, 99).map((name) => cased(name, 1)) } } },
      { method: "POST", url: "/api/tasks/bulk", payload: { projectId, tasks: [{ title: "Bulk labelled", labels: shuffled(names, 7) }] } },
    ];
    const responses = await race(requests);
    expect(responses.map((response) => `${response.statusCode}${response.statusCode >= 300 ? ` ${response.body}` : ""}`)).toEqual([...Array.from({ length: 8 }, () => "201"), "200", "200", "201"]);
    const labels = await rows<{ name: string }>(sql`select name from task_labels where org_id = ${org.id} and lower(name) in ('hotfix', 'backend', 'frontend', 'needs qa')`);
    expect(labels).toHaveLength(4);
    const spelling = new Set(labels.map((label) => label.name));
    const used = await rows<{ labels: string[] }>(sql`select labels from tasks where project_id = ${projectId} and cardinality(labels) > 0`);
    expect(used).toHaveLength(8 + 4 + 1);
    for (const row of used) for (const label of row.labels) expect(spelling, `${label} is spelled as the organization spells it`).toContain(label);
  });
});

type State = { priority: string; dueDate: string | null; labels: string[] };
type Change = { ids: string[]; set: Partial<State> };

/** The tasks' state after applying `changes` one after the other. */
function applied(initial: Map<string, State>, changes: Change[]): Map<string, State> {
  const state = new Map([...initial].map(([id, each]) => [id, { ...each }]));
  for (const change of changes) for (const id of change.ids) Object.assign(state.get(id) ?? {}, change.set);
  return state;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

async function stateOf(ids: string[]): Promise<Map<string, State>> {
  const found = await rows<{ id: string; priority: string; due_date: string | null; labels: string[] }>(
    sql`select id, priority, due_date::text, labels from tasks where id = any(${sql.param(ids)}::uuid[])`,
  );
  return new Map(found.map((row) => [row.id, { priority: row.priority, dueDate: row.due_date, labels: row.labels }]));
}

describe("bulk edits over overlapping tasks at once", () => {
  it("all succeed without a deadlock, a refused one changes nothing, and the result is one serial order's", async () => {
    const projectId = await newProject();
    const blocker = (await buildTask(t, { projectId, title: "Still open", by: manager })).id;
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) ids.push((await buildTask(t, { projectId, title: `Overlap ${n}`, labels: ["Start"], by: manager })).id);
    const blocked = (await buildTask(t, { projectId, title: "Waits for the open one", dependsOn: [blocker], by: manager })).id;
    for (const label of ["Red", "Green", "Blue", "Amber", "Cyan"]) await buildTask(t, { projectId, title: `Knows ${label}`, labels: [label], by: manager });

    for (let round = 0; round < 3; round++) {
      const initial = await stateOf(ids);
      const changes: Change[] = [
        { ids: shuffled(ids.slice(0, 8), round + 1), set: { priority: "high", labels: ["Red"] } },
        { ids: shuffled(ids.slice(4, 12), round + 2), set: { priority: "low", dueDate: `2031-0${round + 1}-01` } },
        { ids: shuffled([...ids.slice(0, 3), ...ids.slice(9, 12)], round + 3), set: { labels: ["Green", "Blue"] } },
        { ids: shuffled(ids.filter((_, index) => index % 2 === 0), round + 4), set: { priority: "medium", dueDate: `2032-0${round + 1}-15` } },
        { ids: shuffled(ids.filter((_, index) => index % 3 === 0), round + 5), set: { labels: ["Amber"], priority: "high" } },
      ];
      // Refused as a whole: its last task is blocked by an open one (409), after it has locked the others.
      const refused = { ids: [...shuffled(ids.slice(2, 10), round + 6), blocked], set: { status: "done", priority: "urgent", labels: ["Cyan"], dueDate: "2099-12-31" } };
      const requests: Request[] = [...changes, refused].map((payload) => ({ method: "PATCH", url: "/api/tasks/bulk", payload }));
      const sent = shuffled(requests, round + 7);
      const responses = await race(sent);
      for (const [index, response] of responses.entries()) {
        const payload = sent[index]?.payload;
        expect(response.statusCode, `${JSON.stringify(payload)}: ${response.body}`).toBe(payload === refused ? 409 : 200);
      }
      const final = await stateOf(ids);
      const serial = permutations(changes).some((order) => {
        const expected = applied(initial, order);
        return ids.every((id) => JSON.stringify(expected.get(id)) === JSON.stringify(final.get(id)));
      });
      expect(serial, `round ${round}: ${JSON.stringify([...final.values()])} is no serial order of the bulk edits`).toBe(true);
      const done = await rows<{ n: number }>(sql`select count(*)::int as n from tasks where id = any(${sql.param(ids)}::uuid[]) and (status = 'done' or priority = 'urgent')`);
      expect(done[0]?.n, "the refused bulk edit changed nothing").toBe(0);
    }
  });

  it("a bulk status change racing single changes of the same tasks loses none of the single changes' other fields", async () => {
    const projectId = await newProject();
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await buildTask(t, { projectId, title: `Raced ${n}`, by: manager })).id);
    const responses = await race([
      { method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [...ids].reverse(), set: { status: "in_progress" } } },
      ...ids.map((id, index): Request => ({ method: "PATCH", url: `/api/tasks/${id}`, payload: { title: `Renamed ${index}`, priority: "urgent" } })),
    ]);
    expectAll(responses, 200);
    const found = await rows<{ title: string; status: string; priority: string }>(sql`select title, status, priority from tasks where id = any(${sql.param(ids)}::uuid[]) order by title`);
    expect(found).toEqual(ids.map((_, index) => ({ title: `Renamed ${index}`, status: "in_progress", priority: "urgent" })));
  });
});

describe("double submissions", () => {
  async function column(projectId: string, status: string) {
    return rows<{ id: string; position: number }>(sql`select id, position from tasks where project_id = ${projectId} and status = ${status} order by position, id`);
  }

  it("the same move sent twice lands the card once, after the card it was dropped after", async () => {
    const projectId = await newProject();
    const cards: ApiTask[] = [];
    for (let n = 0; n < 4; n++) cards.push(await expectStatus<ApiTask>(t, 201, { method: "POST", url: "/api/tasks", token: manager.token, payload: { projectId, title: `Card ${n}`, status: "in_progress" } }));
    const [a, b, c, d] = cards.map((card) => card.id);
    const move = { method: "POST" as const, url: `/api/tasks/${d}/move`, payload: { status: "in_progress", afterId: a } };
    expectAll(await race([move, move, move]), 200);
    expect((await column(projectId, "in_progress")).map((row) => row.id)).toEqual([a, d, b, c]);
    const into = { method: "POST" as const, url: `/api/tasks/${b}/move`, payload: { status: "done", afterId: null } };
    expectAll(await race([into, into]), 200);
    expect((await column(projectId, "done")).map((row) => row.id)).toEqual([b]);
    expect((await column(projectId, "in_progress")).map((row) => row.id)).toEqual([a, d, c]);
  });

  it("cards dropped at the same place at once all land there, each at a place of its own", async () => {
    const projectId = await newProject();
    const cards: string[] = [];
    for (let n = 0; n < 8; n++) cards.push((await buildTask(t, { projectId, title: `Card ${n}`, by: manager })).id);
    const [anchor, next, ...dropped] = cards as [string, string, ...string[]];
    // Twice the same card among them: a double submission inside the crowd.
    const responses = await race([...dropped, dropped[0] ?? ""].map((id) => ({ method: "POST", url: `/api/tasks/${id}/move`, payload: { afterId: anchor } })));
    expectAll(responses, 200);
    const order = await column(projectId, "todo");
    expect(order[0]?.id).toBe(anchor);
    expect(new Set(order.slice(1, 1 + dropped.length).map((row) => row.id))).toEqual(new Set(dropped));
    expect(order.at(-1)?.id).toBe(next);
    expect(new Set(order.map((row) => row.position)).size, "no two cards share a place").toBe(order.length);
  });

  it("a deletion sent twice deletes once: the other is told the task is gone", async () => {
    const task = await buildTask(t, { orgId: org.id, title: "Twice deleted", by: manager });
    const responses = await race([1, 2, 3].map(() => ({ method: "DELETE", url: `/api/tasks/${task.id}` })));
    expect(responses.map((response) => response.statusCode).sort()).toEqual([204, 404, 404]);
  });
});
