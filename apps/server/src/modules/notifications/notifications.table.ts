import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "../../db/columns.js";
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
    /** The web app's page of the object (`/tasks/…`): the inbox and the emails link to it. */
    link: text("link"),
    /** Shown in the inbox (the recipient's in-app preference for the kind when it was made). */
    inApp: boolean("in_app").notNull().default(true),
    /** How it is emailed: at once (coalesced per 5 minutes), in the daily digest, or not. */
    email: text("email", { enum: ["immediate", "digest", "off"] })
      .notNull()
      .default("off"),
    /** When its immediate email was sent (alone or gathered with others). */
    emailedAt: timestampTz("emailed_at"),
    readAt: timestampTz("read_at"),
    createdAt: createdAt(),
  },
  (table) => [
    index("notifications_user_created_idx").on(table.userId, table.createdAt),
    index("notifications_user_unread_idx")
      .on(table.userId)
      .where(sql`${table.readAt} is null and ${table.inApp}`),
    uniqueIndex("notifications_user_source_key").on(table.userId, table.sourceKey),
    index("notifications_email_pending_idx")
      .on(table.userId)
      .where(sql`${table.email} = 'immediate' and ${table.emailedAt} is null`),
    index("notifications_digest_idx")
      .on(table.userId, table.createdAt)
      .where(sql`${table.email} = 'digest'`),
  ],
);

/** A kind's channels as the user chose them (absent kinds keep the defaults their events declare). */
export type KindPreference = { inApp?: boolean; email?: "immediate" | "digest" | "off" };

/**
 * Each user's notification preferences, one row once they change something:
 * the digests, and per event kind the overrides of its defaults.
 */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  dailyDigest: boolean("daily_digest").notNull().default(true),
  weeklyDigest: boolean("weekly_digest").notNull().default(false),
  events: jsonb("events").$type<Record<string, KindPreference>>().notNull().default({}),
  updatedAt: updatedAt(),
});

/**
 * The coalescing window of a user's immediate emails: the first email goes out at
 * once and opens a window of 5 minutes; what comes during it waits for its end.
 */
export const notificationEmailWindows = pgTable("notification_email_windows", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  endsAt: timestampTz("ends_at").notNull(),
});
