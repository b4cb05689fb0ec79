import { allow, definePolicy, deny, requires, type Scoped } from "../../platform/access/engine.js";

export const orgPolicy = definePolicy<{ view: Scoped; update: Scoped; create: null }>("organization", {
  // Membership is checked by the engine (another organization is a 404); every member may see their organization.
  view: () => allow,
  update: requires("roles.manage"),
  create: (actor) => (actor.isSuperuser ? allow : deny()),
});

export const memberPolicy = definePolicy<{ list: Scoped; add: Scoped; update: Scoped; viewEmail: Scoped }>("member", {
  list: requires("members.view"),
  add: requires("members.manage"),
  update: requires("members.manage"),
  viewEmail: requires("members.manage"),
});
