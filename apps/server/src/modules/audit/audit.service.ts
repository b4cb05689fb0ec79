import { and, desc, eq, gte, like, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { UserActor } from "../../platform/access/actor.js";
import { authorize, hasPermission, requireUser } from "../../platform/access/engine.js";
import { inMemberOrgs, resolveOrgFilter } from "../../platform/access/org-scope.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { findOrganization } from "../access/index.js";
import { users } from "../accounts/index.js";
import { payments } from "../projects/index.js";
import { projects } from "../projects/index.js";
import { aboutProject, nameEntries, type EntryNames } from "./audit.names.js";
import { auditPolicy, type AuditSubject } from "./audit.policy.js";

export type AuditEntryView = {
  id: string;
  orgId: string | null;
  actorId: string | null;
  actor: { id: string; username: string } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, [unknown, unknown]>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: Date;
} & EntryNames;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The project an entry is about (the project itself, or a payment's), with its owner and manager. */
async function entryProject(tx: Tx, entry: Pick<typeof auditLog.$inferSelect, "entityType" | "entityId" | "changes">): Promise<AuditSubject["project"]> {
  // Entity ids are written as PostgreSQL prints uuids (lowercase); anything else names no project.
  if (!entry.entityId || !UUID.test(entry.entityId)) return null;
  const people = { ownerId: projects.ownerId, managerId: projects.managerId };
  if (entry.entityType === "project") {
    const [project] = await tx.select(people).from(projects).where(eq(projects.id, entry.entityId));
    return project ?? null;
  }
  if (entry.entityType === "payment") {
    const [project] = await tx.select(people).from(payments).innerJoin(projects, eq(projects.id, payments.projectId)).where(eq(payments.id, entry.entityId));
    if (project) return project;
    // A withdrawn payment is gone; its entries recorded whose it was.
    const recorded = [entry.changes.projectId?.[1], entry.changes.projectId?.[0]].find((id) => typeof id === "string" && UUID.test(id));
    if (typeof recorded !== "string") return null;
    const [owner] = await tx.select(people).from(projects).where(eq(projects.id, recorded));
    return owner ?? null;
  }
  return null;
}

const NO_NAMES: EntryNames = { project: null, entityName: null, people: {} };

/** Money in an entry is shown only to readers who may see project financials in that organization. */
const FINANCIAL_FIELDS = new Set(["cost", "discount", "netPrice", "amount"]);

function present(actor: UserActor, row: { entry: typeof auditLog.$inferSelect; actorName: string | null }, names: EntryNames): AuditEntryView {
  const { entry } = row;
  const seesMoney = entry.orgId === null || hasPermission(actor, entry.orgId, "projects.view_financials");
  const changes = seesMoney
    ? entry.changes
    : Object.fromEntries(Object.entries(entry.changes).map(([field, value]) => [field, FINANCIAL_FIELDS.has(field) ? (["[hidden]", "[hidden]"] as [unknown, unknown]) : value]));
  return {
    ...entry,
    ...names,
    changes,
    actor: entry.actorId && row.actorName !== null ? { id: entry.actorId, username: row.actorName } : null,
  };
}

export type AuditQuery = PageQuery & { entityType?: string; entityId?: string; project?: string; actor?: string; action?: string; org?: string; since?: string };

/** The audit log, newest first: admins read their organization's, project managers their projects'. */
export async function listAuditEntries(ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntryView>> {
  const actor = requireUser(ctx.actor);
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org, findOrganization) : undefined;
  // Nothing the caller could read (anywhere, or in ?org=) is a 403 naming audit.view.
  requireListScope(actor, auditPolicy, "view", orgId);
  const conditions: SQL[] = [listScope(actor, auditPolicy, "view", auditLog)];
  if (orgId) conditions.push(eq(auditLog.orgId, orgId));
  if (query.entityType) conditions.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) conditions.push(eq(auditLog.entityId, query.entityId));
  if (query.project) conditions.push(aboutProject(auditLog, query.project));
  if (query.actor) conditions.push(eq(auditLog.actorId, query.actor));
  if (query.action) {
    conditions.push(query.action.endsWith(".*") ? like(auditLog.action, `${query.action.slice(0, -2).replace(/[\\%_]/g, "\\$&")}.%`) : eq(auditLog.action, query.action));
  }
  if (query.since) conditions.push(gte(auditLog.createdAt, new Date(query.since)));
  const where = and(...conditions);
  const [total] = await ctx.tx.select({ value: sql<number>`count(*)::int` }).from(auditLog).where(where);
  const rows = await ctx.tx
    .select({ entry: auditLog, actorName: users.username })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const names = await nameEntries(ctx.tx, rows.map((row) => row.entry));
  return { items: rows.map((row, index) => present(actor, row, names[index] ?? NO_NAMES)), page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}

/** One entry; another organization's (or a platform entry, for anyone but the superuser) is a 404. */
export async function getAuditEntry(ctx: Ctx, entryId: string): Promise<AuditEntryView> {
  const actor = requireUser(ctx.actor);
  const [row] = await ctx.tx
    .select({ entry: auditLog, actorName: users.username })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.id, entryId), actor.isSuperuser ? undefined : inMemberOrgs(actor, auditLog.orgId)));
  if (!row) throw new NotFoundError("audit entry");
  const orgId = row.entry.orgId;
  if (orgId && !actor.isSuperuser) authorize(actor, auditPolicy, "view", { orgId, project: await entryProject(ctx.tx, row.entry) });
  const [names] = await nameEntries(ctx.tx, [row.entry]);
  return present(actor, row, names ?? NO_NAMES);
}
