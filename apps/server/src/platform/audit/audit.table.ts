import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "../../db/columns.js";

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
    /**
     * The moment of the write, not of the transaction's start (`now()`): the entries of one
     * change keep the order they were written in.
     */
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [
    index("audit_log_org_created_idx").on(table.orgId, table.createdAt),
    index("audit_log_entity_idx").on(table.entityType, table.entityId),
    index("audit_log_actor_idx").on(table.actorId),
  ],
);
