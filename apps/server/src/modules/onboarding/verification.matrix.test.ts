import { rolesWithout, runMatrix, statuses } from "../../../test/matrix.js";
import { buildDeveloper } from "./onboarding.test-util.js";

/**
 * An admin's promotion and demotion of developers × roles: members.manage in the
 * member's organization; the outsider (B's admin) finds neither A nor its members.
 */
const adminOnly = {
  ...statuses(200, ["admin", "superuser"]),
  ...statuses(403, rolesWithout(["admin"])),
  outsider: 404,
  anonymous: 401,
};

runMatrix(
  "developer verification × roles",
  [
    {
      route: "POST /api/orgs/{org}/members/{userId}/verification",
      name: "POST /api/orgs/{A}/members/{developer}/verification (promote)",
      request: (fx) => ({
        method: "POST",
        url: `/api/orgs/${fx.orgA.slug}/members/${fx.data.promoted}/verification`,
        payload: { verified: true },
      }),
      expect: adminOnly,
    },
    {
      route: "POST /api/orgs/{org}/members/{userId}/verification",
      name: "POST /api/orgs/{A}/members/{verified developer}/verification (demote)",
      request: (fx) => ({
        method: "POST",
        url: `/api/orgs/${fx.orgA.slug}/members/${fx.data.demoted}/verification`,
        payload: { verified: false },
      }),
      expect: adminOnly,
    },
  ],
  async (fx) => ({
    // Asking again for the step a member is on changes nothing: every admin's call answers 200.
    promoted: (await buildDeveloper(fx.t, fx.orgA.id)).id,
    demoted: (await buildDeveloper(fx.t, fx.orgA.id, { roles: ["verified_developer"] })).id,
  }),
);
