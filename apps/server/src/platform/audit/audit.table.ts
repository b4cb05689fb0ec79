import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "../../db/columns.js";

/**
 * Append-only record of every change. A trigger (see the migration
 * `audit_log_append_only`) refuses UPDATE and DELETE, so not even a bug in
 * the application can rewrite history.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    /** Null for platform-level actions (organizations, superuser work). */
    orgId: uuid("org_id"),
    /** Null when the system acted (a job, a schedule). */
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    /** `{field: [before, after]}`; secrets are never written here. */
    changes: jsonb("changes").$type<Record<string, [unknown, unknown]>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (table) => [
    index("audit_log_org_created_idx").on(table.orgId, table.createdAt),
    index("audit_log_entity_idx").on(table.entityType, table.entityId),
    index("audit_log_actor_idx").on(table.actorId),
  ],
);
