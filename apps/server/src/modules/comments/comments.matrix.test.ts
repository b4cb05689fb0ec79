import { buildProject, buildTask } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, type Caller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { createVia, matrixCallers, multipart, perCaller, PNG } from "../projects/fixtures.test-util.js";

/**
 * A task's discussion, activity and files × every role, the superuser, an
 * admin of another organization and nobody (API.md "Tasks"):
 * - task T of project P (managed by the project manager) is assigned to the
 *   developer: it is seen by the admin, the project manager and support
 *   (tasks.view_all), the developer (its assignee) and the superuser; anyone
 *   else of A gets a 404, as the outsider does;
 * - whoever sees the task comments and attaches; a comment is edited by its
 *   author alone; a comment or a file is deleted by its author and by
 *   whoever manages the task (tasks.manage: not support);
 * - the project manager's personal task is seen by them and by holders of
 *   tasks.oversee (the admin, the superuser), who may comment on it too.
 */

/** Who sees task T. */
const SEE: readonly Caller[] = ["admin", "project_manager", "support", "developer", "superuser"];
/** tasks.manage on T. */
const MANAGE: readonly Caller[] = ["admin", "project_manager", "superuser"];

/** `listed` statuses for their callers, 404 for every other caller of A and the outsider, 401 for nobody. */
function outcome(listed: Record<number, readonly Caller[]>): Partial<Record<Caller, number>> {
  const result: Partial<Record<Caller, number>> = Object.fromEntries([...ALL_ROLES, "superuser", "outsider"].map((who) => [who, 404]));
  for (const [status, callers] of Object.entries(listed)) for (const who of callers) result[who] = Number(status);
  return { ...result, anonymous: 401 };
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users } = fx;
  const { admin, project_manager: manager, developer } = users;
  const data: Record<string, string> = {};
  const project = await buildProject(t, { orgId: orgA.id, name: "Talk", key: "TALK", managerId: manager.id, by: admin });
  data.task = (await buildTask(t, { projectId: project.id, title: "Discuss me", assigneeId: developer.id, by: manager })).id;
  data.personal = (await buildTask(t, { orgId: orgA.id, title: "The manager's to-do", by: manager })).id;
  const comment = (token: string, body: string) => createVia(fx, token, `/api/tasks/${data.task}/comments`, { body });
  const file = (token: string, name: string) => createVia(fx, token, `/api/tasks/${data.task}/attachments`, multipart(name, PNG));
  data["comment:shared"] = await comment(developer.token, "The developer's word");
  data["file:shared"] = await file(developer.token, "shared.png");
  for (const [key, caller] of matrixCallers(fx)) {
    const sees = SEE.some((who) => (who === "superuser" ? caller === fx.superuser : caller === fx.users[who as keyof typeof fx.users]));
    if (sees) data[`own:${key}`] = await comment(caller.token, `${key}'s own word`);
    data[`doomed:${key}`] = await comment(developer.token, `Doomed for ${key}`);
    data[`doomedFile:${key}`] = await file(developer.token, `doomed-${key}.png`);
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
/** The caller's own comment (the developer's for those who have none: they cannot see the task, or may not edit it). */
const own = (fx: MatrixFixture, caller: MatrixUser | null) => fx.data[`own:${caller?.username ?? "anonymous"}`] ?? id(fx, "comment:shared");

runMatrix(
  "task comments, activity and files × roles",
  [
    {
      route: "GET /api/tasks/{id}/comments",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "task")}/comments` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "POST /api/tasks/{id}/comments",
      request: (fx, caller) => ({ method: "POST", url: `/api/tasks/${id(fx, "task")}/comments`, payload: { body: `From ${caller?.username ?? "nobody"}` } }),
      expect: outcome({ 201: SEE }),
    },
    {
      route: "POST /api/tasks/{id}/comments",
      name: "POST /api/tasks/{id}/comments (the project manager's personal task: them and tasks.oversee)",
      request: (fx) => ({ method: "POST", url: `/api/tasks/${id(fx, "personal")}/comments`, payload: { body: "Noted" } }),
      expect: outcome({ 201: ["project_manager", "admin", "superuser"] }),
    },
    {
      route: "GET /api/tasks/{id}/mentionable",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "task")}/mentionable?search=a` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "GET /api/tasks/{id}/activity",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "task")}/activity` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "PATCH /api/comments/{id}",
      name: "PATCH /api/comments/{id} (the caller's own comment)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/comments/${own(fx, caller)}`, payload: { body: "Edited by its author" } }),
      // Those who see the task edit their own; the developer's own is the shared one.
      expect: outcome({ 200: SEE }),
    },
    {
      route: "PATCH /api/comments/{id}",
      name: "PATCH /api/comments/{id} (the developer's comment: its author alone)",
      request: (fx) => ({ method: "PATCH", url: `/api/comments/${id(fx, "comment:shared")}`, payload: { body: "Someone else's words" } }),
      expect: outcome({ 200: ["developer"], 403: ["admin", "project_manager", "support", "superuser"] }),
    },
    {
      route: "DELETE /api/comments/{id}",
      name: "DELETE /api/comments/{id} (the developer's comment: its author and tasks.manage)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/comments/${perCaller(fx, "doomed", caller)}` }),
      expect: outcome({ 204: [...MANAGE, "developer"], 403: ["support"] }),
    },
    {
      route: "GET /api/tasks/{id}/attachments",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "task")}/attachments` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "POST /api/tasks/{id}/attachments",
      request: (fx) => ({ method: "POST", url: `/api/tasks/${id(fx, "task")}/attachments`, ...multipart("screen.png", PNG) }),
      expect: outcome({ 201: SEE }),
    },
    {
      route: "GET /api/files/{id}/download",
      name: "GET /api/files/{id}/download (a task's file)",
      request: (fx) => ({ method: "GET", url: `/api/files/${id(fx, "file:shared")}/download` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "DELETE /api/files/{id}",
      name: "DELETE /api/files/{id} (a task's file the developer uploaded: the uploader and tasks.manage)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/files/${perCaller(fx, "doomedFile", caller)}` }),
      expect: outcome({ 204: [...MANAGE, "developer"], 403: ["support"] }),
    },
  ],
  setup,
);
