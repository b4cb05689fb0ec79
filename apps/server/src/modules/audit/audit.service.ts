import { and, desc, eq, gte, like, or, sql, type SQL } from "drizzle-orm";
import type { UserActor } from "../../platform/access/actor.js";
import { authorize, grantIn, hasPermission, requireUser } from "../../platform/access/engine.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError, PermissionDeniedError } from "../../platform/errors.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { users } from "../accounts/index.js";
import { inMemberOrgs, resolveOrgFilter } from "../projects/index.js";
import { payments } from "../projects/index.js";
import { projects } from "../projects/index.js";
import { auditPolicy } from "./audit.policy.js";

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
};

/**
 * Entries about the projects a member owns or manages in one organization:
 * the project itself (its fields, members, status, files) and its payments.
 * This is what audit.view with scope `own` opens (project managers).
 */
function ownProjectEntries(actor: UserActor, orgId: string): SQL {
  const mine = sql`${projects.orgId} = ${orgId} and (${projects.ownerId} = ${actor.userId} or ${projects.managerId} = ${actor.userId})`;
  return sql`(
    (${auditLog.entityType} = 'project' and ${auditLog.entityId} in (select ${projects.id}::text from ${projects} where ${mine}))
    or (${auditLog.entityType} = 'payment' and ${auditLog.entityId} in (
      select ${payments.id}::text from ${payments} join ${projects} on ${projects.id} = ${payments.projectId}
      where ${payments.orgId} = ${orgId} and ${mine}))
  )`;
}

/** What the actor may read: whole organizations where audit.view is `all`, their projects' entries where it is `own`. */
function readableEntries(actor: UserActor, onlyOrg?: string): SQL {
  if (actor.isSuperuser) return onlyOrg ? eq(auditLog.orgId, onlyOrg) : sql`true`;
  const parts: SQL[] = [];
  for (const org of actor.orgs) {
    if (onlyOrg && org.orgId !== onlyOrg) continue;
    const scope = org.grants["audit.view"];
    if (scope === "all") parts.push(eq(auditLog.orgId, org.orgId));
    else if (scope === "own") parts.push(sql`(${auditLog.orgId} = ${org.orgId} and ${ownProjectEntries(actor, org.orgId)})`);
  }
  return or(...parts) ?? sql`false`;
}

/** Money in an entry is shown only to readers who may see project financials in that organization. */
const FINANCIAL_FIELDS = new Set(["cost", "discount", "netPrice", "amount"]);

function present(actor: UserActor, row: { entry: typeof auditLog.$inferSelect; actorName: string | null }): AuditEntryView {
  const { entry } = row;
  const seesMoney = entry.orgId === null || hasPermission(actor, entry.orgId, "projects.view_financials");
  const changes = seesMoney
    ? entry.changes
    : Object.fromEntries(Object.entries(entry.changes).map(([field, value]) => [field, FINANCIAL_FIELDS.has(field) ? (["[hidden]", "[hidden]"] as [unknown, unknown]) : value]));
  return {
    ...entry,
    changes,
    actor: entry.actorId && row.actorName !== null ? { id: entry.actorId, username: row.actorName } : null,
  };
}

export type AuditQuery = PageQuery & { entityType?: string; entityId?: string; actor?: string; action?: string; org?: string; since?: string };

/** The audit log, newest first: admins read their organization's, project managers their projects'. */
export async function listAuditEntries(ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntryView>> {
  const actor = requireUser(ctx.actor);
  let orgId: string | undefined;
  if (query.org) {
    orgId = await resolveOrgFilter(ctx, query.org);
    authorize(actor, auditPolicy, "list", { orgId });
  } else if (!actor.isSuperuser && !actor.orgs.some((org) => org.grants["audit.view"])) {
    throw new PermissionDeniedError("audit.view");
  }
  const conditions: SQL[] = [readableEntries(actor, orgId)];
  if (query.entityType) conditions.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) conditions.push(eq(auditLog.entityId, query.entityId));
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
  return { items: rows.map((row) => present(actor, row)), page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
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
  if (orgId && !actor.isSuperuser) {
    let ownProject = false;
    if (grantIn(actor, orgId, "audit.view") === "own") {
      const [own] = await ctx.tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.id, entryId), ownProjectEntries(actor, orgId)));
      ownProject = Boolean(own);
    }
    authorize(actor, auditPolicy, "view", { orgId, ownProject });
  }
  return present(actor, row);
}
