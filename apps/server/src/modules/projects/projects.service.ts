import { PROJECT_STATUS_TRANSITIONS, projectFieldProblems, type CreateProjectInput, type ProjectStatus, type UpdateProjectInput } from "@cairn/shared";
import { and, eq, like, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize, requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, ValidationError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { projectCreated, projectStatusChanged } from "./projects.events.js";
import { clients } from "../clients/index.js";
import { teams } from "../teams/index.js";
import { deleteAttachmentsOf } from "../attachments/index.js";
import { membersHolding } from "./holders.js";
import { addMemberRow, listProjectMembers, setProjectManager, type ProjectMemberView } from "./members.service.js";
import { assertOrgMember, resolveTargetOrg } from "./org-scope.js";
import { projectCreationPolicy, projectPolicy } from "./projects.policy.js";
import { findVisibleProject, presentProject, projectPeople, projectSubject, type ProjectView } from "./projects.queries.js";
import { projects } from "./projects.table.js";

export type ProjectDetail = ProjectView & { members: ProjectMemberView[] };

export async function getProject(ctx: Ctx, projectId: string): Promise<ProjectDetail> {
  const row = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "view", projectSubject(row));
  return { ...presentProject(ctx.actor, row), members: await listProjectMembers(ctx, row.project.orgId, projectId) };
}

/**
 * "Website redesign" → WR, "Platform" → PLAT; a digit is added until the key is free.
 * Derivations in one organization take turns (a transaction-scoped advisory lock), so two
 * projects created at the same moment with the same name get WR and WR2, never a conflict
 * about a key neither caller sent.
 */
async function deriveKey(tx: Tx, orgId: string, name: string): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`project-key:${orgId}`}))`);
  const words = name.toUpperCase().replace(/[^A-Z0-9 ]/g, " ").split(/\s+/).filter(Boolean);
  let base = words.length > 1 ? words.map((word) => word[0]).join("").slice(0, 6) : (words[0] ?? "").slice(0, 4);
  if (!/^[A-Z]/.test(base)) base = `P${base}`;
  base = base.padEnd(2, "X");
  const taken = new Set(
    (await tx.select({ key: projects.key }).from(projects).where(and(eq(projects.orgId, orgId), like(projects.key, `${base}%`)))).map((row) => row.key),
  );
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${base}${suffix}`)) return `${base}${suffix}`;
}

async function assertKeyFree(tx: Tx, orgId: string, key: string, exceptId?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.key, key), exceptId ? sql`${projects.id} <> ${exceptId}` : undefined));
  if (taken) throw new ConflictError(`The key ${key} is taken in this organization.`, "duplicate", [{ path: "key", message: "Already taken." }]);
}

/** The rules between fields (@cairn/shared's, which the web form checks too), on the values a change leaves. */
function assertConsistent(values: Parameters<typeof projectFieldProblems>[0]) {
  const errors = projectFieldProblems(values);
  if (errors.length) throw new ValidationError(errors);
}

async function checkReferences(ctx: Ctx, orgId: string, input: { clientId?: string | null; teamId?: string | null; managerId?: string | null }) {
  if (input.clientId) {
    authorize(ctx.actor, projectCreationPolicy, "attachClient", { orgId });
    const [client] = await ctx.tx.select({ id: clients.id }).from(clients).where(and(eq(clients.orgId, orgId), eq(clients.id, input.clientId)));
    if (!client) throw new ValidationError([{ path: "clientId", message: "No such client in this organization." }]);
  }
  if (input.teamId) {
    const [team] = await ctx.tx.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), eq(teams.id, input.teamId)));
    if (!team) throw new ValidationError([{ path: "teamId", message: "No such team in this organization." }]);
  }
  if (input.managerId) await assertOrgMember(ctx.tx, orgId, input.managerId, "managerId");
}

const FINANCIAL_FIELDS = ["cost", "discount", "currency"] as const;

/**
 * Tells the open sessions of the project's people that it changed, once the
 * change commits. The push carries ids only: each client refetches what its
 * user may see, so no field travels to someone who may not read it.
 */
async function pushProjectUpdated(ctx: Ctx, orgId: string, projectId: string, extra: Record<string, unknown> = {}): Promise<void> {
  const people = await projectPeople(ctx.tx, orgId, projectId);
  ctx.afterCommit(async () => {
    await Promise.all(people.map((userId) => ctx.services.realtime.toUser(userId, "project.updated", { id: projectId, orgId, ...extra })));
  });
}

/** Opens a project; the caller becomes its owner and first member. */
export async function createProject(ctx: Ctx, input: CreateProjectInput): Promise<ProjectDetail> {
  const actor = requireUser(ctx.actor);
  const orgId = await resolveTargetOrg(ctx, input.orgId);
  authorize(ctx.actor, projectCreationPolicy, "create", { orgId });
  if (FINANCIAL_FIELDS.some((field) => input[field] !== undefined)) authorize(ctx.actor, projectCreationPolicy, "setFinancials", { orgId });
  await checkReferences(ctx, orgId, input);
  const values = {
    orgId,
    name: input.name,
    key: input.key ?? (await deriveKey(ctx.tx, orgId, input.name)),
    description: input.description ?? "",
    clientId: input.clientId ?? null,
    teamId: input.teamId ?? null,
    managerId: input.managerId ?? null,
    ownerId: actor.userId,
    visibility: input.visibility ?? "organization",
    priority: input.priority ?? "medium",
    cost: input.cost ?? "0.00",
    discount: input.discount ?? "0.00",
    currency: input.currency ?? "USD",
    startDate: input.startDate ?? null,
    dueDate: input.dueDate ?? null,
  };
  assertConsistent(values);
  await assertKeyFree(ctx.tx, orgId, values.key);
  const [project] = await ctx.tx.insert(projects).values(values).returning({ id: projects.id });
  if (!project) throw new Error("project insert returned nothing");
  const { orgId: _org, ...fields } = values;
  await recordAudit(ctx, {
    orgId,
    action: "project.created",
    entityType: "project",
    entityId: project.id,
    changes: Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, [null, value]])),
  });
  // The superuser may open a project in an organization they do not belong to: they own it without being a member.
  if (actor.orgs.some((org) => org.orgId === orgId)) await addMemberRow(ctx, { orgId, projectId: project.id, userId: actor.userId, role: "owner" });
  // A manager named at creation is on the project's people as its manager, like one set later.
  if (values.managerId && values.managerId !== actor.userId) {
    await addMemberRow(ctx, { orgId, projectId: project.id, userId: values.managerId, role: "manager" });
  }
  // The organization's administrators and verifiers hear of every new project, and the manager named at creation.
  await emitEvent(ctx, projectCreated, {
    orgId,
    recipients: [...(await membersHolding(ctx.tx, orgId, ["members.manage", "payments.verify"])), ...(values.managerId ? [values.managerId] : [])],
    data: { projectId: project.id, key: values.key, name: values.name },
  });
  return getProject(ctx, project.id);
}

export async function updateProject(ctx: Ctx, projectId: string, patch: UpdateProjectInput): Promise<ProjectDetail> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  const { project: before } = row;
  const subject = projectSubject(row);
  authorize(ctx.actor, projectPolicy, "update", subject);
  if (FINANCIAL_FIELDS.some((field) => patch[field] !== undefined)) authorize(ctx.actor, projectPolicy, "viewFinancials", subject);
  const changes = diff(before, patch);
  if (!Object.keys(changes).length) return getProject(ctx, projectId);
  await checkReferences(ctx, before.orgId, {
    clientId: "clientId" in changes ? patch.clientId : undefined,
    teamId: "teamId" in changes ? patch.teamId : undefined,
    managerId: "managerId" in changes ? patch.managerId : undefined,
  });
  const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
  assertConsistent(after);
  if (patch.key && patch.key !== before.key) await assertKeyFree(ctx.tx, before.orgId, patch.key, projectId);
  // The manager is set through setProjectManager: the members card, the rights and the notice follow.
  const { managerId, ...fields } = patch;
  await ctx.tx
    .update(projects)
    .set({ ...fields, updatedAt: new Date() })
    .where(and(eq(projects.orgId, before.orgId), eq(projects.id, projectId)));
  const { managerId: _manager, ...fieldChanges } = changes;
  if (Object.keys(fieldChanges).length) {
    await recordAudit(ctx, { orgId: before.orgId, action: "project.updated", entityType: "project", entityId: projectId, changes: fieldChanges });
  }
  if (managerId !== undefined && managerId !== before.managerId) await setProjectManager(ctx, before, managerId);
  await pushProjectUpdated(ctx, before.orgId, projectId);
  return getProject(ctx, projectId);
}

/** Moves a project along its life cycle; a move PROJECT_STATUS_TRANSITIONS does not allow is a 409. */
export async function changeProjectStatus(ctx: Ctx, projectId: string, status: ProjectStatus): Promise<ProjectDetail> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  const { project } = row;
  authorize(ctx.actor, projectPolicy, "changeStatus", projectSubject(row));
  if (project.status === status) return getProject(ctx, projectId);
  const allowed = PROJECT_STATUS_TRANSITIONS[project.status];
  if (!allowed.includes(status)) {
    throw new ConflictError(
      `A project that is ${project.status.replace("_", " ")} cannot become ${status.replace("_", " ")}; it can become ${allowed.join(" or ")}.`,
      "invalid_transition",
      [{ path: "status", message: `Allowed from ${project.status}: ${allowed.join(", ")}.` }],
    );
  }
  await ctx.tx
    .update(projects)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(projects.orgId, project.orgId), eq(projects.id, projectId)));
  await recordAudit(ctx, { orgId: project.orgId, action: "project.status_changed", entityType: "project", entityId: projectId, changes: { status: [project.status, status] } });
  const actorId = requireUser(ctx.actor).userId;
  await emitEvent(ctx, projectStatusChanged, {
    orgId: project.orgId,
    recipients: (await projectPeople(ctx.tx, project.orgId, projectId)).filter((id) => id !== actorId),
    data: { projectId, key: project.key, name: project.name, before: project.status, after: status },
  });
  await pushProjectUpdated(ctx, project.orgId, projectId);
  return getProject(ctx, projectId);
}

/** Deletes a project with its members, payments and files; the stored bytes go once the deletion commits. */
export async function deleteProject(ctx: Ctx, projectId: string): Promise<void> {
  const row = await findVisibleProject(ctx, projectId, { forUpdate: true });
  const { project } = row;
  authorize(ctx.actor, projectPolicy, "delete", projectSubject(row));
  await pushProjectUpdated(ctx, project.orgId, projectId, { deleted: true });
  await deleteAttachmentsOf(ctx, "project", project.orgId, projectId);
  await ctx.tx.delete(projects).where(and(eq(projects.orgId, project.orgId), eq(projects.id, projectId)));
  await recordAudit(ctx, {
    orgId: project.orgId,
    action: "project.deleted",
    entityType: "project",
    entityId: projectId,
    changes: { key: [project.key, null], name: [project.name, null], status: [project.status, null] },
  });
}
