import { defineModule } from "../../platform/modules.js";
import { permissionsRoutes, rolesRoutes } from "./access.routes.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";
import { loadPrincipal } from "./principal.js";

/** Access: roles as groups of permissions, role assignment, and the principal every request carries. */
export const accessModule = defineModule({
  name: "access",
  routes: [
    { prefix: "/api/orgs", plugin: rolesRoutes },
    { prefix: "/api/permissions", plugin: permissionsRoutes },
  ],
  tables: { roles, rolePermissions, membershipRoles },
  principals: (db) => (userId) => loadPrincipal(db, userId),
});

// The public surface other modules use.
export { membershipRoles, rolePermissions, roles } from "./access.table.js";
export { loadPrincipal } from "./principal.js";
export type { Principal } from "./principal.js";
export { createDefaultRoles, notifyPermissionsChanged } from "./roles.service.js";
