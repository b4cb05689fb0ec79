import { defineModule } from "../../platform/modules.js";
import { memberRoleChanged } from "./orgs.events.js";
import { orgsRoutes } from "./orgs.routes.js";
import { memberships, organizations } from "./orgs.table.js";

/** Organizations (tenants) and their members. */
export const orgsModule = defineModule({
  name: "orgs",
  routes: [{ prefix: "/api/orgs", plugin: orgsRoutes }],
  tables: { organizations, memberships },
  events: [memberRoleChanged],
});

// The public surface other modules use.
export { addMembership, findOpenOrganization, memberRoleKeys } from "./members.service.js";
export { memberRoleChanged } from "./orgs.events.js";
export { findOrganization, getOrganization } from "./orgs.service.js";
export { memberships, organizations } from "./orgs.table.js";
