import { ALL_ROLES, rolesWithout, runMatrix, statuses } from "../../../test/matrix.js";

const everyone = [...ALL_ROLES, "superuser"] as const;
const admins = ["admin", "superuser"] as const;
const viewers = ["admin", "project_manager", "salesperson", "verifier", "support", "superuser"] as const;

runMatrix("identity endpoints × roles", [
  {
    name: "GET /api/me",
    request: () => ({ method: "GET", url: "/api/me" }),
    expect: { ...statuses(200, everyone), anonymous: 401 },
  },
  {
    name: "GET /api/permissions",
    request: () => ({ method: "GET", url: "/api/permissions" }),
    expect: { ...statuses(200, everyone), anonymous: 200 },
  },
  {
    name: "GET /api/orgs/{A}",
    request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}` }),
    expect: { ...statuses(200, everyone), outsider: 404, anonymous: 401 },
  },
  {
    name: "PATCH /api/orgs/{A} (rename)",
    request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.id}`, payload: { name: "Org A renamed" } }),
    expect: { ...statuses(200, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    name: "POST /api/orgs",
    request: (_fx, caller) => ({ method: "POST", url: "/api/orgs", payload: { slug: `made-by-${caller?.username ?? "anon"}`.toLowerCase().slice(0, 40), name: "Made" } }),
    expect: { superuser: 201, ...statuses(403, ALL_ROLES), outsider: 403, anonymous: 401 },
  },
  {
    name: "GET /api/orgs/{A}/members",
    request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}/members` }),
    expect: { ...statuses(200, viewers), ...statuses(403, ["verified_developer", "developer", "customer"]), outsider: 404, anonymous: 401 },
  },
  {
    name: "POST /api/orgs/{A}/members",
    request: (_fx, caller) => {
      const name = `new-${caller?.username ?? "anon"}`.slice(0, 40);
      return { method: "POST", url: `/api/orgs/${_fx.orgA.slug}/members`, payload: { email: `${name}@example.test`, username: name, roles: ["support"] } };
    },
    expect: { ...statuses(201, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    name: "PATCH /api/orgs/{A}/members/{customer} (roles)",
    request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.slug}/members/${fx.users.customer.id}`, payload: { roles: ["customer"] } }),
    expect: { ...statuses(200, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    name: "GET /api/orgs/{A}/roles",
    request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}/roles` }),
    expect: { ...statuses(200, viewers), ...statuses(403, ["verified_developer", "developer", "customer"]), outsider: 404, anonymous: 401 },
  },
  {
    name: "POST /api/orgs/{A}/roles",
    request: (fx, caller) => ({
      method: "POST",
      url: `/api/orgs/${fx.orgA.slug}/roles`,
      payload: { key: `custom_${(caller?.username ?? "anon").replace(/[^a-z0-9]/g, "")}`.slice(0, 40), name: "Custom", permissions: ["projects.view"] },
    }),
    expect: { ...statuses(201, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    name: "PATCH /api/orgs/{A}/roles/support (rename)",
    request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgA.slug}/roles/support`, payload: { name: "Customer support" } }),
    expect: { ...statuses(200, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    name: "GET /api/orgs/{B}/members (another organization)",
    request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgB.slug}/members` }),
    expect: { ...statuses(404, ALL_ROLES), superuser: 200, outsider: 200 },
  },
  {
    name: "PATCH /api/orgs/{B}/members/{outsider} (another organization)",
    request: (fx) => ({ method: "PATCH", url: `/api/orgs/${fx.orgB.slug}/members/${fx.outsider.id}`, payload: { roles: ["customer"] } }),
    expect: statuses(404, ALL_ROLES),
  },
]);
