import { IMPORT_STATUSES } from "@cairn/shared";
import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";
import { projects } from "../projects/projects.table.js";

/**
 * A CSV import of tasks into a project: the uploaded file (in private storage until the import has
 * run), its progress and outcome. The tasks it created are the project's numbers `first_number` to
 * `last_number`, taken in one block, which is how an undo finds them without marking every task.
 */
export const taskImports = pgTable(
  "task_imports",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    /** The uploaded file while the import waits or runs; null once it has run. */
    fileKey: text("file_key"),
    /** Every refused row as CSV (row, column, message), in private storage; null when none was. */
    errorsKey: text("errors_key"),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("queued"),
    total: integer("total").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    /** The first refused rows (`IMPORT_ERRORS_LISTED`), as GET /api/imports/{id} lists them. */
    errors: jsonb("errors").$type<Array<{ row: number; column: string; message: string }>>().notNull().default(sql`'[]'::jsonb`),
    /** Why a failed import failed, in words for its owner (never internals). */
    failure: text("failure"),
    firstNumber: integer("first_number"),
    lastNumber: integer("last_number"),
    createdAt: createdAt(),
    startedAt: timestampTz("started_at"),
    finishedAt: timestampTz("finished_at"),
    undoneAt: timestampTz("undone_at"),
  },
  (table) => [
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "task_imports_project_fk" }).onDelete("cascade"),
    index("task_imports_project_idx").on(table.projectId, table.createdAt.desc()),
    check("task_imports_counts", sql`${table.processed} >= 0 and ${table.processed} <= ${table.total}`),
  ],
);
