import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { tasks } from "../tasks/tasks.table.js";

/**
 * The discussion of a task. The body is Markdown as written; its HTML is made
 * when it is read (@cairn/shared's renderer, ADR 0009), so a fix of the
 * renderer applies to every comment ever written. `mentions` keeps who the
 * body named and could see the task when it was written (or last edited).
 * A comment goes with its task (composite key, ADR 0007).
 */
export const taskComments = pgTable(
  "task_comments",
  {
    id: id(),
    orgId: uuid("org_id").notNull(),
    taskId: uuid("task_id").notNull(),
    /** Who wrote it: an actor (the superuser may act without a membership); kept as null if the account goes. */
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    mentions: uuid("mentions").array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
    /** Set by each edit; earlier texts are in the audit log (the task's activity). */
    editedAt: timestampTz("edited_at"),
  },
  (table) => [
    unique("task_comments_org_id_id_key").on(table.orgId, table.id),
    foreignKey({ columns: [table.orgId, table.taskId], foreignColumns: [tasks.orgId, tasks.id], name: "task_comments_task_fk" }).onDelete("cascade"),
    index("task_comments_task_idx").on(table.taskId, table.createdAt, table.id),
    index("task_comments_author_idx").on(table.authorId),
  ],
);
