import { ALL_ROLES, rolesWithout, runMatrix, statuses } from "../../../test/matrix.js";

const everyone = [...ALL_ROLES, "superuser"] as const;
const admins = ["admin", "superuser"] as const;

runMatrix("people endpoints × roles", [
  {
    route: "GET /api/developers",
    request: () => ({ method: "GET", url: "/api/developers" }),
    // The outsider lists the developers of their own organization.
    expect: { ...statuses(200, everyone), outsider: 200, anonymous: 401 },
  },
  {
    route: "GET /api/developers",
    name: "GET /api/developers?org={A}",
    request: (fx) => ({ method: "GET", url: `/api/developers?org=${fx.orgA.slug}&verified=false&search=user` }),
    expect: { ...statuses(200, everyone), outsider: 404, anonymous: 401 },
  },
  {
    route: "GET /api/developers/{userId}",
    name: "GET /api/developers/{developer of A}",
    request: (fx) => ({ method: "GET", url: `/api/developers/${fx.users.developer.id}` }),
    expect: { ...statuses(200, everyone), outsider: 404, anonymous: 401 },
  },
  {
    route: "GET /api/users/{userId}/profile",
    name: "GET /api/users/{customer of A}/profile",
    request: (fx) => ({ method: "GET", url: `/api/users/${fx.users.customer.id}/profile` }),
    expect: { ...statuses(200, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
  {
    route: "PATCH /api/users/{userId}/profile",
    name: "PATCH /api/users/{customer of A}/profile",
    request: (fx) => ({ method: "PATCH", url: `/api/users/${fx.users.customer.id}/profile`, payload: { bio: "Edited through the matrix." } }),
    expect: { ...statuses(200, admins), ...statuses(403, rolesWithout(["admin"])), outsider: 404, anonymous: 401 },
  },
]);
