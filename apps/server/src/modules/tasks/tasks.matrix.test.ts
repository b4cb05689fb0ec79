import { buildProject, buildTask, buildTeam } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, type Caller, type CustomCaller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { perCaller } from "../projects/fixtures.test-util.js";
import { plantPersonalTask } from "./tasks.test-util.js";

/**
 * Every task endpoint × every default role, a custom role that sees every
 * project task and manages its own projects' (`task_reader`), a custom role
 * without any task permission (`no_tasks`), the superuser, an admin of another
 * organization (outsider) and nobody, as API.md "Tasks" and DESIGN.md's
 * permission matrix say:
 * - project P (organization-wide, managed by the project manager) has a task
 *   assigned to the developer, one assigned to the verified developer and one
 *   assigned to nobody;
 * - the verified developer owns project V and manages project M (scope `own`
 *   of tasks.view_all and tasks.manage);
 * - a team project T (its team: the two developers) has a task nobody but
 *   tasks.oversee holders may see;
 * - the project manager keeps a personal task, and each caller one of their own
 *   (the custom roles, which lack tasks.personal, have one written for them:
 *   it is not theirs to see any more).
 */

const READER = "custom:task_reader" as const;
const NONE = "custom:no_tasks" as const;
type Who = Caller | CustomCaller;

/** The signed-in callers of organization A, and the superuser. */
const SIGNED_IN: readonly Who[] = [...ALL_ROLES, "superuser", READER, NONE];
/** tasks.manage of scope `all`: every field of every task they see. */
const MANAGERS = ["admin", "project_manager", "superuser"] as const satisfies readonly Who[];
/** tasks.view_all of scope `all` (or tasks.oversee): every task of the projects they see. */
const SEE_ALL = ["admin", "project_manager", "support", "superuser", READER] as const satisfies readonly Who[];
/** Who sees a task and may not manage it: a 403 naming tasks.manage. */
const SEE_ONLY = ["support", READER] as const satisfies readonly Who[];
/** tasks.personal: every default role and the superuser; not the custom roles. */
const KEEPERS = [...ALL_ROLES, "superuser"] as const satisfies readonly Who[];

/**
 * Statuses for a row: each listed status for its callers, `otherwise` for every
 * other signed-in caller of A, 404 for the outsider (A's objects do not exist
 * for them) unless told, 401 for nobody.
 */
function outcome(listed: Record<number, readonly Who[]>, otherwise: number, outsider = 404): Partial<Record<Who, number>> {
  const result: Partial<Record<Who, number>> = Object.fromEntries(SIGNED_IN.map((who) => [who, otherwise]));
  for (const [status, callers] of Object.entries(listed)) for (const who of callers) result[who] = Number(status);
  return { ...result, outsider, anonymous: 401 };
}

/** Every caller that makes per-caller objects, anonymous aside. */
function everyCaller(fx: MatrixFixture): MatrixUser[] {
  return [...Object.values(fx.users), fx.superuser, fx.outsider, ...Object.values(fx.custom)];
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, orgB, users, superuser, outsider } = fx;
  const { admin, project_manager: manager, verified_developer: verifiedDeveloper, developer } = users;
  const data: Record<string, string> = { orgA: orgA.id };
  data.project = (await buildProject(t, { orgId: orgA.id, name: "Shared work", key: "WORK", managerId: manager.id, by: admin })).id;
  data.ownProject = (await buildProject(t, { orgId: orgA.id, name: "Own work", key: "OWN", by: verifiedDeveloper })).id;
  data.managedProject = (await buildProject(t, { orgId: orgA.id, name: "Managed work", key: "MGD", managerId: verifiedDeveloper.id, by: admin })).id;
  const circle = await buildTeam(t, { orgId: orgA.id, name: "Task circle", memberIds: [verifiedDeveloper.id, developer.id], by: superuser });
  data.teamProject = (await buildProject(t, { orgId: orgA.id, name: "Circle only", key: "CIRC", visibility: "team", teamId: circle.id, by: superuser })).id;

  const task = async (input: Parameters<typeof buildTask>[1]) => (await buildTask(t, input)).id;
  data.assigned = await task({ projectId: data.project, title: "The developer's", assigneeId: developer.id, by: manager });
  data.verifiedAssigned = await task({ projectId: data.project, title: "The verified developer's", assigneeId: verifiedDeveloper.id, by: manager });
  data.plain = await task({ projectId: data.project, title: "Nobody's yet", by: manager });
  data.own = await task({ projectId: data.ownProject, title: "On an own project", by: verifiedDeveloper });
  data.managed = await task({ projectId: data.managedProject, title: "On a managed project", by: verifiedDeveloper });
  data.team = await task({ projectId: data.teamProject, title: "Inside the circle", by: superuser });
  data.managerPersonal = await task({ orgId: orgA.id, title: "The manager's to-do", by: manager });

  for (const caller of everyCaller(fx)) {
    const key = caller.username;
    const home = caller === outsider ? orgB.id : orgA.id;
    const keeps = !Object.values(fx.custom).includes(caller);
    const personal = async (title: string) =>
      keeps ? task({ orgId: home, title, by: caller }) : plantPersonalTask(t, { orgId: home, reporterId: caller.id, title });
    data[`personal:${key}`] = await personal(`${key}'s to-do`);
    data[`personalDoomed:${key}`] = await personal(`${key}'s doomed to-do`);
    data[`doomed:${key}`] = await task({ projectId: data.project, title: `Doomed for ${key}`, assigneeId: developer.id, by: manager });
    data[`doomedOwn:${key}`] = await task({ projectId: data.ownProject, title: `Doomed own for ${key}`, by: verifiedDeveloper });
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
const mine = (fx: MatrixFixture, caller: MatrixUser | null) => perCaller(fx, "personal", caller);
const renamed = (caller: MatrixUser | null) => ({ title: `Renamed by ${caller?.username ?? "nobody"}` });

runMatrix(
  "task endpoints × roles",
  [
    // Lists: everyone with a task permission gets their own view (the scope is checked by the property test).
    {
      route: "GET /api/tasks",
      request: () => ({ method: "GET", url: "/api/tasks?pageSize=100" }),
      expect: outcome({ 403: [NONE] }, 200, 200),
    },
    {
      route: "GET /api/tasks",
      name: "GET /api/tasks?org=A (narrowed to organization A)",
      request: (fx) => ({ method: "GET", url: `/api/tasks?org=${fx.orgA.slug}&status=todo&status=in_progress&ordering=-priority` }),
      expect: outcome({ 403: [NONE] }, 200),
    },
    {
      route: "GET /api/tasks",
      name: "GET /api/tasks?project=P (a project's tasks)",
      request: (fx) => ({ method: "GET", url: `/api/tasks?project=${id(fx, "project")}` }),
      expect: outcome({ 403: [NONE] }, 200, 200),
    },
    {
      route: "GET /api/tasks/labels",
      request: () => ({ method: "GET", url: "/api/tasks/labels" }),
      expect: outcome({}, 200, 200),
    },
    {
      route: "GET /api/tasks/labels",
      name: "GET /api/tasks/labels?org=A",
      request: (fx) => ({ method: "GET", url: `/api/tasks/labels?org=${fx.orgA.id}` }),
      expect: outcome({}, 200),
    },

    // Creation.
    {
      route: "POST /api/tasks",
      name: "POST /api/tasks (in project P)",
      request: (fx, caller) => ({ method: "POST", url: "/api/tasks", payload: { projectId: id(fx, "project"), ...renamed(caller) } }),
      expect: outcome({ 201: MANAGERS }, 403),
    },
    {
      route: "POST /api/tasks",
      name: "POST /api/tasks (in the verified developer's own project)",
      request: (fx, caller) => ({ method: "POST", url: "/api/tasks", payload: { projectId: id(fx, "ownProject"), ...renamed(caller) } }),
      expect: outcome({ 201: [...MANAGERS, "verified_developer"] }, 403),
    },
    {
      route: "POST /api/tasks",
      name: "POST /api/tasks (in the team project: its team sees it, nobody else of A)",
      request: (fx, caller) => ({ method: "POST", url: "/api/tasks", payload: { projectId: id(fx, "teamProject"), ...renamed(caller) } }),
      expect: outcome({ 201: ["admin", "superuser"], 403: ["verified_developer", "developer"] }, 404),
    },
    {
      route: "POST /api/tasks",
      name: "POST /api/tasks (personal, in organization A)",
      request: (fx, caller) => ({ method: "POST", url: "/api/tasks", payload: { orgId: fx.orgA.id, ...renamed(caller) } }),
      expect: outcome({ 201: KEEPERS }, 403),
    },

    // Reading one task.
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (unassigned, in P)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "plain")}` }),
      expect: outcome({ 200: SEE_ALL }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (assigned to the developer)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "assigned")}` }),
      expect: outcome({ 200: [...SEE_ALL, "developer"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (assigned to the verified developer, on a project not theirs)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "verifiedAssigned")}` }),
      expect: outcome({ 200: [...SEE_ALL, "verified_developer"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (on the verified developer's own project)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "own")}` }),
      expect: outcome({ 200: [...SEE_ALL, "verified_developer"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (on a project the verified developer manages)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "managed")}` }),
      expect: outcome({ 200: [...SEE_ALL, "verified_developer"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (unassigned, in the team project)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "team")}` }),
      expect: outcome({ 200: ["admin", "superuser"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (the project manager's personal task)",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "managerPersonal")}` }),
      expect: outcome({ 200: ["project_manager", "admin", "superuser"] }, 404),
    },
    {
      route: "GET /api/tasks/{id}",
      name: "GET /api/tasks/{id} (the caller's own personal task)",
      request: (fx, caller) => ({ method: "GET", url: `/api/tasks/${mine(fx, caller)}` }),
      expect: outcome({ 200: KEEPERS }, 404, 200),
    },

    // Changing one task.
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (a title, unassigned in P)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "plain")}`, payload: renamed(caller) }),
      expect: outcome({ 200: MANAGERS, 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (the status alone, assigned to the developer)",
      request: (fx) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "assigned")}`, payload: { status: "in_progress" } }),
      expect: outcome({ 200: [...MANAGERS, "developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (status and title, assigned to the developer: any other field needs tasks.manage)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "assigned")}`, payload: { status: "todo", ...renamed(caller) } }),
      expect: outcome({ 200: MANAGERS, 403: [...SEE_ONLY, "developer"] }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (the status alone, assigned to the verified developer on a project not theirs)",
      request: (fx) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "verifiedAssigned")}`, payload: { status: "in_progress" } }),
      expect: outcome({ 200: [...MANAGERS, "verified_developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (the description, assigned to the verified developer on a project not theirs)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "verifiedAssigned")}`, payload: { description: `Described by ${caller?.username ?? "nobody"}` } }),
      expect: outcome({ 200: MANAGERS, 403: [...SEE_ONLY, "verified_developer"] }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (a title, on the verified developer's own project)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "own")}`, payload: renamed(caller) }),
      expect: outcome({ 200: [...MANAGERS, "verified_developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (a title, on a project the verified developer manages)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "managed")}`, payload: renamed(caller) }),
      expect: outcome({ 200: [...MANAGERS, "verified_developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (the project manager's personal task: its creator alone; tasks.oversee sees it and changes nothing)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${id(fx, "managerPersonal")}`, payload: renamed(caller) }),
      expect: outcome({ 200: ["project_manager"], 403: ["admin", "superuser"] }, 404),
    },
    {
      route: "PATCH /api/tasks/{id}",
      name: "PATCH /api/tasks/{id} (the caller's own personal task)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tasks/${mine(fx, caller)}`, payload: renamed(caller) }),
      expect: outcome({ 200: KEEPERS }, 404, 200),
    },

    // Deleting.
    {
      route: "DELETE /api/tasks/{id}",
      name: "DELETE /api/tasks/{id} (in P, assigned to the developer)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/tasks/${perCaller(fx, "doomed", caller)}` }),
      expect: outcome({ 204: MANAGERS, 403: [...SEE_ONLY, "developer"] }, 404),
    },
    {
      route: "DELETE /api/tasks/{id}",
      name: "DELETE /api/tasks/{id} (on the verified developer's own project)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/tasks/${perCaller(fx, "doomedOwn", caller)}` }),
      expect: outcome({ 204: [...MANAGERS, "verified_developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "DELETE /api/tasks/{id}",
      name: "DELETE /api/tasks/{id} (the caller's own personal task)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/tasks/${perCaller(fx, "personalDoomed", caller)}` }),
      expect: outcome({ 204: KEEPERS }, 404, 204),
    },

    // The board.
    {
      route: "POST /api/tasks/{id}/move",
      name: "POST /api/tasks/{id}/move (assigned to the developer)",
      request: (fx) => ({ method: "POST", url: `/api/tasks/${id(fx, "assigned")}/move`, payload: { status: "in_progress", afterId: null } }),
      expect: outcome({ 200: [...MANAGERS, "developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "POST /api/tasks/{id}/move",
      name: "POST /api/tasks/{id}/move (unassigned, in P)",
      request: (fx) => ({ method: "POST", url: `/api/tasks/${id(fx, "plain")}/move`, payload: { afterId: null } }),
      expect: outcome({ 200: MANAGERS, 403: SEE_ONLY }, 404),
    },
    {
      route: "POST /api/tasks/{id}/move",
      name: "POST /api/tasks/{id}/move (the caller's own personal task)",
      request: (fx, caller) => ({ method: "POST", url: `/api/tasks/${mine(fx, caller)}/move`, payload: { status: "in_progress" } }),
      expect: outcome({ 200: KEEPERS }, 404, 200),
    },

    // Bulk.
    {
      route: "PATCH /api/tasks/bulk",
      name: "PATCH /api/tasks/bulk (the status of the developer's task)",
      request: (fx) => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [id(fx, "assigned")], set: { status: "in_progress" } } }),
      expect: outcome({ 200: [...MANAGERS, "developer"], 403: SEE_ONLY }, 404),
    },
    {
      route: "PATCH /api/tasks/bulk",
      name: "PATCH /api/tasks/bulk (the priority of the developer's task and an unassigned one: the first refused id decides)",
      request: (fx) => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [id(fx, "assigned"), id(fx, "plain")], set: { priority: "high" } } }),
      expect: outcome({ 200: MANAGERS, 403: [...SEE_ONLY, "developer"] }, 404),
    },
    {
      route: "PATCH /api/tasks/bulk",
      name: "PATCH /api/tasks/bulk (the caller's own personal task)",
      request: (fx, caller) => ({ method: "PATCH", url: "/api/tasks/bulk", payload: { ids: [mine(fx, caller)], set: { priority: "urgent", labels: ["Mine"] } } }),
      expect: outcome({ 200: KEEPERS }, 404, 200),
    },
    {
      route: "POST /api/tasks/bulk",
      name: "POST /api/tasks/bulk (in project P)",
      request: (fx) => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: id(fx, "project"), tasks: [{ title: "Bulk one" }, { title: "Bulk two" }] } }),
      expect: outcome({ 201: MANAGERS }, 403),
    },
    {
      route: "POST /api/tasks/bulk",
      name: "POST /api/tasks/bulk (in the verified developer's own project)",
      request: (fx) => ({ method: "POST", url: "/api/tasks/bulk", payload: { projectId: id(fx, "ownProject"), tasks: [{ title: "Bulk own" }] } }),
      expect: outcome({ 201: [...MANAGERS, "verified_developer"] }, 403),
    },
    {
      route: "POST /api/tasks/bulk",
      name: "POST /api/tasks/bulk (personal, in organization A)",
      request: (fx) => ({ method: "POST", url: "/api/tasks/bulk", payload: { orgId: fx.orgA.id, tasks: [{ title: "Bulk to-do" }] } }),
      expect: outcome({ 201: KEEPERS }, 403),
    },
  ],
  setup,
  {
    customRoles: {
      task_reader: { permissions: ["projects.view", "tasks.view_all", "tasks.manage"], ownScoped: ["tasks.manage"] },
      no_tasks: { permissions: ["projects.view", "developers.view"] },
    },
  },
);
