import { buildClient, buildMember, buildProject, buildTeam } from "../../../test/factories.js";
import { ALL_ROLES, rolesWithout, runMatrix, statuses, type Caller, type MatrixFixture } from "../../../test/matrix.js";
import { createVia, matrixCallers, multipart, perCaller, PNG } from "./fixtures.test-util.js";

/**
 * Every project, member, payment and file endpoint × every default role, the
 * superuser, an admin of another organization (outsider) and nobody. The
 * shared project P belongs to the salesperson, is managed by the project
 * manager and is opened for a client linked to the customer. A second project
 * has `team` visibility: its team (the two developers) and admins see it, and
 * for everyone else of A it does not exist.
 */

const all = [...ALL_ROLES, "superuser"] as const satisfies readonly Caller[];
const projectRunners = ["admin", "project_manager", "salesperson", "superuser"] as const satisfies readonly Caller[];
const notRunners = rolesWithout(["admin", "project_manager", "salesperson"]);
const financialReaders = ["admin", "project_manager", "salesperson", "verifier", "customer", "superuser"] as const satisfies readonly Caller[];
/** Staff who see all of a project's money; the customer sees approved payments only (a pending one is a 404 for them). */
const financeStaff = ["admin", "project_manager", "salesperson", "verifier", "superuser"] as const satisfies readonly Caller[];
const noFinancials = ["support", "verified_developer", "developer"] as const satisfies readonly Caller[];
/** A `team` project is seen by its team's members (the two developers) and by admins, and by nobody else of A. */
const teamProjectReaders = ["admin", "verified_developer", "developer", "superuser"] as const satisfies readonly Caller[];
const outsideTheTeam = ["project_manager", "salesperson", "verifier", "support", "customer"] as const satisfies readonly Caller[];
const payers = ["admin", "salesperson", "superuser"] as const satisfies readonly Caller[];
const checkers = ["admin", "verifier", "superuser"] as const satisfies readonly Caller[];

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users, superuser } = fx;
  const { admin, salesperson, project_manager: manager, customer, verifier, verified_developer: verifiedDeveloper, developer } = users;
  const data: Record<string, string> = {};
  data.extra = (await buildMember(t, { orgId: orgA.id, username: "extra-member", by: admin })).user.id;
  const client = await buildClient(t, { orgId: orgA.id, name: "Client A", customerUserId: customer.id, by: salesperson });
  const project = { orgId: orgA.id, clientId: client.id, managerId: manager.id, cost: "1000.00", by: salesperson };
  data.project = (await buildProject(t, { ...project, name: "Project A" })).id;
  // Seen by its team (two developers) and by admins only: the project manager manages neither it nor the team.
  const circle = await buildTeam(t, { orgId: orgA.id, name: "Inner circle", memberIds: [verifiedDeveloper.id, developer.id], by: superuser });
  data.teamProject = (await buildProject(t, { orgId: orgA.id, name: "Inner circle only", visibility: "team", teamId: circle.id, by: superuser })).id;
  data.payment = await createVia(fx, salesperson.token, `/api/projects/${data.project}/payments`, { amount: "100.00", method: "card" });
  data.approved = await createVia(fx, salesperson.token, `/api/projects/${data.project}/payments`, { amount: "200.00", method: "card" });
  const approval = await t.request({ method: "POST", url: `/api/payments/${data.approved}/verify`, token: verifier.token, payload: { decision: "approve" } });
  if (approval.statusCode !== 200) throw new Error(`approval failed: ${approval.body}`);
  data.file = await createVia(fx, salesperson.token, `/api/projects/${data.project}/files`, multipart("brief.png", PNG));
  for (const [key] of matrixCallers(fx)) {
    data[`delete:${key}`] = (await buildProject(t, { orgId: orgA.id, name: `Doomed ${key}`, by: admin })).id;
    data[`members:${key}`] = (await buildProject(t, { ...project, name: `Crew ${key}` })).id;
    data[`leaving:${key}`] = (await buildProject(t, { ...project, name: `Leaving ${key}`, memberIds: [data.extra] })).id;
    data[`verify:${key}`] = await createVia(fx, salesperson.token, `/api/projects/${data[`members:${key}`]}/payments`, { amount: "50.00", method: "cash" });
    data[`file:${key}`] = await createVia(fx, salesperson.token, `/api/projects/${data.project}/files`, multipart(`${key}.txt`, Buffer.from("notes\n")));
  }
  return data;
}

runMatrix(
  "project endpoints × roles",
  [
    {
      route: "GET /api/projects",
      request: () => ({ method: "GET", url: "/api/projects?search=project" }),
      expect: { ...statuses(200, all), outsider: 200, anonymous: 401 },
    },
    {
      route: "POST /api/projects",
      request: (fx, caller) => ({ method: "POST", url: "/api/projects", payload: { orgId: fx.orgA.id, name: `New by ${caller?.username ?? "nobody"}` } }),
      expect: {
        ...statuses(201, ["admin", "project_manager", "salesperson", "verified_developer", "superuser"]),
        ...statuses(403, ["verifier", "support", "developer", "customer"]),
        outsider: 404,
        anonymous: 401,
      },
    },
    {
      route: "GET /api/projects/{id}",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.project}` }),
      expect: { ...statuses(200, all), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/projects/{id}",
      name: "GET /api/projects/{id} (a team project)",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.teamProject}` }),
      expect: { ...statuses(200, teamProjectReaders), ...statuses(404, outsideTheTeam), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/projects/{id}",
      name: "PATCH /api/projects/{id} (a team project)",
      request: (fx) => ({ method: "PATCH", url: `/api/projects/${fx.data.teamProject}`, payload: { priority: "high" } }),
      // The team sees it and may not change it (403); everyone else of A does not see it at all (404).
      expect: { ...statuses(200, ["admin", "superuser"]), ...statuses(403, ["verified_developer", "developer"]), ...statuses(404, outsideTheTeam), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/projects/{id}",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/projects/${fx.data.project}`, payload: { description: `Edited by ${caller?.username ?? "nobody"}` } }),
      expect: { ...statuses(200, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/projects/{id}/status",
      request: (fx) => ({ method: "PATCH", url: `/api/projects/${fx.data.project}/status`, payload: { status: "active" } }),
      expect: { ...statuses(200, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/projects/{id}/statistics",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.project}/statistics` }),
      expect: { ...statuses(200, all), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/projects/{id}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/projects/${perCaller(fx, "delete", caller)}` }),
      expect: { ...statuses(204, ["admin", "superuser"]), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/projects/{id}/members",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.project}/members` }),
      expect: { ...statuses(200, all), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/projects/{id}/members",
      request: (fx, caller) => ({ method: "POST", url: `/api/projects/${perCaller(fx, "members", caller)}/members`, payload: { userId: fx.data.extra } }),
      expect: { ...statuses(201, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/projects/{id}/members/{userId}",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/projects/${perCaller(fx, "leaving", caller)}/members/${fx.data.extra}`, payload: { role: "reviewer" } }),
      expect: { ...statuses(200, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/projects/{id}/members/{userId}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/projects/${perCaller(fx, "leaving", caller)}/members/${fx.data.extra}` }),
      expect: { ...statuses(204, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/projects/{id}/payments",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.project}/payments` }),
      expect: { ...statuses(200, financialReaders), ...statuses(403, noFinancials), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/projects/{id}/payments",
      request: (fx) => ({ method: "POST", url: `/api/projects/${fx.data.project}/payments`, payload: { amount: "10.00", method: "bank_transfer" } }),
      expect: { ...statuses(201, payers), ...statuses(403, rolesWithout(["admin", "salesperson"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/payments/{id}",
      name: "GET /api/payments/{id} (pending)",
      request: (fx) => ({ method: "GET", url: `/api/payments/${fx.data.payment}` }),
      expect: { ...statuses(200, financeStaff), ...statuses(403, noFinancials), customer: 404, outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/payments/{id}",
      name: "GET /api/payments/{id} (approved)",
      request: (fx) => ({ method: "GET", url: `/api/payments/${fx.data.approved}` }),
      expect: { ...statuses(200, financialReaders), ...statuses(403, noFinancials), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/payments",
      request: () => ({ method: "GET", url: "/api/payments?status=pending" }),
      expect: { ...statuses(200, financialReaders), ...statuses(403, noFinancials), outsider: 200, anonymous: 401 },
    },
    {
      route: "DELETE /api/payments/{id}",
      name: "DELETE /api/payments/{id} (approved: only the recorder is told it is decided)",
      request: (fx) => ({ method: "DELETE", url: `/api/payments/${fx.data.approved}` }),
      expect: { ...statuses(403, rolesWithout(["salesperson"])), salesperson: 409, superuser: 403, outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/payments/{id}/verify",
      request: (fx, caller) => ({ method: "POST", url: `/api/payments/${perCaller(fx, "verify", caller)}/verify`, payload: { decision: "approve" } }),
      expect: { ...statuses(200, checkers), ...statuses(403, rolesWithout(["admin", "verifier", "customer"])), customer: 404, outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/projects/{id}/files",
      request: (fx) => ({ method: "GET", url: `/api/projects/${fx.data.project}/files` }),
      expect: { ...statuses(200, all), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/projects/{id}/files",
      request: (fx) => ({ method: "POST", url: `/api/projects/${fx.data.project}/files`, ...multipart("upload.png", PNG) }),
      expect: { ...statuses(201, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/files/{id}/download",
      request: (fx) => ({ method: "GET", url: `/api/files/${fx.data.file}/download` }),
      expect: { ...statuses(200, all), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/files/{id}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/files/${perCaller(fx, "file", caller)}` }),
      expect: { ...statuses(204, projectRunners), ...statuses(403, notRunners), outsider: 404, anonymous: 401 },
    },
  ],
  setup,
);
