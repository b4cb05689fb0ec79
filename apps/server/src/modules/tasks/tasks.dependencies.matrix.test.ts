import { buildProject, buildTask } from "../../../test/factories.js";
import {
  ALL_ROLES,
  runMatrix,
  type Caller,
  type MatrixFixture,
  type MatrixUser,
} from "../../../test/matrix.js";
import { matrixCallers, perCaller } from "../projects/fixtures.test-util.js";

/**
 * The dependency endpoints × every default role, the superuser, an admin of
 * another organization (outsider) and nobody. Project P is organization-wide and
 * managed by the project manager; its task `plain` is assigned to nobody,
 * `assigned` to the developer. Reading a task's links needs seeing the task;
 * adding or removing one needs tasks.manage on it (the assignee's
 * tasks.update_status is not enough: a 403 naming tasks.manage).
 */

/** tasks.manage of scope `all`. */
const MANAGERS = ["admin", "project_manager", "superuser"] as const satisfies readonly Caller[];
/** See every task of P without managing it. */
const SEE_ONLY = ["support"] as const satisfies readonly Caller[];

function outcome(
  listed: Record<number, readonly Caller[]>,
  otherwise = 404,
): Partial<Record<Caller, number>> {
  const result: Partial<Record<Caller, number>> = Object.fromEntries(
    [...ALL_ROLES, "superuser"].map((who) => [who, otherwise]),
  );
  for (const [status, callers] of Object.entries(listed))
    for (const who of callers) result[who] = Number(status);
  return { ...result, outsider: 404, anonymous: 401 };
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users } = fx;
  const { admin, project_manager: manager, developer } = users;
  const data: Record<string, string> = {};
  const project = (
    await buildProject(t, {
      orgId: orgA.id,
      name: "Planned work",
      key: "PLAN",
      managerId: manager.id,
      by: admin,
    })
  ).id;
  const task = async (title: string, extra: Record<string, unknown> = {}) =>
    (await buildTask(t, { projectId: project, title, by: manager, ...extra })).id;
  data.blocker = await task("The blocker");
  data.plain = await task("Nobody's yet", { dependsOn: [data.blocker] });
  data.assigned = await task("The developer's", { assigneeId: developer.id, dependsOn: [data.blocker] });
  for (const [key] of matrixCallers(fx)) {
    // Each caller adds a blocker of their own (a second add would be a 409) and removes a link of their own.
    data[`newBlocker:${key}`] = await task(`A blocker for ${key}`);
    data[`linked:${key}`] = await task(`Linked for ${key}`, { dependsOn: [data.blocker] });
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
const own = (fx: MatrixFixture, prefix: string, caller: MatrixUser | null) => perCaller(fx, prefix, caller);

runMatrix(
  "task dependency endpoints × roles",
  [
    {
      route: "GET /api/tasks/{id}/dependencies",
      name: "GET /api/tasks/{id}/dependencies (unassigned)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "plain")}/dependencies` }),
      expect: outcome({ 200: [...MANAGERS, ...SEE_ONLY] }),
    },
    {
      route: "GET /api/tasks/{id}/dependencies",
      name: "GET /api/tasks/{id}/dependencies (assigned to the developer)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "assigned")}/dependencies` }),
      expect: outcome({ 200: [...MANAGERS, ...SEE_ONLY, "developer"] }),
    },
    {
      route: "POST /api/tasks/{id}/dependencies",
      name: "POST /api/tasks/{id}/dependencies (unassigned)",
      request: (fx, caller) => ({
        method: "POST",
        url: `/api/tasks/${id(fx, "plain")}/dependencies`,
        payload: { dependsOnId: own(fx, "newBlocker", caller) },
      }),
      expect: outcome({ 201: MANAGERS, 403: SEE_ONLY }),
    },
    {
      route: "POST /api/tasks/{id}/dependencies",
      name: "POST /api/tasks/{id}/dependencies (assigned to the developer: status alone is theirs)",
      request: (fx, caller) => ({
        method: "POST",
        url: `/api/tasks/${id(fx, "assigned")}/dependencies`,
        payload: { dependsOnId: own(fx, "newBlocker", caller) },
      }),
      expect: outcome({ 201: MANAGERS, 403: [...SEE_ONLY, "developer"] }),
    },
    {
      route: "DELETE /api/tasks/{id}/dependencies/{dependsOnId}",
      request: (fx, caller) => ({
        method: "DELETE",
        url: `/api/tasks/${own(fx, "linked", caller)}/dependencies/${id(fx, "blocker")}`,
      }),
      expect: outcome({ 204: MANAGERS, 403: SEE_ONLY }),
    },
  ],
  setup,
);
