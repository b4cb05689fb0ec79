import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";
import { tasks } from "../tasks/tasks.table.js";

/**
 * Time spent on a task: whole minutes on a day, by one person. The task's
 * `logged_minutes` is their sum, kept by the time service in the same
 * transaction (an increment under the task's row lock, so concurrent logs
 * add up). An entry goes with its task (composite key, ADR 0007).
 */
export const timeEntries = pgTable(
  "time_entries",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").notNull(),
    /** Whose time it is: the actor who logged it (the superuser may act without a membership). */
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    minutes: integer("minutes").notNull(),
    spentOn: date("spent_on", { mode: "string" }).notNull(),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique("time_entries_org_id_id_key").on(table.orgId, table.id),
    foreignKey({ columns: [table.orgId, table.taskId], foreignColumns: [tasks.orgId, tasks.id], name: "time_entries_task_fk" }).onDelete("cascade"),
    // The timesheet's paths: a task's entries, a person's days, an organization's days.
    index("time_entries_task_idx").on(table.taskId, table.spentOn),
    index("time_entries_user_day_idx").on(table.userId, table.spentOn),
    index("time_entries_org_day_idx").on(table.orgId, table.spentOn),
    check("time_entries_minutes_range", sql`${table.minutes} between 1 and 1440`),
  ],
);
