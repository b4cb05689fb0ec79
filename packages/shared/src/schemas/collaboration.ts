import { z } from "zod";
import { MARKDOWN_MAX_LENGTH } from "../markdown.js";
import { isoDate } from "./common.js";

/**
 * Shapes of a task's collaboration (API.md "Tasks"): comments and time entries, as the server
 * validates and documents them and the web's forms check them before sending.
 */

/** POST /api/tasks/{id}/comments and PATCH /api/comments/{id}: Markdown, at most 20,000 characters. */
export const commentInput = z
  .object({
    body: z
      .string()
      .max(MARKDOWN_MAX_LENGTH, `At most ${MARKDOWN_MAX_LENGTH.toLocaleString("en")} characters.`)
      .refine((value) => value.trim().length > 0, "Write something first.")
      .describe("Markdown; `@username` mentions people who can see the task"),
  })
  .strict();
export type CommentInput = z.infer<typeof commentInput>;

/** One entry at most a whole day; more is a typo. */
export const TIME_ENTRY_MAX_MINUTES = 24 * 60;
export const TIME_ENTRY_NOTE_MAX = 1000;

export const timeEntryFields = {
  minutes: z
    .number()
    .int("Whole minutes.")
    .min(1, "At least one minute.")
    .max(TIME_ENTRY_MAX_MINUTES, "At most 24 hours in one entry."),
  spentOn: isoDate({ minYear: 2000 }).describe("The day the time was spent, YYYY-MM-DD"),
  note: z.string().trim().max(TIME_ENTRY_NOTE_MAX, `At most ${TIME_ENTRY_NOTE_MAX} characters.`),
};

/** POST /api/tasks/{id}/time-entries. */
export const timeEntryInput = z
  .object({ minutes: timeEntryFields.minutes, spentOn: timeEntryFields.spentOn, note: timeEntryFields.note.optional() })
  .strict();
export type TimeEntryInput = z.infer<typeof timeEntryInput>;

/** PATCH /api/time-entries/{id}: any of the fields. */
export const updateTimeEntryInput = z
  .object({
    minutes: timeEntryFields.minutes.optional(),
    spentOn: timeEntryFields.spentOn.optional(),
    note: timeEntryFields.note.optional(),
  })
  .strict();
export type UpdateTimeEntryInput = z.infer<typeof updateTimeEntryInput>;
