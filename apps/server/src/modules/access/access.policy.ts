import { definePolicy, deny, requires, type Scoped } from "../../platform/access/engine.js";

/** Roles are visible to whoever sees members; only roles.manage changes them. */
export const rolePolicy = definePolicy<{ list: Scoped; create: Scoped; update: Scoped; delete: Scoped & { isSystem: boolean } }>("role", {
  list: requires("members.view"),
  create: requires("roles.manage"),
  update: requires("roles.manage"),
  /** Default roles stay: every organization has them. */
  delete: (actor, role) => (role.isSystem ? deny(null, "Default roles cannot be deleted.") : requires("roles.manage")(actor, role)),
});
