import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";

/**
 * In-app notifications: one row per recipient. They belong to a user, not to
 * an organization (a user reads all of theirs in one list); `org_id` records
 * where the cause happened, and goes with the organization.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** What happened, e.g. `developer.verified`; the UI picks an icon and a link from it. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /**
     * Identifies the cause (a digest of the domain event): event handlers may
     * run twice, and a second run must not notify twice.
     */
    sourceKey: text("source_key"),
    readAt: timestampTz("read_at"),
    createdAt: createdAt(),
  },
  (table) => [
    index("notifications_user_created_idx").on(table.userId, table.createdAt),
    index("notifications_user_unread_idx").on(table.userId).where(sql`${table.readAt} is null`),
    uniqueIndex("notifications_user_source_key").on(table.userId, table.sourceKey),
  ],
);
