import { z } from "zod";
import { isoDate } from "./common.js";

/**
 * Shapes of the tasks API that the server validates and documents and the web
 * forms check before sending. The server's tables take the `as const` arrays
 * as their enums.
 */

export const TASK_STATUSES = ["todo", "in_progress", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABELS: Readonly<Record<TaskStatus, string>> = { todo: "To do", in_progress: "In progress", done: "Done" };

/** Lowest to highest: `?ordering=-priority` puts urgent first. */
export const TASK_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** What GET /api/tasks orders by (`?ordering=field` or `-field`). */
export const TASK_ORDERINGS = ["number", "priority", "dueDate", "createdAt", "updatedAt", "position"] as const;
export type TaskOrdering = (typeof TASK_ORDERINGS)[number];

/** What a task's key starts with when it has no project: `ME-3`. */
export const PERSONAL_TASK_PREFIX = "ME";

export const TASK_TITLE_MAX = 300;
export const TASK_DESCRIPTION_MAX = 20_000;
export const TASK_LABEL_MAX = 40;
export const TASK_LABELS_PER_TASK = 20;
/** A year of working days in minutes is far below this; anything above is a typo. */
export const TASK_ESTIMATE_MAX_MINUTES = 1_000_000;
export const TASK_BULK_UPDATE_MAX = 500;
export const TASK_BULK_CREATE_MAX = 1000;

/** A label: free text, one line, no `;` (labels are `;`-separated in CSV files) and no `,`. */
export const taskLabel = z
  .string()
  .transform((value) => value.trim().replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .min(1, "A label cannot be empty.")
      .max(TASK_LABEL_MAX, `At most ${TASK_LABEL_MAX} characters.`)
      .regex(/^[^;,]+$/, "A label cannot hold ';' or ','."),
  );

/** The writable fields of a task, each as POST and PATCH /api/tasks take it. */
export const taskFields = {
  title: z.string().trim().min(1, "A task needs a title.").max(TASK_TITLE_MAX, `At most ${TASK_TITLE_MAX} characters.`),
  description: z.string().max(TASK_DESCRIPTION_MAX, `At most ${TASK_DESCRIPTION_MAX.toLocaleString("en")} characters.`),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assigneeId: z.uuid().nullable(),
  dueDate: isoDate().nullable(),
  estimateMinutes: z.number().int("Whole minutes.").min(0, "Cannot be negative.").max(TASK_ESTIMATE_MAX_MINUTES, "That is more than two years of work.").nullable(),
  labels: z
    .array(taskLabel)
    .max(TASK_LABELS_PER_TASK, `At most ${TASK_LABELS_PER_TASK} labels.`)
    .transform((labels) => [...new Map(labels.map((label) => [label.toLowerCase(), label])).values()]),
  parentId: z.uuid().nullable(),
};

/** An organization by id or slug; optional when the caller belongs to exactly one. */
const orgRef = z.string().min(1).max(64).optional().describe("Organization id or slug; optional when the caller belongs to exactly one organization");

/** One task of POST /api/tasks and of each row of POST /api/tasks/bulk. */
export const taskDraft = z
  .object({
    title: taskFields.title,
    description: taskFields.description.optional(),
    status: taskFields.status.optional(),
    priority: taskFields.priority.optional(),
    assigneeId: taskFields.assigneeId.optional(),
    dueDate: taskFields.dueDate.optional(),
    estimateMinutes: taskFields.estimateMinutes.optional(),
    labels: taskFields.labels.optional(),
    parentId: taskFields.parentId.optional(),
    dependsOn: z.array(z.uuid()).max(50, "At most 50 blockers.").optional(),
  })
  .strict();
export type TaskDraft = z.output<typeof taskDraft>;

export const createTaskInput = taskDraft
  .extend({
    orgId: orgRef,
    projectId: z.uuid().nullable().optional().describe("Without it (or null), a personal task of the caller"),
  })
  .strict();
export type CreateTaskInput = z.output<typeof createTaskInput>;

/** PATCH /api/tasks/{id}: any writable field (a draft's fields, all optional; blockers have their own endpoints). */
export const updateTaskInput = taskDraft.omit({ dependsOn: true }).partial().strict();
export type UpdateTaskInput = z.output<typeof updateTaskInput>;

/** POST /api/tasks/{id}/move: the board's drop. `afterId: null` puts the card at the top of its column. */
export const moveTaskInput = z
  .object({
    status: taskFields.status.optional(),
    afterId: z.uuid().nullable().optional().describe("The card it now follows in its column; null: the top"),
  })
  .strict();
export type MoveTaskInput = z.output<typeof moveTaskInput>;

export const bulkTaskChanges = taskDraft
  .pick({ status: true, priority: true, assigneeId: true, dueDate: true, labels: true })
  .strict()
  .refine((set) => Object.values(set).some((value) => value !== undefined), { message: "Say what to change." });

export const bulkUpdateTasksInput = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1, "Name at least one task.")
      .max(TASK_BULK_UPDATE_MAX, `At most ${TASK_BULK_UPDATE_MAX} tasks at once.`)
      .transform((ids) => [...new Set(ids)]),
    set: bulkTaskChanges,
  })
  .strict();
export type BulkUpdateTasksInput = z.output<typeof bulkUpdateTasksInput>;

export const bulkCreateTasksInput = z
  .object({
    orgId: orgRef,
    projectId: z.uuid().nullable().optional(),
    tasks: z.array(taskDraft).min(1, "Send at least one task.").max(TASK_BULK_CREATE_MAX, `At most ${TASK_BULK_CREATE_MAX} tasks at once.`),
  })
  .strict();
export type BulkCreateTasksInput = z.output<typeof bulkCreateTasksInput>;

/** "SHOP-12" from a project key and a number; personal tasks read ME-3. */
export function taskKey(projectKey: string | null, number: number): string {
  return `${projectKey ?? PERSONAL_TASK_PREFIX}-${number}`;
}
