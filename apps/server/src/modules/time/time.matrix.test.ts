import { DEFAULT_ROLES } from "@cairn/shared";
import { buildProject, buildTask } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, type Caller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { createVia, matrixCallers } from "../projects/fixtures.test-util.js";

/**
 * Time entries × every role, the superuser, an admin of another organization
 * and nobody (API.md "Tasks", ADR 0009):
 * - task T of project P is assigned to the developer; the admin, the project
 *   manager, support, the developer and the superuser see it (and its time);
 * - its assignee and tasks.manage holders log time on it (support: 403 naming
 *   tasks.manage); people change and delete their own entries only;
 * - the timesheet answers everyone signed in (their own entries and those of
 *   tasks they see); its CSV needs reports.view.
 */

const SEE: readonly Caller[] = ["admin", "project_manager", "support", "developer", "superuser"];
const LOG: readonly Caller[] = ["admin", "project_manager", "developer", "superuser"];
const REPORTERS: readonly Caller[] = [...DEFAULT_ROLES.filter((role) => role.permissions.includes("reports.view")).map((role) => role.key), "superuser"];

function outcome(listed: Record<number, readonly Caller[]>, otherwise = 404): Partial<Record<Caller, number>> {
  const result: Partial<Record<Caller, number>> = Object.fromEntries([...ALL_ROLES, "superuser", "outsider"].map((who) => [who, otherwise]));
  for (const [status, callers] of Object.entries(listed)) for (const who of callers) result[who] = Number(status);
  return { ...result, anonymous: 401 };
}

const isOne = (fx: MatrixFixture, caller: MatrixUser, among: readonly Caller[]) =>
  among.some((who) => (who === "superuser" ? caller === fx.superuser : who !== "outsider" && who !== "anonymous" && caller === fx.users[who]));

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users } = fx;
  const { admin, project_manager: manager, developer } = users;
  const data: Record<string, string> = {};
  const project = await buildProject(t, { orgId: orgA.id, name: "Hours", key: "HRS", managerId: manager.id, by: admin });
  data.task = (await buildTask(t, { projectId: project.id, title: "Bill me", assigneeId: developer.id, by: manager })).id;
  const log = (token: string, minutes: number) => createVia(fx, token, `/api/tasks/${data.task}/time-entries`, { minutes, spentOn: "2026-03-02" });
  data["entry:shared"] = await log(developer.token, 30);
  for (const [key, caller] of matrixCallers(fx)) {
    if (!isOne(fx, caller, LOG)) continue;
    data[`own:${key}`] = await log(caller.token, 15);
    data[`doomed:${key}`] = await log(caller.token, 5);
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
/** The caller's own entry, or the developer's for those who have none. */
const own = (fx: MatrixFixture, caller: MatrixUser | null, prefix: string) => fx.data[`${prefix}:${caller?.username ?? "anonymous"}`] ?? id(fx, "entry:shared");

runMatrix(
  "time entries × roles",
  [
    {
      route: "GET /api/tasks/{id}/time-entries",
      request: (fx) => ({ method: "GET", url: `/api/tasks/${id(fx, "task")}/time-entries` }),
      expect: outcome({ 200: SEE }),
    },
    {
      route: "POST /api/tasks/{id}/time-entries",
      request: (fx) => ({ method: "POST", url: `/api/tasks/${id(fx, "task")}/time-entries`, payload: { minutes: 45, spentOn: "2026-03-03", note: "Work" } }),
      expect: outcome({ 201: LOG, 403: ["support"] }),
    },
    {
      route: "GET /api/time-entries",
      request: () => ({ method: "GET", url: "/api/time-entries?user=me" }),
      expect: outcome({}, 200),
    },
    {
      route: "GET /api/time-entries",
      name: "GET /api/time-entries?org=A&project=P (narrowed to organization A)",
      request: (fx) => ({ method: "GET", url: `/api/time-entries?org=${fx.orgA.slug}&from=2026-03-01&to=2026-03-31` }),
      expect: { ...outcome({}, 200), outsider: 404 },
    },
    {
      route: "PATCH /api/time-entries/{id}",
      name: "PATCH /api/time-entries/{id} (the caller's own entry)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/time-entries/${own(fx, caller, "own")}`, payload: { minutes: 20 } }),
      // Support has no entry of their own: theirs is the developer's, which they see and may not change.
      expect: outcome({ 200: LOG, 403: ["support"] }),
    },
    {
      route: "PATCH /api/time-entries/{id}",
      name: "PATCH /api/time-entries/{id} (the developer's entry: its author alone)",
      request: (fx) => ({ method: "PATCH", url: `/api/time-entries/${id(fx, "entry:shared")}`, payload: { note: "Changed" } }),
      expect: outcome({ 200: ["developer"], 403: ["admin", "project_manager", "support", "superuser"] }),
    },
    {
      route: "DELETE /api/time-entries/{id}",
      name: "DELETE /api/time-entries/{id} (the caller's own entry)",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/time-entries/${own(fx, caller, "doomed")}` }),
      expect: outcome({ 204: LOG, 403: ["support"] }),
    },
    {
      route: "GET /api/reports/time.csv",
      request: () => ({ method: "GET", url: "/api/reports/time.csv" }),
      expect: { ...outcome({ 200: REPORTERS }, 403), outsider: 200 },
    },
  ],
  setup,
);
