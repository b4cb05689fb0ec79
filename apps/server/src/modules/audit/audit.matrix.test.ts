import { eq, and } from "drizzle-orm";
import { ALL_ROLES, rolesWithout, runMatrix, statuses, type Caller, type MatrixFixture } from "../../../test/matrix.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { createVia } from "../projects/fixtures.test-util.js";

/** Audit log and reports × roles: admins everything, project managers their projects (audit) and reports. */

const readers = ["admin", "project_manager", "superuser"] as const satisfies readonly Caller[];

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { salesperson, project_manager: manager } = fx.users;
  const managed = await createVia(fx, salesperson.token, "/api/projects", { orgId: fx.orgA.id, name: "Managed", managerId: manager.id });
  const other = await createVia(fx, salesperson.token, "/api/projects", { orgId: fx.orgA.id, name: "Not managed" });
  const entry = async (projectId: string) => {
    const [row] = await fx.t.services.database.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, projectId), eq(auditLog.action, "project.created")));
    if (!row) throw new Error("no audit entry");
    return row.id;
  };
  return { managedEntry: await entry(managed), otherEntry: await entry(other) };
}

runMatrix(
  "audit and report endpoints × roles",
  [
    {
      route: "GET /api/audit",
      request: () => ({ method: "GET", url: "/api/audit" }),
      expect: { ...statuses(200, readers), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 200, anonymous: 401 },
    },
    {
      route: "GET /api/audit",
      name: "GET /api/audit?org={A}",
      request: (fx) => ({ method: "GET", url: `/api/audit?org=${fx.orgA.slug}` }),
      expect: { ...statuses(200, readers), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/audit/{id}",
      name: "GET /api/audit/{id} (a project the manager manages)",
      request: (fx) => ({ method: "GET", url: `/api/audit/${fx.data.managedEntry}` }),
      expect: { ...statuses(200, readers), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/audit/{id}",
      name: "GET /api/audit/{id} (a project the manager does not manage)",
      request: (fx) => ({ method: "GET", url: `/api/audit/${fx.data.otherEntry}` }),
      expect: { ...statuses(200, ["admin", "superuser"]), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/reports/projects.csv",
      request: () => ({ method: "GET", url: "/api/reports/projects.csv" }),
      expect: { ...statuses(200, readers), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 200, anonymous: 401 },
    },
    {
      route: "GET /api/reports/projects.csv",
      name: "GET /api/reports/projects.csv?org={A}",
      request: (fx) => ({ method: "GET", url: `/api/reports/projects.csv?org=${fx.orgA.id}` }),
      expect: { ...statuses(200, readers), ...statuses(403, ALL_ROLES.filter((role) => !["admin", "project_manager"].includes(role))), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/reports/tasks.csv",
      request: () => ({ method: "GET", url: "/api/reports/tasks.csv?status=todo" }),
      expect: { ...statuses(200, readers), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 200, anonymous: 401 },
    },
    {
      route: "GET /api/reports/tasks.csv",
      name: "GET /api/reports/tasks.csv?org={A}",
      request: (fx) => ({ method: "GET", url: `/api/reports/tasks.csv?org=${fx.orgA.id}` }),
      expect: { ...statuses(200, readers), ...statuses(403, ALL_ROLES.filter((role) => !["admin", "project_manager"].includes(role))), outsider: 404, anonymous: 401 },
    },
  ],
  setup,
);
