import { setTimeout as sleep } from "node:timers/promises";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildUser, PASSWORD, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { createEphemeral } from "../../platform/ephemeral/ephemeral.js";
import { createServices } from "../../platform/bootstrap.js";
import type { Services } from "../../platform/services.js";
import { startServer, type RunningServer } from "../../server.js";
import { composition } from "../index.js";
import { createTaskVia, expectStatus, type ApiTask } from "./tasks.test-util.js";

/**
 * Live task events over real sockets: `task.updated` (with the task as each
 * receiver may see it) and `task.deleted` reach exactly the sessions of the
 * people who may see the task, and nobody else: a project task its assignee,
 * the project's manager, holders of tasks.view_all and the admin; a personal
 * task every session of its creator and the admin (tasks.oversee); never a
 * developer it is not assigned to, a salesperson, a customer or anyone of
 * another organization. With REDIS_URL, a change made through one instance
 * reaches a session on another.
 */

type Received = { event: string; data: { id: string; projectId: string | null; task?: ApiTask } };
type Session = { label: string; socket: Socket; events: Received[] };

let t: TestContext;
let server: RunningServer;
let org: { id: string };
let people: Record<"admin" | "manager" | "support" | "developer" | "otherDeveloper" | "salesperson" | "customer" | "outsider", BuiltUser>;
let projectId: string;
const sessions: Session[] = [];

function open(url: string, token: string): Socket {
  return connect(url, { path: "/ws", auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
}

/** A signed-in socket whose task events are kept, in order. */
async function listen(url: string, label: string, token: string): Promise<Session> {
  const socket = open(url, token);
  const session: Session = { label, socket, events: [] };
  sessions.push(session);
  for (const event of ["task.updated", "task.deleted"]) socket.on(event, (data: Received["data"]) => session.events.push({ event, data }));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
  return session;
}

/** A second session of a user: a sign-in of its own. */
async function signIn(user: BuiltUser): Promise<string> {
  return (await expectStatus<{ access: string }>(t, 200, { method: "POST", url: "/api/auth/login", payload: { login: user.username, password: PASSWORD } })).access;
}

const heard = (session: Session, event: string, id: string) => session.events.filter((each) => each.event === event && each.data.id === id);

/**
 * Runs `change` and returns the labels of the sessions that heard `event` about
 * task `id`: once the `expected` ones have, and a moment later for strays.
 */
async function audience(change: () => Promise<string>, event: string, expected: string[], among = sessions): Promise<{ id: string; labels: string[] }> {
  for (const session of among) session.events.length = 0;
  const id = await change();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !expected.every((label) => among.some((session) => session.label === label && heard(session, event, id).length))) await sleep(20);
  await sleep(250);
  return { id, labels: among.filter((session) => heard(session, event, id).length).map((session) => session.label).sort() };
}

const sessionOf = (label: string) => sessions.find((session) => session.label === label) as Session;

beforeAll(async () => {
  t = await createTestContext();
  server = await startServer(t.services, composition, { port: 0, host: "127.0.0.1" });
  org = await buildOrg(t);
  const orgB = await buildOrg(t);
  const member = (roles: string[]) => buildUser(t, { orgId: org.id, roles });
  people = {
    admin: await member(["admin"]),
    manager: await member(["project_manager"]),
    support: await member(["support"]),
    developer: await member(["developer"]),
    otherDeveloper: await member(["developer"]),
    salesperson: await member(["salesperson"]),
    customer: await member(["customer"]),
    outsider: await buildUser(t, { orgId: orgB.id, roles: ["admin"] }),
  };
  // Managed by the project manager, owned by the salesperson (who holds no task permission).
  projectId = (await buildProject(t, { orgId: org.id, name: "Live", managerId: people.manager.id, by: people.salesperson })).id;
  for (const [label, user] of Object.entries(people)) await listen(server.url, label, user.token);
  await listen(server.url, "otherDeveloper (second session)", await signIn(people.otherDeveloper));
});
afterAll(async () => {
  for (const session of sessions) session.socket.close();
  await server.close();
  await t.close();
});

const PROJECT_TASK_AUDIENCE = ["admin", "developer", "manager", "support"];
const PERSONAL_TASK_AUDIENCE = ["admin", "otherDeveloper", "otherDeveloper (second session)"];

describe("task.updated and task.deleted of a project task", () => {
  let taskId: string;

  it("a new task assigned to the developer reaches its assignee, the project's manager, tasks.view_all holders and the admin", async () => {
    const { id, labels } = await audience(
      async () => (await createTaskVia(t, people.manager.token, { projectId, title: "Live card", assigneeId: people.developer.id })).id,
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    taskId = id;
    expect(labels).toEqual(PROJECT_TASK_AUDIENCE);
  });

  it("a change pushes the task as each receiver may see it", async () => {
    const { labels } = await audience(
      async () => (await expectStatus<ApiTask>(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: people.manager.token, payload: { priority: "urgent" } })).id,
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    expect(labels).toEqual(PROJECT_TASK_AUDIENCE);
    const pushed = (label: string) => heard(sessionOf(label), "task.updated", taskId)[0]?.data;
    expect(pushed("developer")).toMatchObject({ id: taskId, projectId, task: { id: taskId, priority: "urgent", allowedActions: ["view", "changeStatus"] } });
    expect(pushed("manager")?.task?.allowedActions).toEqual(["view", "update", "changeStatus", "delete"]);
    expect(pushed("support")?.task?.allowedActions).toEqual(["view"]);
  });

  it("the assignee's own status change (a board move, a bulk edit) reaches the same people", async () => {
    const moved = await audience(
      async () => (await expectStatus<ApiTask>(t, 200, { method: "POST", url: `/api/tasks/${taskId}/move`, token: people.developer.token, payload: { status: "in_progress", afterId: null } })).id,
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    expect(moved.labels).toEqual(PROJECT_TASK_AUDIENCE);
    const bulk = await audience(
      async () => {
        await expectStatus(t, 200, { method: "PATCH", url: "/api/tasks/bulk", token: people.developer.token, payload: { ids: [taskId], set: { status: "done" } } });
        return taskId;
      },
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    expect(bulk.labels).toEqual(PROJECT_TASK_AUDIENCE);
  });

  it("reassigned to the other developer, it reaches them and no longer the developer", async () => {
    const expected = ["admin", "manager", "otherDeveloper", "otherDeveloper (second session)", "support"];
    const { labels } = await audience(
      async () => (await expectStatus<ApiTask>(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: people.manager.token, payload: { assigneeId: people.otherDeveloper.id } })).id,
      "task.updated",
      expected,
    );
    expect(labels).toEqual(expected);
    // The developer no longer sees it: for their open board and lists it is gone.
    expect(heard(sessionOf("developer"), "task.deleted", taskId)).toHaveLength(1);
  });

  it("its deletion reaches exactly who could see it, with its id and project only", async () => {
    const expected = ["admin", "manager", "otherDeveloper", "otherDeveloper (second session)", "support"];
    const { labels } = await audience(
      async () => {
        await expectStatus(t, 204, { method: "DELETE", url: `/api/tasks/${taskId}`, token: people.manager.token });
        return taskId;
      },
      "task.deleted",
      expected,
    );
    expect(labels).toEqual(expected);
    expect(heard(sessionOf("manager"), "task.deleted", taskId)[0]?.data).toEqual({ id: taskId, projectId });
  });

  it("an unassigned task reaches no developer at all", async () => {
    const expected = ["admin", "manager", "support"];
    const { labels } = await audience(async () => (await createTaskVia(t, people.manager.token, { projectId, title: "Nobody's yet" })).id, "task.updated", expected);
    expect(labels).toEqual(expected);
  });
});

describe("task.updated and task.deleted of a personal task", () => {
  let taskId: string;

  it("reach every session of its creator and the admin (tasks.oversee), nobody else", async () => {
    const created = await audience(
      async () => (await createTaskVia(t, people.otherDeveloper.token, { orgId: org.id, title: "My own note" })).id,
      "task.updated",
      PERSONAL_TASK_AUDIENCE,
    );
    taskId = created.id;
    expect(created.labels).toEqual(PERSONAL_TASK_AUDIENCE);
    const changed = await audience(
      async () => (await expectStatus<ApiTask>(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: people.otherDeveloper.token, payload: { title: "My own note, edited" } })).id,
      "task.updated",
      PERSONAL_TASK_AUDIENCE,
    );
    expect(changed.labels).toEqual(PERSONAL_TASK_AUDIENCE);
    expect(heard(sessionOf("otherDeveloper (second session)"), "task.updated", taskId)[0]?.data.task).toMatchObject({ title: "My own note, edited", projectId: null });
  });

  it("and so does its deletion", async () => {
    const { labels } = await audience(
      async () => {
        await expectStatus(t, 204, { method: "DELETE", url: `/api/tasks/${taskId}`, token: people.otherDeveloper.token });
        return taskId;
      },
      "task.deleted",
      PERSONAL_TASK_AUDIENCE,
    );
    expect(labels).toEqual(PERSONAL_TASK_AUDIENCE);
  });

  it("the project manager's personal task reaches them and the admin, not the developers or support", async () => {
    const expected = ["admin", "manager"];
    const { labels } = await audience(async () => (await createTaskVia(t, people.manager.token, { orgId: org.id, title: "Manager's note" })).id, "task.updated", expected);
    expect(labels).toEqual(expected);
  });
});

// Two instances on one database and one Redis: a change made through one reaches a session on the other.
describe.runIf(process.env.REDIS_URL)("two instances on Redis", () => {
  let second: Services;
  let secondServer: RunningServer;
  const elsewhere: Session[] = [];
  beforeAll(async () => {
    const redis = t.config.redis;
    if (!redis) throw new Error("REDIS_URL is set but the test context has no Redis");
    second = await createServices(t.config, composition, { database: t.services.database, ephemeral: createEphemeral(redis), jobs: false });
    secondServer = await startServer(second, composition, { port: 0, host: "127.0.0.1" });
    elsewhere.push(await listen(secondServer.url, "developer on B", people.developer.token));
    elsewhere.push(await listen(secondServer.url, "otherDeveloper on B", people.otherDeveloper.token));
    elsewhere.push(await listen(secondServer.url, "outsider on B", people.outsider.token));
  });
  afterAll(async () => {
    await secondServer.close();
    await second.ephemeral.close();
  });

  it("a task assigned through instance A reaches its assignee's socket on instance B, and no one else's there", async () => {
    const { labels } = await audience(
      async () => (await createTaskVia(t, people.manager.token, { projectId, title: "Across instances", assigneeId: people.developer.id })).id,
      "task.updated",
      ["developer on B"],
      elsewhere,
    );
    expect(labels).toEqual(["developer on B"]);
  });
});

describe("task.updated of the tasks a closed or reopened task blocks", () => {
  it("the blocker done, its dependent is pushed to who sees it, no longer blocked; reopened, blocked again", async () => {
    const blocker = await createTaskVia(t, people.manager.token, { projectId, title: "Live blocker" });
    const dependent = await createTaskVia(t, people.manager.token, { projectId, title: "Live dependent", assigneeId: people.developer.id, dependsOn: [blocker.id] });
    const closed = await audience(
      async () => {
        await expectStatus(t, 200, { method: "PATCH", url: `/api/tasks/${blocker.id}`, token: people.manager.token, payload: { status: "done" } });
        return dependent.id;
      },
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    expect(closed.labels).toEqual(PROJECT_TASK_AUDIENCE);
    // The last push is the one that counts (the creation's own push may still have been on its way).
    const latest = () => heard(sessionOf("developer"), "task.updated", dependent.id).at(-1)?.data.task as { isBlocked?: boolean } | undefined;
    expect(latest()?.isBlocked).toBe(false);
    const reopened = await audience(
      async () => {
        await expectStatus(t, 200, { method: "POST", url: `/api/tasks/${blocker.id}/move`, token: people.manager.token, payload: { status: "todo" } });
        return dependent.id;
      },
      "task.updated",
      PROJECT_TASK_AUDIENCE,
    );
    expect(reopened.labels).toEqual(PROJECT_TASK_AUDIENCE);
    expect(latest()?.isBlocked).toBe(true);
  });
});
