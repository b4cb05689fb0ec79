import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";

export const memberPolicy = definePolicy<{ list: Scoped; add: Scoped; update: Scoped; viewEmail: Scoped }>("member", {
  list: requires("members.view"),
  add: requires("members.manage"),
  update: requires("members.manage"),
  viewEmail: requires("members.manage"),
});
