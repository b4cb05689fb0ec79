import { defineModule } from "../../platform/modules.js";
import { memberAdded, memberRoleChanged } from "./orgs.events.js";
import { orgsRoutes } from "./orgs.routes.js";
import { registrationRoutes } from "./registration.routes.js";

/** Organization administration: creating and editing organizations, their members, self-registration. */
export const orgsModule = defineModule({
  name: "orgs",
  routes: [
    { prefix: "/api/orgs", plugin: orgsRoutes },
    { prefix: "/api/auth", plugin: registrationRoutes },
  ],
  events: [memberRoleChanged, memberAdded],
});

// The public surface other modules use.
export { addMembership, findOpenOrganization, getMember, keepingRoleManager, memberRoleKeys, type MemberView } from "./members.service.js";
export { memberOut } from "./orgs.routes.js";
export { memberPolicy } from "./orgs.policy.js";
export { memberAdded, memberRoleChanged, roleNames } from "./orgs.events.js";
