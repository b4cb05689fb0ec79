import { sql } from "drizzle-orm";
import { anyOf, definePolicy, fact, requires, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import { teamMembers, type teams } from "./teams.table.js";

export type TeamSubject = Scoped & { managerId: string | null; memberIds: readonly string[] };

/** The columns of `teams` the rules' SQL reads: lists pass the table itself. */
export type TeamColumns = Pick<typeof teams, "orgId" | "id" | "managerId">;

type TeamFact = ScopedRule<TeamSubject, TeamColumns>;

/** The caller manages the team. */
const manages: TeamFact = fact(
  "manager",
  (actor, team) => team.managerId !== null && team.managerId === actor.userId,
  (t, me) => sql`${t.managerId} = ${me}`,
);

/** The caller is on the team. */
const isMember: TeamFact = fact(
  "member",
  (actor, team) => team.memberIds.includes(actor.userId),
  (t, me) => sql`exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${t.id} and ${teamMembers.userId} = ${me})`,
);

/**
 * Managers manage their own teams (teams.manage with scope `own`), admins all
 * (scope `all`). Only the members, the manager and admins see a team; `view`
 * also scopes the list of teams.
 */
export const teamPolicy = definePolicy<
  {
    view: TeamSubject;
    create: TeamSubject;
    update: TeamSubject;
    delete: TeamSubject;
    manageMembers: TeamSubject;
    assignManager: TeamSubject;
  },
  { view: TeamColumns }
>("team", {
  view: anyOf(requires("teams.manage"), manages, isMember),
  create: requires("teams.manage", manages),
  update: requires("teams.manage", manages),
  delete: requires("teams.manage", manages),
  manageMembers: requires("teams.manage", manages),
  /** Handing a team to another manager is an admin's call. */
  assignManager: requires("teams.manage"),
});
