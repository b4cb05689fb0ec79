import { allow, definePolicy, requires, superuserOnly, type Scoped } from "../../platform/access/engine.js";

export const orgPolicy = definePolicy<{ view: Scoped; update: Scoped; create: null }>("organization", {
  // Membership is checked by the engine (another organization is a 404); every member may see their organization.
  view: () => allow,
  update: requires("roles.manage"),
  create: superuserOnly("create organizations"),
});

export const memberPolicy = definePolicy<{ list: Scoped; add: Scoped; update: Scoped; viewEmail: Scoped }>("member", {
  list: requires("members.view"),
  add: requires("members.manage"),
  update: requires("members.manage"),
  viewEmail: requires("members.manage"),
});
