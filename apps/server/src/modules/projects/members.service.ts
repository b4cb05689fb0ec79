import type { ProjectMemberRole } from "@cairn/shared";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { profiles, users } from "../accounts/index.js";
import { membershipRoles, roles } from "../access/index.js";
import { memberships } from "../access/index.js";
import { assertOrgMember } from "./org-scope.js";
import { projectPolicy } from "./projects.policy.js";
import { findVisibleProject, projectSubject } from "./projects.queries.js";
import { projectManagerAssigned } from "./projects.events.js";
import { projectMembers, projects } from "./projects.table.js";

export type ProjectMemberView = { userId: string; username: string; displayName: string; role: ProjectMemberRole; addedAt: Date };

export async function listProjectMembers(ctx: Ctx, orgId: string, projectId: string): Promise<ProjectMemberView[]> {
  return ctx.tx
    .select({
      userId: projectMembers.userId,
      username: users.username,
      displayName: profiles.displayName,
      role: projectMembers.role,
      addedAt: projectMembers.addedAt,
    })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .innerJoin(profiles, eq(profiles.userId, projectMembers.userId))
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId)))
    .orderBy(asc(users.username));
}

/**
 * A member's project limit in one organization, from their roles: it binds
 * only when every role they hold sets one (the largest applies), as
 * OrgAccess.projectLimit does; a role without a limit lifts it.
 */
export async function projectLimitOf(tx: Tx, orgId: string, userId: string): Promise<number | null> {
  const rows = await tx
    .select({ limit: roles.projectLimit })
    .from(membershipRoles)
    .innerJoin(roles, eq(roles.id, membershipRoles.roleId))
    .where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.userId, userId)));
  const limits = rows.map((row) => row.limit);
  if (!limits.length || limits.some((limit) => limit === null)) return null;
  return Math.max(...limits.filter((limit): limit is number => limit !== null));
}

/**
 * Refuses (409) to put someone on one more project than their roles allow. The
 * membership row is locked first, so two concurrent additions of the same
 * person are decided one after the other.
 */
export async function assertProjectCapacity(tx: Tx, orgId: string, userId: string, username: string): Promise<void> {
  await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("update");
  const limit = await projectLimitOf(tx, orgId, userId);
  if (limit === null) return;
  const [current] = await tx
    .select({ value: count() })
    .from(projectMembers)
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.userId, userId)));
  if ((current?.value ?? 0) >= limit) {
    throw new ConflictError(
      `${username} is already on ${limit === 1 ? "a project" : `${limit} projects`}, the most their role allows. ` +
        "A developer lifts this limit by getting verified: complete the profile and confirm the phone number.",
      "project_limit",
    );
  }
}

/** Puts a person on a project within their limit, audited (no authorization: callers decide). */
export async function addMemberRow(ctx: Ctx, input: { orgId: string; projectId: string; userId: string; role: ProjectMemberRole }): Promise<void> {
  const username = await assertOrgMember(ctx.tx, input.orgId, input.userId, "userId");
  const [existing] = await ctx.tx
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.orgId, input.orgId), eq(projectMembers.projectId, input.projectId), eq(projectMembers.userId, input.userId)));
  if (existing) throw new ConflictError(`${username} is already on this project.`, "already_member");
  await assertProjectCapacity(ctx.tx, input.orgId, input.userId, username);
  await ctx.tx.insert(projectMembers).values(input);
  await recordAudit(ctx, {
    orgId: input.orgId,
    action: "project.member_added",
    entityType: "project",
    entityId: input.projectId,
    changes: { member: [null, input.userId], role: [null, input.role] },
  });
}

export async function getProjectMembers(ctx: Ctx, projectId: string): Promise<ProjectMemberView[]> {
  const row = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "view", projectSubject(row));
  return listProjectMembers(ctx, row.project.orgId, projectId);
}

export async function addProjectMember(ctx: Ctx, projectId: string, input: { userId: string; role?: ProjectMemberRole }): Promise<ProjectMemberView> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  authorize(ctx.actor, projectPolicy, "manageMembers", projectSubject(row));
  if (input.role === "manager") await setProjectManager(ctx, row.project, input.userId);
  else await addMemberRow(ctx, { orgId: row.project.orgId, projectId, userId: input.userId, role: input.role ?? "member" });
  return memberOf(ctx, row.project.orgId, projectId, input.userId);
}

/**
 * Makes someone the project's one manager: `managerId` and the members card agree, the
 * previous manager stays on the project as a member, and the new one joins it (within their
 * project limit) when they were not on it. Being the manager is what gives a project manager
 * (or a verified developer) their "own project" rights on it. Audited and notified; `null`
 * leaves the project without a manager.
 */
export async function setProjectManager(
  ctx: Ctx,
  project: { orgId: string; id: string; key: string; name: string; managerId: string | null },
  userId: string | null,
): Promise<void> {
  const { orgId, id: projectId } = project;
  const changed = project.managerId !== userId;
  const previous = changed ? project.managerId : null;
  if (previous) {
    await ctx.tx
      .update(projectMembers)
      .set({ role: "member" })
      .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId), eq(projectMembers.userId, previous), eq(projectMembers.role, "manager")));
  }
  if (userId) {
    const [existing] = await ctx.tx
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    if (!existing) await addMemberRow(ctx, { orgId, projectId, userId, role: "manager" });
    else if (existing.role !== "owner") {
      await ctx.tx
        .update(projectMembers)
        .set({ role: "manager" })
        .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    }
  }
  if (!changed) return;
  await ctx.tx.update(projects).set({ managerId: userId, updatedAt: new Date() }).where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)));
  const names = await usernamesOf(ctx.tx, [previous, userId]);
  await recordAudit(ctx, {
    orgId,
    action: "project.manager_changed",
    entityType: "project",
    entityId: projectId,
    changes: { managerId: [previous, userId], manager: [names.get(previous ?? "") ?? null, names.get(userId ?? "") ?? null] },
  });
  if (userId) {
    await emitEvent(ctx, projectManagerAssigned, {
      orgId,
      recipients: [userId],
      data: { projectId, key: project.key, name: project.name, managerId: userId, previousManagerId: previous },
    });
  }
}

async function usernamesOf(tx: Tx, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => id !== null);
  if (!wanted.length) return new Map();
  const rows = await tx.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row.username]));
}

async function memberOf(ctx: Ctx, orgId: string, projectId: string, userId: string): Promise<ProjectMemberView> {
  const member = (await listProjectMembers(ctx, orgId, projectId)).find((candidate) => candidate.userId === userId);
  if (!member) throw new NotFoundError("project member");
  return member;
}

export async function updateProjectMember(ctx: Ctx, projectId: string, userId: string, input: { role: ProjectMemberRole }): Promise<ProjectMemberView> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  authorize(ctx.actor, projectPolicy, "manageMembers", projectSubject(row));
  const before = await memberOf(ctx, row.project.orgId, projectId, userId);
  if (input.role === "manager") {
    await setProjectManager(ctx, row.project, userId);
    return memberOf(ctx, row.project.orgId, projectId, userId);
  }
  if (before.role === "manager" && row.project.managerId === userId) await setProjectManager(ctx, row.project, null);
  if (before.role !== input.role) {
    await ctx.tx
      .update(projectMembers)
      .set({ role: input.role })
      .where(and(eq(projectMembers.orgId, row.project.orgId), eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    await recordAudit(ctx, {
      orgId: row.project.orgId,
      action: "project.member_role_changed",
      entityType: "project",
      entityId: projectId,
      changes: { member: [userId, userId], role: [before.role, input.role] },
    });
  }
  return { ...before, role: input.role };
}

export async function removeProjectMember(ctx: Ctx, projectId: string, userId: string): Promise<void> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  authorize(ctx.actor, projectPolicy, "manageMembers", projectSubject(row));
  const removed = await ctx.tx
    .delete(projectMembers)
    .where(and(eq(projectMembers.orgId, row.project.orgId), eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
    .returning({ role: projectMembers.role });
  if (!removed.length) throw new NotFoundError("project member");
  if (row.project.managerId === userId) await setProjectManager(ctx, row.project, null);
  await recordAudit(ctx, {
    orgId: row.project.orgId,
    action: "project.member_removed",
    entityType: "project",
    entityId: projectId,
    changes: { member: [userId, null], role: [removed[0]?.role ?? null, null] },
  });
}
