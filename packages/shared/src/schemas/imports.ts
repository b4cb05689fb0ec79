import { z } from "zod";

/**
 * The CSV import of tasks (API.md "Tasks": POST /api/tasks/import, GET /api/imports/{id}, its
 * errors.csv and undo): the columns a file may have, its limits, and the shapes both sides read.
 */

/** The header a file may use, in any order; only `title` is required, any other column is a 400. */
export const TASK_IMPORT_COLUMNS = [
  "title",
  "description",
  "status",
  "priority",
  "assignee",
  "dueDate",
  "estimateMinutes",
  "labels",
  "externalId",
  "parent",
] as const;
export type TaskImportColumn = (typeof TASK_IMPORT_COLUMNS)[number];

/** A file larger than this is a 413. */
export const TASK_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const TASK_IMPORT_EXTERNAL_ID_MAX = 200;

export const IMPORT_STATUSES = ["queued", "running", "completed", "failed", "undone"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A bad row: its number in the file (the header is row 1, the first task row 2), the column, why. */
export const importRowError = z.object({
  row: z.number().int().describe("The line of the file: the header is row 1, the first task row 2"),
  column: z.string().describe("The column at fault, or `row` when the row as a whole is"),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;

/** POST /api/tasks/import with `dryRun=true`: what an import would do, writing nothing. */
export const importDryRunOut = z.object({
  total: z.number().int().describe("Task rows in the file (the header not counted)"),
  valid: z.number().int().describe("Rows that would be imported"),
  errors: z.array(importRowError).describe("Every bad row, with its column"),
});
export type ImportDryRun = z.infer<typeof importDryRunOut>;

/** How many errors GET /api/imports/{id} lists; errors.csv has every one. */
export const IMPORT_ERRORS_LISTED = 1000;

export const importOut = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(importRowError).describe(`The first ${IMPORT_ERRORS_LISTED} bad rows; errors.csv has them all`),
  errorCount: z.number().int().describe("How many row errors there are (a row may have several)"),
  failure: z.string().nullable().describe("Why a failed import failed, in words; null otherwise"),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof importOut>;

/** POST /api/imports/{id}/undo: what was removed and which created tasks were kept because people changed them. */
export const importUndoOut = z.object({
  removed: z.number().int(),
  kept: z.array(
    z.object({
      id: z.uuid(),
      key: z.string(),
      title: z.string(),
      reason: z.string().describe("What people did to it since the import"),
    }),
  ),
});
export type ImportUndo = z.infer<typeof importUndoOut>;
