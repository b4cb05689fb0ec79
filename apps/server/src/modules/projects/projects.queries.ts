import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import type { Actor, UserActor } from "../../platform/access/actor.js";
import { allowedActions, orgsWith, requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { users } from "../accounts/accounts.table.js";
import { clients } from "../clients/clients.table.js";
import { teamMembers, teams } from "../teams/teams.table.js";
import { formatMoney } from "./money.js";
import { orgsWithAll } from "./org-scope.js";
import { payments } from "./payments.table.js";
import { projectPolicy, type ProjectSubject } from "./projects.policy.js";
import { projectMembers, projects, type ProjectStatus } from "./projects.table.js";

/**
 * How projects are read: one visibility predicate for every list, detail,
 * export and nested resource, and one select that brings a page of projects
 * with everything a row shows (client, team, people, member count, amount
 * paid) in a single query, whatever the page size.
 */

/** Allowed status changes; a status may always be "changed" to itself (a no-op). */
export const STATUS_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planning: ["active", "on_hold", "cancelled"],
  active: ["on_hold", "completed", "cancelled"],
  on_hold: ["active", "cancelled"],
  completed: ["active"],
  cancelled: ["planning"],
};

/**
 * Projects the actor sees: in organizations where they hold projects.view,
 * every `organization` project; a `team` project only for its team, the
 * team's manager, admins (teams.manage over every team), its owner, manager
 * and members, and the customer of its client. The superuser sees all.
 */
export function visibleProjects(actor: UserActor): SQL {
  if (actor.isSuperuser) return sql`true`;
  const viewOrgs = orgsWith(actor, "projects.view");
  if (!viewOrgs.length) return sql`false`;
  const everyTeam = orgsWithAll(actor, "teams.manage") ?? [];
  const me = actor.userId;
  const seen = or(
    eq(projects.visibility, "organization"),
    everyTeam.length ? inArray(projects.orgId, everyTeam) : undefined,
    eq(projects.ownerId, me),
    eq(projects.managerId, me),
    sql`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${projects.id} and ${projectMembers.userId} = ${me})`,
    sql`exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${projects.teamId} and ${teamMembers.userId} = ${me})`,
    sql`exists (select 1 from ${teams} where ${teams.id} = ${projects.teamId} and ${teams.managerId} = ${me})`,
    sql`exists (select 1 from ${clients} where ${clients.id} = ${projects.clientId} and ${clients.customerUserId} = ${me})`,
  );
  return and(inArray(projects.orgId, viewOrgs), seen) ?? sql`false`;
}

const owner = alias(users, "project_owner");
const manager = alias(users, "project_manager");

export function selectProjects(tx: Tx) {
  return tx
    .select({
      project: projects,
      clientName: clients.name,
      customerUserId: clients.customerUserId,
      teamName: teams.name,
      ownerUsername: owner.username,
      managerUsername: manager.username,
      memberCount: sql<number>`(select count(*)::int from ${projectMembers} where ${projectMembers.projectId} = ${projects.id})`,
      amountPaid: sql<string>`(select coalesce(sum(${payments.amount}), 0)::text from ${payments} where ${payments.projectId} = ${projects.id} and ${payments.status} = 'approved')`,
    })
    .from(projects)
    .leftJoin(clients, eq(clients.id, projects.clientId))
    .leftJoin(teams, eq(teams.id, projects.teamId))
    .leftJoin(owner, eq(owner.id, projects.ownerId))
    .leftJoin(manager, eq(manager.id, projects.managerId));
}

export type ProjectRow = Awaited<ReturnType<ReturnType<typeof selectProjects>["where"]>>[number];

export function projectSubject(row: { project: { orgId: string; ownerId: string | null; managerId: string | null }; customerUserId: string | null }): ProjectSubject {
  return { orgId: row.project.orgId, ownerId: row.project.ownerId, managerId: row.project.managerId, customerUserId: row.customerUserId };
}

const ref = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);
const person = (id: string | null, username: string | null) => (id && username !== null ? { id, username } : null);

/**
 * The API's project: financial fields (cost, discount, net price, currency,
 * amount paid) are present only for callers with projects.view_financials on
 * this project (staff, or the customer of its client) and absent otherwise.
 */
export function presentProject(actor: Actor, row: ProjectRow) {
  const { project } = row;
  const actions = allowedActions(actor, projectPolicy, projectSubject(row));
  const financial = actions.includes("viewFinancials")
    ? {
        cost: formatMoney(project.cost),
        discount: formatMoney(project.discount),
        netPrice: formatMoney(project.netPrice),
        currency: project.currency,
        amountPaid: formatMoney(row.amountPaid),
      }
    : {};
  return {
    id: project.id,
    orgId: project.orgId,
    key: project.key,
    name: project.name,
    description: project.description,
    status: project.status,
    priority: project.priority,
    visibility: project.visibility,
    clientId: project.clientId,
    teamId: project.teamId,
    ownerId: project.ownerId,
    managerId: project.managerId,
    client: ref(project.clientId, row.clientName),
    team: ref(project.teamId, row.teamName),
    owner: person(project.ownerId, row.ownerUsername),
    manager: person(project.managerId, row.managerUsername),
    startDate: project.startDate,
    dueDate: project.dueDate,
    paymentStatus: project.paymentStatus,
    archived: project.archived,
    memberCount: row.memberCount,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
    ...financial,
    statusTransitions: actions.includes("changeStatus") ? [...STATUS_TRANSITIONS[project.status]] : [],
    allowedActions: actions,
  };
}

export type ProjectView = ReturnType<typeof presentProject>;

/** A project the actor sees; anything else (another organization's, a team project they are not part of) is a 404. */
export async function findVisibleProject(ctx: Ctx, projectId: string, options: { forUpdate?: boolean } = {}): Promise<ProjectRow> {
  const actor = requireUser(ctx.actor);
  const query = selectProjects(ctx.tx).where(and(eq(projects.id, projectId), visibleProjects(actor)));
  const [row] = options.forUpdate ? await query.for("update", { of: projects }) : await query;
  if (!row) throw new NotFoundError("project");
  return row;
}

/** The people a project concerns (owner, manager, members), for event recipients. */
export async function projectPeople(tx: Tx, orgId: string, projectId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: projectMembers.userId })
    .from(projectMembers)
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId)));
  const [project] = await tx.select({ ownerId: projects.ownerId, managerId: projects.managerId }).from(projects).where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)));
  const ids = new Set(rows.map((row) => row.userId));
  if (project?.ownerId) ids.add(project.ownerId);
  if (project?.managerId) ids.add(project.managerId);
  return [...ids];
}
