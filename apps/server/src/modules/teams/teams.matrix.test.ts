import { buildClient, buildMember, buildTeam } from "../../../test/factories.js";
import { ALL_ROLES, rolesWithout, runMatrix, statuses, type Caller, type MatrixFixture } from "../../../test/matrix.js";
import { matrixCallers, perCaller } from "../projects/fixtures.test-util.js";

/**
 * Team and client endpoints × roles. The shared team has every role of
 * organization A as a member and the project manager as its manager, so
 * refusals are 403s; the private team has no members, so it is invisible
 * (404) to everyone but its manager and admins.
 */

const everyone = [...ALL_ROLES, "superuser"] as const satisfies readonly Caller[];
const teamRunners = ["admin", "project_manager", "superuser"] as const satisfies readonly Caller[];
const staff = ["admin", "project_manager", "salesperson", "verifier", "support", "superuser"] as const satisfies readonly Caller[];
const clientManagers = ["admin", "salesperson", "superuser"] as const satisfies readonly Caller[];

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA } = fx;
  const { admin, salesperson, project_manager: manager } = fx.users;
  const everybody = Object.values(fx.users).map((user) => user.id);
  const data: Record<string, string> = {};
  data.extra = (await buildMember(t, { orgId: orgA.id, username: "extra-team", by: admin })).user.id;
  const team = async (name: string, memberIds: string[]) => (await buildTeam(t, { orgId: orgA.id, name, managerId: manager.id, memberIds, by: admin })).id;
  const client = async (name: string) => (await buildClient(t, { orgId: orgA.id, name, by: salesperson })).id;
  data.team = await team("Shared team", everybody);
  data.privateTeam = await team("Private team", []);
  data.client = await client("Client A");
  for (const [key] of matrixCallers(fx)) {
    data[`join:${key}`] = await team(`Join ${key}`, everybody);
    data[`leave:${key}`] = await team(`Leave ${key}`, [...everybody, data.extra]);
    data[`delete:${key}`] = await team(`Delete ${key}`, everybody);
    data[`client:${key}`] = await client(`Client ${key}`);
  }
  return data;
}

runMatrix(
  "team and client endpoints × roles",
  [
    {
      route: "GET /api/teams",
      request: () => ({ method: "GET", url: "/api/teams" }),
      expect: { ...statuses(200, everyone), outsider: 200, anonymous: 401 },
    },
    {
      route: "POST /api/teams",
      request: (fx, caller) => ({ method: "POST", url: "/api/teams", payload: { orgId: fx.orgA.id, name: `Team of ${caller?.username ?? "nobody"}` } }),
      expect: { ...statuses(201, teamRunners), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/teams/{id}",
      name: "GET /api/teams/{id} (the caller is a member)",
      request: (fx) => ({ method: "GET", url: `/api/teams/${fx.data.team}` }),
      expect: { ...statuses(200, everyone), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/teams/{id}",
      name: "GET /api/teams/{id} (the caller is not a member)",
      request: (fx) => ({ method: "GET", url: `/api/teams/${fx.data.privateTeam}` }),
      expect: { ...statuses(200, teamRunners), ...statuses(404, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/teams/{id}",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/teams/${fx.data.team}`, payload: { description: `Edited by ${caller?.username ?? "nobody"}` } }),
      expect: { ...statuses(200, teamRunners), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/teams/{id}/members/{userId}",
      request: (fx, caller) => ({ method: "POST", url: `/api/teams/${perCaller(fx, "join", caller)}/members/${fx.data.extra}` }),
      expect: { ...statuses(201, teamRunners), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/teams/{id}/members/{userId}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/teams/${perCaller(fx, "leave", caller)}/members/${fx.data.extra}` }),
      expect: { ...statuses(204, teamRunners), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/teams/{id}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/teams/${perCaller(fx, "delete", caller)}` }),
      expect: { ...statuses(204, teamRunners), ...statuses(403, rolesWithout(["admin", "project_manager"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/clients",
      request: () => ({ method: "GET", url: "/api/clients" }),
      expect: { ...statuses(200, staff), ...statuses(403, ["verified_developer", "developer", "customer"]), outsider: 200, anonymous: 401 },
    },
    {
      route: "POST /api/clients",
      request: (fx, caller) => ({ method: "POST", url: "/api/clients", payload: { orgId: fx.orgA.id, name: `Brought by ${caller?.username ?? "nobody"}` } }),
      expect: { ...statuses(201, clientManagers), ...statuses(403, rolesWithout(["admin", "salesperson"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "GET /api/clients/{id}",
      request: (fx) => ({ method: "GET", url: `/api/clients/${fx.data.client}` }),
      expect: { ...statuses(200, staff), ...statuses(403, ["verified_developer", "developer", "customer"]), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/clients/{id}",
      request: (fx) => ({ method: "PATCH", url: `/api/clients/${fx.data.client}`, payload: { notes: "Updated" } }),
      expect: { ...statuses(200, clientManagers), ...statuses(403, rolesWithout(["admin", "salesperson"])), outsider: 404, anonymous: 401 },
    },
    {
      route: "DELETE /api/clients/{id}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/clients/${perCaller(fx, "client", caller)}` }),
      expect: { ...statuses(204, clientManagers), ...statuses(403, rolesWithout(["admin", "salesperson"])), outsider: 404, anonymous: 401 },
    },
  ],
  setup,
);
