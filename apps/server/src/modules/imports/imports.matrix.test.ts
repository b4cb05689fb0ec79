import { expect } from "vitest";
import { buildProject } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, type Caller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { matrixCallers } from "../projects/fixtures.test-util.js";
import { importForm, waitForImport } from "./imports.test-util.js";

/**
 * CSV imports × every role, the superuser, an admin of another organization
 * and nobody: project P of organization A is managed by the project manager.
 * Importing into it, and seeing, downloading the errors of and undoing its
 * imports, is for tasks.manage holders on it (the admin, its manager, the
 * superuser); the organization's other members, who see the project, get
 * 403 naming tasks.manage, and the stranger 404.
 */

const MANAGE: readonly Caller[] = ["admin", "project_manager", "superuser"];

function outcome(allowed: number): Partial<Record<Caller, number>> {
  const result: Partial<Record<Caller, number>> = Object.fromEntries(ALL_ROLES.map((role) => [role, 403]));
  for (const who of MANAGE) result[who] = allowed;
  return { ...result, outsider: 404, anonymous: 401 };
}

const CSV = "title,externalId\nFrom the matrix,M-1\n";

async function imported(fx: MatrixFixture, token: string, projectId: string): Promise<string> {
  const started = await fx.t.request({ method: "POST", url: "/api/tasks/import", token, ...importForm([["projectId", projectId], ["file", CSV]]) });
  expect(started.statusCode, started.body).toBe(202);
  const { importId } = started.json<{ importId: string }>();
  expect((await waitForImport(fx.t, token, importId)).status).toBe("completed");
  return importId;
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users } = fx;
  const project = await buildProject(t, { orgId: orgA.id, name: "Backlog", key: "BKL", managerId: users.project_manager.id, by: users.admin });
  const data: Record<string, string> = { project: project.id };
  data["import:shared"] = await imported(fx, users.admin.token, project.id);
  for (const [key, caller] of matrixCallers(fx)) {
    if (MANAGE.some((who) => (who === "superuser" ? caller === fx.superuser : caller === fx.users[who as keyof typeof fx.users]))) {
      data[`import:${key}`] = await imported(fx, caller.token, project.id);
    }
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
const own = (fx: MatrixFixture, caller: MatrixUser | null) => fx.data[`import:${caller?.username ?? "anonymous"}`] ?? id(fx, "import:shared");

runMatrix(
  "task imports × roles",
  [
    {
      route: "POST /api/tasks/import",
      name: "POST /api/tasks/import (dry run)",
      request: (fx) => ({ method: "POST", url: "/api/tasks/import", ...importForm([["projectId", id(fx, "project")], ["dryRun", "true"], ["file", CSV]]) }),
      expect: outcome(200),
    },
    {
      route: "POST /api/tasks/import",
      request: (fx) => ({ method: "POST", url: "/api/tasks/import", ...importForm([["projectId", id(fx, "project")], ["dryRun", "false"], ["file", CSV]]) }),
      expect: outcome(202),
    },
    {
      route: "GET /api/imports/{id}",
      request: (fx) => ({ method: "GET", url: `/api/imports/${id(fx, "import:shared")}` }),
      expect: outcome(200),
    },
    {
      route: "GET /api/imports/{id}/errors.csv",
      request: (fx) => ({ method: "GET", url: `/api/imports/${id(fx, "import:shared")}/errors.csv` }),
      expect: outcome(200),
    },
    {
      route: "POST /api/imports/{id}/undo",
      name: "POST /api/imports/{id}/undo (an import of the caller's own)",
      request: (fx, caller) => ({ method: "POST", url: `/api/imports/${own(fx, caller)}/undo` }),
      expect: outcome(200),
    },
  ],
  setup,
);
