import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";
import { projects } from "./projects.table.js";

/**
 * A file of a project. The bytes live in private storage under a random key;
 * the name the uploader gave is metadata only and never becomes a path.
 */
export const projectFiles = pgTable(
  "project_files",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    originalName: text("original_name").notNull(),
    /** Detected from the content, not taken from the client. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    uploadedById: uuid("uploaded_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("project_files_key_key").on(table.storageKey), index("project_files_project_idx").on(table.projectId, table.createdAt)],
);
