import type { CreateTeamInput, UpdateTeamInput } from "@cairn/shared";
import { and, asc, count, desc, eq, exists, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import type { UserActor } from "../../platform/access/actor.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { assertOrgMember as assertMember, likePattern, resolveOrgFilter, resolveTargetOrg } from "../../platform/access/org-scope.js";
import { listScope } from "../../platform/access/scope.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { findOrganization, memberships } from "../access/index.js";
import { users } from "../accounts/index.js";
import { teamPolicy, type TeamSubject } from "./teams.policy.js";
import { teamMembers, teams } from "./teams.table.js";

export type TeamMemberView = { userId: string; username: string };

export type TeamView = {
  id: string;
  orgId: string;
  name: string;
  description: string;
  managerId: string | null;
  manager: { id: string; username: string } | null;
  members: TeamMemberView[];
  createdAt: Date;
  updatedAt: Date;
  allowedActions: string[];
};

const manager = alias(users, "team_manager");

const assertOrgMember = (tx: Tx, orgId: string, userId: string, path: string) => assertMember(tx, { memberships, users }, orgId, userId, path);

const membersJson = sql<TeamMemberView[]>`coalesce((
  select json_agg(json_build_object('userId', tm.user_id, 'username', mu.username) order by mu.username)
  from ${teamMembers} tm join ${users} mu on mu.id = tm.user_id
  where tm.team_id = ${teams.id}), '[]'::json)`;

/** Teams the actor sees: the team policy's `view` rule as SQL (its members, its manager, admins). */
export function visibleTeams(actor: UserActor): SQL {
  return listScope(actor, teamPolicy, "view", teams);
}

function selectTeams(tx: Tx) {
  return tx
    .select({
      id: teams.id,
      orgId: teams.orgId,
      name: teams.name,
      description: teams.description,
      managerId: teams.managerId,
      managerUsername: manager.username,
      members: membersJson,
      createdAt: teams.createdAt,
      updatedAt: teams.updatedAt,
    })
    .from(teams)
    .leftJoin(manager, eq(manager.id, teams.managerId));
}

type TeamRow = Awaited<ReturnType<ReturnType<typeof selectTeams>["where"]>>[number];

const subjectOf = (row: { orgId: string; managerId: string | null; members: TeamMemberView[] }): TeamSubject => ({
  orgId: row.orgId,
  managerId: row.managerId,
  memberIds: row.members.map((member) => member.userId),
});

function present(ctx: Ctx, row: TeamRow): TeamView {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    description: row.description,
    managerId: row.managerId,
    manager: row.managerId && row.managerUsername ? { id: row.managerId, username: row.managerUsername } : null,
    members: row.members,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    allowedActions: allowedActions(ctx.actor, teamPolicy, subjectOf(row)).filter((action) => action !== "create"),
  };
}

/** A team the actor may see; any other (another organization's, or one they are not part of) is a 404. */
async function findVisibleTeam(ctx: Ctx, teamId: string): Promise<TeamRow> {
  const [row] = await selectTeams(ctx.tx).where(and(eq(teams.id, teamId), visibleTeams(requireUser(ctx.actor))));
  if (!row) throw new NotFoundError("team");
  return row;
}

export async function getTeam(ctx: Ctx, teamId: string): Promise<TeamView> {
  const row = await findVisibleTeam(ctx, teamId);
  authorize(ctx.actor, teamPolicy, "view", subjectOf(row));
  return present(ctx, row);
}

export type TeamQuery = PageQuery & { search?: string; org?: string; manager?: string; member?: string; ordering?: string };

export async function listTeams(ctx: Ctx, query: TeamQuery): Promise<Page<TeamView>> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [visibleTeams(actor)];
  if (query.org) conditions.push(eq(teams.orgId, await resolveOrgFilter(ctx, query.org, findOrganization)));
  if (query.search) conditions.push(sql`${teams.name} ilike ${likePattern(query.search)}`);
  if (query.manager) conditions.push(eq(teams.managerId, query.manager));
  if (query.member) {
    conditions.push(exists(ctx.tx.select({ one: sql`1` }).from(teamMembers).where(and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, query.member)))));
  }
  const where = and(...conditions);
  const ordering = parseOrdering(query.ordering);
  const column = ordering?.field === "createdAt" ? teams.createdAt : sql`lower(${teams.name})`;
  const [total] = await ctx.tx.select({ value: count() }).from(teams).where(where);
  const rows = await selectTeams(ctx.tx)
    .where(where)
    .orderBy(ordering?.descending ? desc(column) : asc(column), asc(teams.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: rows.map((row) => present(ctx, row)), page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}

async function assertNameFree(tx: Tx, orgId: string, name: string, exceptId?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.orgId, orgId), sql`lower(${teams.name}) = ${name.toLowerCase()}`, exceptId ? sql`${teams.id} <> ${exceptId}` : undefined));
  if (taken) throw new ConflictError(`A team named ${name} exists already.`, "duplicate", [{ path: "name", message: "Already taken." }]);
}

export type TeamInput = CreateTeamInput;

/** A manager creates a team they manage; an admin may hand it to any member. */
export async function createTeam(ctx: Ctx, input: TeamInput): Promise<TeamView> {
  const actor = requireUser(ctx.actor);
  const orgId = await resolveTargetOrg(ctx, input.orgId, findOrganization);
  const isMember = actor.orgs.some((org) => org.orgId === orgId);
  const managerId = input.managerId === undefined ? (isMember ? actor.userId : null) : input.managerId;
  authorize(ctx.actor, teamPolicy, "create", { orgId, managerId, memberIds: [] });
  if (managerId) await assertOrgMember(ctx.tx, orgId, managerId, "managerId");
  const memberIds = [...new Set(input.memberIds ?? [])];
  for (const [index, userId] of memberIds.entries()) await assertOrgMember(ctx.tx, orgId, userId, `memberIds.${index}`);
  await assertNameFree(ctx.tx, orgId, input.name);
  const [team] = await ctx.tx
    .insert(teams)
    .values({ orgId, name: input.name, description: input.description ?? "", managerId })
    .returning({ id: teams.id });
  if (!team) throw new Error("team insert returned nothing");
  if (memberIds.length) await ctx.tx.insert(teamMembers).values(memberIds.map((userId) => ({ orgId, teamId: team.id, userId })));
  await recordAudit(ctx, {
    orgId,
    action: "team.created",
    entityType: "team",
    entityId: team.id,
    changes: { name: [null, input.name], managerId: [null, managerId], members: [null, memberIds] },
  });
  return getTeam(ctx, team.id);
}

export async function updateTeam(ctx: Ctx, teamId: string, patch: UpdateTeamInput): Promise<TeamView> {
  const before = await findVisibleTeam(ctx, teamId);
  const subject = subjectOf(before);
  authorize(ctx.actor, teamPolicy, "update", subject);
  if (patch.managerId !== undefined && patch.managerId !== before.managerId) {
    authorize(ctx.actor, teamPolicy, "assignManager", subject);
    if (patch.managerId) await assertOrgMember(ctx.tx, before.orgId, patch.managerId, "managerId");
  }
  if (patch.name !== undefined) await assertNameFree(ctx.tx, before.orgId, patch.name, teamId);
  const changes = diff({ name: before.name, description: before.description, managerId: before.managerId }, patch);
  if (Object.keys(changes).length) {
    await ctx.tx
      .update(teams)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(teams.orgId, before.orgId), eq(teams.id, teamId)));
    await recordAudit(ctx, { orgId: before.orgId, action: "team.updated", entityType: "team", entityId: teamId, changes });
  }
  return getTeam(ctx, teamId);
}

export async function deleteTeam(ctx: Ctx, teamId: string): Promise<void> {
  const before = await findVisibleTeam(ctx, teamId);
  authorize(ctx.actor, teamPolicy, "delete", subjectOf(before));
  await ctx.tx.delete(teams).where(and(eq(teams.orgId, before.orgId), eq(teams.id, teamId)));
  await recordAudit(ctx, {
    orgId: before.orgId,
    action: "team.deleted",
    entityType: "team",
    entityId: teamId,
    changes: { name: [before.name, null], members: [before.members.map((member) => member.userId), null] },
  });
}

export async function addTeamMember(ctx: Ctx, teamId: string, userId: string): Promise<TeamView> {
  const team = await findVisibleTeam(ctx, teamId);
  authorize(ctx.actor, teamPolicy, "manageMembers", subjectOf(team));
  const username = await assertOrgMember(ctx.tx, team.orgId, userId, "userId");
  if (team.members.some((member) => member.userId === userId)) {
    throw new ConflictError(`${username} is already on ${team.name}.`, "already_member");
  }
  await ctx.tx.insert(teamMembers).values({ orgId: team.orgId, teamId, userId });
  await recordAudit(ctx, { orgId: team.orgId, action: "team.member_added", entityType: "team", entityId: teamId, changes: { member: [null, userId] } });
  return getTeam(ctx, teamId);
}

export async function removeTeamMember(ctx: Ctx, teamId: string, userId: string): Promise<void> {
  const team = await findVisibleTeam(ctx, teamId);
  authorize(ctx.actor, teamPolicy, "manageMembers", subjectOf(team));
  const removed = await ctx.tx
    .delete(teamMembers)
    .where(and(eq(teamMembers.orgId, team.orgId), eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .returning({ userId: teamMembers.userId });
  if (!removed.length) throw new NotFoundError("team member");
  await recordAudit(ctx, { orgId: team.orgId, action: "team.member_removed", entityType: "team", entityId: teamId, changes: { member: [userId, null] } });
}
