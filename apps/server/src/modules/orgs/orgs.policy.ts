import type { Actor } from "../../platform/access/actor.js";
import { can, definePolicy, requires, type Scoped } from "../../platform/access/engine.js";
import { orgPolicy, rolePolicy } from "../access/index.js";

export const memberPolicy = definePolicy<{ list: Scoped; add: Scoped; update: Scoped; viewEmail: Scoped }>("member", {
  list: requires("members.view"),
  add: requires("members.manage"),
  update: requires("members.manage"),
  viewEmail: requires("members.manage"),
});

/** What the caller may do in an organization, for the UI (it never re-derives these rules). */
export function orgActions(actor: Actor, orgId: string): string[] {
  if (actor.kind !== "user") return [];
  const scoped = { orgId };
  return [
    ...(can(actor, orgPolicy, "update", scoped) ? ["update"] : []),
    ...(can(actor, memberPolicy, "list", scoped) ? ["viewMembers"] : []),
    ...(can(actor, memberPolicy, "add", scoped) ? ["manageMembers"] : []),
    ...(can(actor, rolePolicy, "update", scoped) ? ["manageRoles"] : []),
    ...(actor.isSuperuser ? ["setOpenRegistration"] : []),
  ];
}
