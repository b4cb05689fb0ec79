import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * What a per-user schedule has sent: one row per schedule, user and run (the
 * local date of the occurrence, or the absence for a reminder). The primary key
 * is the claim: `insert … on conflict do nothing returning` hands each row to
 * one worker once, so two workers or a restart never send a message twice.
 */
export const scheduleUserRuns = pgTable(
  "schedule_user_runs",
  {
    schedule: text("schedule").notNull(),
    userId: uuid("user_id").notNull(),
    /** `YYYY-MM-DD` (the user's local date of the occurrence) or the schedule's own key. */
    runKey: text("run_key").notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now()`),
  },
  (table) => [
    primaryKey({ columns: [table.schedule, table.userId, table.runKey] }),
    index("schedule_user_runs_claimed_idx").on(table.claimedAt),
  ],
);
