import { defineModule } from "../../platform/modules.js";
import { teamsRoutes } from "./teams.routes.js";
import { teamMembers, teams } from "./teams.table.js";

/** Teams of an organization, with their manager and members. */
export const teamsModule = defineModule({
  name: "teams",
  routes: [{ prefix: "/api/teams", plugin: teamsRoutes }],
  tables: { teams, teamMembers },
});

// The public surface other modules use.
export { teamPolicy } from "./teams.policy.js";
export { teamMembers, teams } from "./teams.table.js";
