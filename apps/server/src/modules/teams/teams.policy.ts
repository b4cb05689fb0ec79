import { allow, anyOf, definePolicy, deny, requires, type Scoped } from "../../platform/access/engine.js";
import type { UserActor } from "../../platform/access/actor.js";

export type TeamSubject = Scoped & { managerId: string | null; memberIds: readonly string[] };

const manages = (actor: UserActor, team: TeamSubject) => team.managerId !== null && team.managerId === actor.userId;

/**
 * Managers manage their own teams (teams.manage with scope `own`), admins all
 * (scope `all`). Only the members, the manager and admins see a team.
 */
export const teamPolicy = definePolicy<{
  view: TeamSubject;
  create: TeamSubject;
  update: TeamSubject;
  delete: TeamSubject;
  manageMembers: TeamSubject;
  assignManager: TeamSubject;
}>("team", {
  view: anyOf(requires("teams.manage", manages), (actor, team) =>
    team.memberIds.includes(actor.userId) ? allow : deny("teams.manage"),
  ),
  create: requires("teams.manage", manages),
  update: requires("teams.manage", manages),
  delete: requires("teams.manage", manages),
  manageMembers: requires("teams.manage", manages),
  /** Handing a team to another manager is an admin's call. */
  assignManager: requires("teams.manage"),
});
