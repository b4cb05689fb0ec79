import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, timestampTz, updatedAt } from "../../db/columns.js";

/**
 * The recurring jobs the modules declare (manifest `schedules`), as the superuser
 * runs them: one row per declared schedule, added when missing (platform/jobs/schedules.ts).
 * The row is what the superuser edits; pg-boss's own schedule table is kept in step with
 * it, and every instance's cron pass reads that one, so an edit needs no restart.
 */
export const schedules = pgTable("schedules", {
  /** The name the module declares, e.g. `digest.daily`. */
  name: text("name").primaryKey(),
  /** Five fields: minute hour day-of-month month day-of-week. */
  cron: text("cron").notNull(),
  /** `UTC`, an IANA zone, or `user`: each user's own (the job ticks every minute and decides per person). */
  timezone: text("timezone").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  lastRunAt: timestampTz("last_run_at"),
  lastStatus: text("last_status", { enum: ["ok", "failed"] }),
  /** The message of the last failed run; cleared by a run that succeeds. */
  lastError: text("last_error"),
  totalRuns: bigint("total_runs", { mode: "number" }).notNull().default(0),
  /**
   * When a superuser last changed the cron, zone or switch. Null: the row still holds what the
   * module declares, and follows a new declaration on the next start; set, the edit is kept.
   */
  editedAt: timestampTz("edited_at"),
  editedBy: uuid("edited_by"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Processes that run jobs (`cairn worker`, `cairn all`): each writes its row when it starts and
 * its heartbeat every 15 seconds, and removes it when it stops gracefully. A row whose heartbeat
 * is old is a worker that died; the clean-up removes it after a day.
 */
export const jobWorkers = pgTable(
  "job_workers",
  {
    id: uuid("id").primaryKey(),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    /** How many queues it works. */
    queues: integer("queues").notNull().default(0),
    startedAt: timestampTz("started_at").notNull().defaultNow(),
    lastSeenAt: timestampTz("last_seen_at")
      .notNull()
      .default(sql`now()`),
  },
  (table) => [index("job_workers_last_seen_idx").on(table.lastSeenAt)],
);
