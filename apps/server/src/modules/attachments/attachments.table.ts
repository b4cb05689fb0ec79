import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";

/**
 * Files held by an object of any module: a project, a task, a ticket. The
 * owner is named by type and id (`owner_type`, `owner_id`) and its module's
 * rules decide who reads, adds and deletes (platform/storage/owners.ts). The
 * bytes live in private storage under a random key; the name the uploader
 * gave is metadata only and never becomes a path.
 *
 * `owner_id` cannot have a foreign key (it points into whichever table the
 * type names), so the database checks it with triggers instead (ADR 0006):
 * on insert and update, the owner must exist in the attachment's own
 * organization, in the table `attachment_owner_tables` names for its type
 * (migration 0007); when an owner row is deleted, its files go (a trigger per
 * owner table, migrations 0005 and 0006). The owner's module still removes
 * the files itself, with their bytes (`deleteAttachmentsOf`).
 */
export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ownerType: text("owner_type").notNull(),
    ownerId: uuid("owner_id").notNull(),
    storageKey: text("storage_key").notNull(),
    originalName: text("original_name").notNull(),
    /** Detected from the content, not taken from the client; `application/octet-stream` when unknown. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** Who uploaded it: an actor, like a payment's recorder (the superuser may act without a membership). */
    uploadedById: uuid("uploaded_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("attachments_storage_key_key").on(table.storageKey),
    index("attachments_owner_idx").on(table.orgId, table.ownerType, table.ownerId, table.createdAt),
    check("attachments_size_not_negative", sql`${table.size} >= 0`),
  ],
);

/**
 * The table each owner type lives in, for the database's own check of
 * `(org_id, owner_id)`: that table has `org_id` and `id`. A module that
 * declares a new owner type adds its row (and the deletion trigger) in its
 * migration; an attachment of a type without a row cannot be written.
 */
export const attachmentOwnerTables = pgTable("attachment_owner_tables", {
  ownerType: text("owner_type").primaryKey(),
  tableName: text("table_name").notNull(),
});
