import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";

/** Roles are visible to whoever sees members; only roles.manage changes them. */
export const rolePolicy = definePolicy<{ list: Scoped; create: Scoped; update: Scoped }>("role", {
  list: requires("members.view"),
  create: requires("roles.manage"),
  update: requires("roles.manage"),
});
