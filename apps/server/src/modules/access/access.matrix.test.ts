import { buildMember } from "../../../test/factories.js";
import { ALL_ROLES, rolesWithout, runMatrix, statuses, type Caller, type MatrixFixture } from "../../../test/matrix.js";
import { createVia, matrixCallers, perCaller } from "../projects/fixtures.test-util.js";

/**
 * Organizations, members, roles and the caller's own identity × roles. Organization A's
 * admin manages A; the outsider (B's admin) finds nothing of A and manages B.
 */

const everyone = [...ALL_ROLES, "superuser", "outsider"] as const satisfies readonly Caller[];
const ofA = [...ALL_ROLES, "superuser"] as const satisfies readonly Caller[];
const admins = ["admin", "superuser"] as const satisfies readonly Caller[];
const viewers = ["admin", "project_manager", "salesperson", "verifier", "support", "superuser"] as const satisfies readonly Caller[];
const nonViewers = ["verified_developer", "developer", "customer"] as const satisfies readonly Caller[];
/** Rows about organization A that only its admins (and the superuser) may change. */
const adminOnly = { ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 };

/** A role key from a caller's name: lowercase letters, digits and underscores. */
const roleKey = (prefix: string, name: string) => `${prefix}_${name.replace(/[^a-z0-9]/g, "")}`.slice(0, 40);

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { admin } = fx.users;
  const data: Record<string, string> = {};
  // Added by the admin and never signed in: an invitation is pending.
  data.invited = (await buildMember(fx.t, { orgId: fx.orgA.id, roles: ["customer"], by: admin })).user.id;
  for (const [key] of matrixCallers(fx)) {
    const doomed = roleKey("doomed", key);
    await createVia(fx, admin.token, `/api/orgs/${fx.orgA.slug}/roles`, { key: doomed, name: `Doomed ${key}`, permissions: ["projects.view"] });
    data[`role:${key}`] = doomed;
  }
  data["role:anonymous"] = data[`role:${fx.users.admin.username}`] ?? "";
  return data;
}

runMatrix(
  "identity endpoints × roles",
  [
    {
      route: "GET /api/me",
      request: () => ({ method: "GET", url: "/api/me" }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "GET /api/permissions",
      request: () => ({ method: "GET", url: "/api/permissions" }),
      expect: { ...statuses(200, everyone), anonymous: 200 },
    },
    {
      route: "GET /api/orgs",
      request: () => ({ method: "GET", url: "/api/orgs" }),
      // Each caller lists the organizations they belong to (the superuser, all of them).
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "POST /api/orgs",
      request: (_fx, caller) => ({ method: "POST", url: "/api/orgs", payload: { slug: `made-by-${caller?.username ?? "anon"}`.toLowerCase().slice(0, 40), name: "Made" } }),
      expect: { superuser: 201, ...statuses(403, ALL_ROLES), outsider: 403, anonymous: 401 },
    },
    {
      route: "GET /api/orgs/{org}",
      name: "GET /api/orgs/{A}",
      request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}` }),
      expect: { ...statuses(200, ofA), outsider: 404, anonymous: 401 },
    },
    {
      route: "PATCH /api/orgs/{org}",
      name: "PATCH /api/orgs/{A} (rename)",
      request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.id}`, payload: { name: "Org A renamed" } }),
      expect: { ...statuses(200, admins), ...adminOnly },
    },
    {
      route: "GET /api/orgs/{org}/members",
      name: "GET /api/orgs/{A}/members",
      request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}/members` }),
      expect: { ...statuses(200, viewers), ...statuses(403, nonViewers), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/orgs/{org}/members",
      name: "POST /api/orgs/{A}/members",
      request: (fx, caller) => {
        const name = `new-${caller?.username ?? "anon"}`.slice(0, 40);
        return { method: "POST", url: `/api/orgs/${fx.orgA.slug}/members`, payload: { email: `${name}@example.test`, username: name, roles: ["support"] } };
      },
      expect: { ...statuses(201, admins), ...adminOnly },
    },
    {
      route: "PATCH /api/orgs/{org}/members/{userId}",
      name: "PATCH /api/orgs/{A}/members/{customer} (roles)",
      request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.slug}/members/${fx.users.customer.id}`, payload: { roles: ["customer"] } }),
      expect: { ...statuses(200, admins), ...adminOnly },
    },
    {
      route: "POST /api/orgs/{org}/members/{userId}/invitation",
      name: "POST /api/orgs/{A}/members/{invited}/invitation",
      request: (fx) => ({ method: "POST", url: `/api/orgs/${fx.orgA.slug}/members/${fx.data.invited}/invitation` }),
      expect: { ...statuses(202, admins), ...adminOnly },
    },
    {
      route: "GET /api/orgs/{org}/roles",
      name: "GET /api/orgs/{A}/roles",
      request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}/roles` }),
      expect: { ...statuses(200, viewers), ...statuses(403, nonViewers), outsider: 404, anonymous: 401 },
    },
    {
      route: "POST /api/orgs/{org}/roles",
      name: "POST /api/orgs/{A}/roles",
      request: (fx, caller) => ({
        method: "POST",
        url: `/api/orgs/${fx.orgA.slug}/roles`,
        payload: { key: roleKey("custom", caller?.username ?? "anon"), name: "Custom", permissions: ["projects.view"] },
      }),
      expect: { ...statuses(201, admins), ...adminOnly },
    },
    {
      route: "PATCH /api/orgs/{org}/roles/{key}",
      name: "PATCH /api/orgs/{A}/roles/support (rename)",
      request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.slug}/roles/support`, payload: { name: "Customer support" } }),
      expect: { ...statuses(200, admins), ...adminOnly },
    },
    {
      route: "DELETE /api/orgs/{org}/roles/{key}",
      name: "DELETE /api/orgs/{A}/roles/{a custom role nobody holds}",
      request: (fx, caller) => ({ method: "DELETE", url: `/api/orgs/${fx.orgA.slug}/roles/${perCaller(fx, "role", caller)}` }),
      expect: { ...statuses(204, admins), ...adminOnly },
    },
    {
      route: "GET /api/orgs/{org}/members",
      name: "GET /api/orgs/{B}/members (another organization)",
      request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgB.slug}/members` }),
      expect: { ...statuses(404, ALL_ROLES), superuser: 200, outsider: 200, anonymous: 401 },
    },
    {
      route: "PATCH /api/orgs/{org}/members/{userId}",
      name: "PATCH /api/orgs/{B}/members/{outsider} (another organization; the roles they hold)",
      request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgB.slug}/members/${fx.outsider.id}`, payload: { roles: ["admin"] } }),
      expect: { ...statuses(404, ALL_ROLES), superuser: 200, outsider: 200, anonymous: 401 },
    },
  ],
  setup,
);
