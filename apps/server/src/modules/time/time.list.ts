import { and, eq, gte, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { isoDate } from "@cairn/shared";
import { requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { pageQuery, type Page } from "../../platform/http/pagination.js";
import { resolveOrgFilter } from "../projects/index.js";
import { tasks } from "../tasks/index.js";
import { entriesPage, visibleEntries, type TimeEntryView } from "./time.service.js";
import { timeEntries } from "./time.table.js";

/** The timesheet's filters (GET /api/time-entries and the CSV report). */
export const timeFilters = z
  .object({
    project: z.uuid().optional().describe("Entries of this project's tasks"),
    user: z.union([z.uuid(), z.literal("me")]).optional().describe("Whose time: a user id, or `me`"),
    from: isoDate().optional().describe("First day, YYYY-MM-DD (inclusive)"),
    to: isoDate().optional().describe("Last day, YYYY-MM-DD (inclusive)"),
    task: z.uuid().optional(),
    org: z.string().min(1).max(64).optional().describe("Organization id or slug"),
  })
  .strict();

export type TimeFilters = z.infer<typeof timeFilters>;

export const timeListQuery = pageQuery.extend(timeFilters.shape).strict();

/** The conditions of a filtered timesheet: what the caller sees (ADR 0009), narrowed by the filters. */
export async function timeConditions(ctx: Ctx, filters: TimeFilters): Promise<SQL[]> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [visibleEntries(actor)];
  if (filters.org) conditions.push(eq(timeEntries.orgId, await resolveOrgFilter(ctx, filters.org)));
  if (filters.project) conditions.push(eq(tasks.projectId, filters.project));
  if (filters.task) conditions.push(eq(timeEntries.taskId, filters.task));
  if (filters.user) conditions.push(eq(timeEntries.userId, filters.user === "me" ? actor.userId : filters.user));
  if (filters.from) conditions.push(gte(timeEntries.spentOn, filters.from));
  if (filters.to) conditions.push(lte(timeEntries.spentOn, filters.to));
  return conditions;
}

/** The timesheet: entries the caller sees, newest day first, with the sum of every matching entry. */
export async function listTimeEntries(ctx: Ctx, query: z.infer<typeof timeListQuery>): Promise<Page<TimeEntryView> & { totalMinutes: number }> {
  return entriesPage(ctx, and(...(await timeConditions(ctx, query))), query);
}
