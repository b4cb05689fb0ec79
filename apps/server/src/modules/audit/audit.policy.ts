import { sql } from "drizzle-orm";
import { definePolicy, fact, requires, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import type { auditLog } from "../../platform/audit/audit.table.js";
import { payments, projects } from "../projects/index.js";

/** An audit entry as the rules see it, with the project it is about (itself, or a payment's), if any. */
export type AuditSubject = Scoped & { project: { ownerId: string | null; managerId: string | null } | null };

/** The columns of `audit_log` the rules' SQL reads: lists pass the table itself. */
export type AuditColumns = Pick<typeof auditLog, "orgId" | "entityType" | "entityId" | "changes">;

/**
 * The project a payment entry names in its changes (`projectId`): a withdrawn payment is gone
 * from its table, its entries keep telling whose it was.
 */
export const recordedProjectId = (a: Pick<AuditColumns, "changes">) =>
  sql`coalesce(${a.changes}->'projectId'->>1, ${a.changes}->'projectId'->>0)`;

/**
 * The entry is about a project the caller owns or manages: the project itself
 * (its fields, members, status, files) or one of its payments (withdrawn ones included).
 */
export const aboutOwnProject: ScopedRule<AuditSubject, AuditColumns> = fact(
  "ownProject",
  (actor, entry) => entry.project !== null && (entry.project.ownerId === actor.userId || entry.project.managerId === actor.userId),
  (a, me) => {
    const mine = sql`(${projects.ownerId} = ${me} or ${projects.managerId} = ${me})`;
    return sql`(
    (${a.entityType} = 'project' and ${a.entityId} in (select ${projects.id}::text from ${projects} where ${mine}))
    or (${a.entityType} = 'payment' and (${a.entityId} in (
      select ${payments.id}::text from ${payments} join ${projects} on ${projects.id} = ${payments.projectId} where ${mine})
      or ${recordedProjectId(a)} in (select ${projects.id}::text from ${projects} where ${mine})))
  )`;
  },
);

/**
 * Admins read their organization's log; project managers (scope `own`) their
 * projects' entries. `view` also scopes the list of entries.
 */
export const auditPolicy = definePolicy<{ view: AuditSubject }, { view: AuditColumns }>("audit entry", {
  view: requires("audit.view", aboutOwnProject),
});
