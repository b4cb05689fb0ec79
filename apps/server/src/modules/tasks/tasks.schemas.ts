import { DATE_MAX_YEAR, DATE_MIN_YEAR, TASK_ORDERINGS, TASK_PRIORITIES, TASK_STATUSES, isoDate, isoDateTime } from "@cairn/shared";
import { z } from "zod";
import { orderingQuery, pageQuery, queryBoolean } from "../../platform/http/pagination.js";

/** Responses and queries of the tasks API; the payloads are @cairn/shared's, which the web forms check too. */

/** A query parameter that may repeat (`?status=todo&status=done`) or hold a comma-separated list. */
function repeatable<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .preprocess((value) => (typeof value === "string" ? value.split(",") : value), z.array(z.enum(values)).min(1).max(values.length * 2))
    .optional();
}

/**
 * A timestamp within the API's years as written too: isoDateTime judges the instant, and
 * 2201-01-01T00:00:00+14:00 is still 2200 in UTC (found by the fuzz of the task lists).
 */
const timestamp = () =>
  isoDateTime().refine((value) => Number(value.slice(0, 4)) >= DATE_MIN_YEAR && Number(value.slice(0, 4)) <= DATE_MAX_YEAR, {
    message: `Use a time between ${DATE_MIN_YEAR} and ${DATE_MAX_YEAR}.`,
  });

export const taskListQuery = pageQuery.extend({
  project: z.uuid().optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().describe("A user id, `me` or `none` (unassigned)"),
  reporter: z.uuid().optional(),
  status: repeatable(TASK_STATUSES).describe("Repeatable: ?status=todo&status=in_progress"),
  priority: repeatable(TASK_PRIORITIES).describe("Repeatable"),
  label: z.string().trim().min(1).max(40).optional(),
  parent: z.uuid().optional().describe("Sub-tasks of this task"),
  search: z.string().max(100).optional().describe("Part of the title, case-insensitive, or a key such as SHOP-12"),
  dueBefore: isoDate().optional().describe("Due on or before this date"),
  overdue: queryBoolean.optional().describe("Not done and due before today (true), or not overdue (false)"),
  updatedSince: timestamp().optional(),
  personal: queryBoolean.optional().describe("Personal tasks only (true) or project tasks only (false)"),
  org: z.string().max(64).optional().describe("Organization id or slug"),
  ordering: orderingQuery(TASK_ORDERINGS).describe("number, priority (by urgency: -priority puts urgent first), dueDate, createdAt, updatedAt, position; default -createdAt"),
});

const person = z.object({ id: z.uuid(), username: z.string() });

export const taskOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    projectId: z.uuid().nullable(),
    key: z.string().describe('"SHOP-12"; personal tasks "ME-3"'),
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    status: z.enum(TASK_STATUSES),
    priority: z.enum(TASK_PRIORITIES),
    assigneeId: z.uuid().nullable(),
    reporterId: z.uuid().nullable(),
    parentId: z.uuid().nullable(),
    labels: z.array(z.string()),
    position: z.number().describe("The card's place in its board column, ascending"),
    dueDate: z.string().nullable(),
    estimateMinutes: z.number().int().nullable(),
    loggedMinutes: z.number().int(),
    blockedBy: z.array(z.uuid()).describe("Tasks this one waits for"),
    openBlockers: z.number().int().describe("How many of the tasks it waits for are not done yet"),
    isBlocked: z.boolean().describe("Not done and waiting for a task that is not done: it cannot move to done yet"),
    completedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    project: z.object({ id: z.uuid(), key: z.string(), name: z.string() }).nullable(),
    assignee: person.extend({ displayName: z.string() }).nullable(),
    reporter: person.nullable(),
    parent: z.object({ id: z.uuid(), key: z.string(), title: z.string() }).nullable(),
    subtasks: z.object({ total: z.number().int(), done: z.number().int() }).describe("The children's progress"),
    overdue: z.boolean(),
    allowedActions: z
      .array(z.string())
      .describe("What the caller may do: update (every field), changeStatus (status and board place only), delete"),
  })
  .meta({ id: "Task" });

export const taskLabelsQuery = z.object({
  search: z.string().max(40).optional(),
  org: z.string().max(64).optional().describe("Organization id or slug"),
});

/** One link of GET /api/tasks/{id}/dependencies: `task` names the other task when the caller may see it. */
export const dependencyOut = z
  .object({
    taskId: z.uuid().describe("The task that waits"),
    dependsOnId: z.uuid().describe("The task it waits for"),
    createdAt: z.date(),
    task: z
      .object({ id: z.uuid(), key: z.string(), title: z.string(), status: z.enum(TASK_STATUSES), projectId: z.uuid().nullable() })
      .nullable()
      .describe("The other task of the link (the blocker in `items`, the blocked task in `blocking`); null when the caller may not see it"),
  })
  .meta({ id: "TaskDependency" });

export const addDependencyInput = z.object({ dependsOnId: z.uuid().describe("The task this one waits for: same organization, any project") });
