import { defineModule } from "../../platform/modules.js";
import { permissionsRoutes, rolesRoutes } from "./access.routes.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";
import { memberships, organizations } from "./tenancy.table.js";
import { loadPrincipal } from "./principal.js";

/**
 * Access, the core of identity above accounts: organizations and memberships (who belongs
 * where), roles as groups of permissions and their assignment, and the principal every
 * request carries. Organization administration (the orgs module) and onboarding build on it.
 */
export const accessModule = defineModule({
  name: "access",
  routes: [
    { prefix: "/api/orgs", plugin: rolesRoutes },
    { prefix: "/api/permissions", plugin: permissionsRoutes },
  ],
  tables: { organizations, memberships, roles, rolePermissions, membershipRoles },
  principals: (db) => (userId) => loadPrincipal(db, userId),
});

// The public surface other modules use.
export { membershipRoles, rolePermissions, roles } from "./access.table.js";
export { loadPrincipal } from "./principal.js";
export type { Principal } from "./principal.js";
export { createDefaultRoles, notifyPermissionsChanged } from "./roles.service.js";
export { findOrganization, getOrganization, orgPolicy, type OrgRow } from "./tenancy.js";
export { memberships, organizations } from "./tenancy.table.js";
export { rolePolicy } from "./access.policy.js";
