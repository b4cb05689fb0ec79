import type { TaskPriority, TaskStatus } from "@cairn/shared";
import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { executePrepared } from "../../db/prepared.js";
import { requireUser } from "../../platform/access/engine.js";
import { requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { taskPolicy } from "./tasks.policy.js";
import { presentTask, selectTasks, taskVisibilityValues, visibleTasks, type TaskRow, type TaskView } from "./tasks.queries.js";
import { likePattern, resolveOrgFilter } from "../projects/index.js";
import { tasks } from "./tasks.table.js";

/**
 * GET /api/tasks: one query per page (the total rides along as a window
 * count), built from placeholders so that each shape of request (which
 * filters, which ordering, which kind of visibility) is one prepared
 * statement; values never change the SQL text. Each filter meets an index:
 * a project's tasks by status (project_id, status, created_at), a person's
 * (assignee_id, created_at), an organization's (org_id, created_at), titles
 * through the organization's trigram index.
 */

export type TaskFilters = {
  project?: string;
  /** A user id, `me` or `none`. */
  assignee?: string;
  reporter?: string;
  status?: TaskStatus[];
  priority?: TaskPriority[];
  label?: string;
  parent?: string;
  search?: string;
  dueBefore?: string;
  overdue?: boolean;
  updatedSince?: string;
  personal?: boolean;
  org?: string;
};

export type TaskQuery = PageQuery & TaskFilters & { ordering?: string };

/** `SHOP-12` (or a personal `ME-3`): a search for one task by its key. */
const KEY = /^([A-Za-z][A-Za-z0-9]{1,9})-(\d{1,9})$/;

type Bound = { values: Record<string, unknown>; shape: string };

/** The values of a request and its shape, without building any SQL (a cached statement needs only these). */
async function bindFilters(ctx: Ctx, filters: TaskFilters): Promise<Bound> {
  const actor = requireUser(ctx.actor);
  const visibility = taskVisibilityValues(actor);
  const values: Record<string, unknown> = { ...visibility.values, viewer: actor.userId };
  const flags: string[] = [];
  if (filters.org) values.org = await resolveOrgFilter(ctx, filters.org);
  requireListScope(actor, taskPolicy, "view", values.org as string | undefined);
  if (filters.project) values.project = filters.project;
  if (filters.assignee === "none") flags.push("unassigned");
  else if (filters.assignee) values.assignee = filters.assignee === "me" ? actor.userId : filters.assignee;
  if (filters.reporter) values.reporter = filters.reporter;
  // One value is an equality (an index serves it with its ordering); several are `= any(…)`.
  if (filters.status?.length === 1) values.status = filters.status[0];
  else if (filters.status?.length) values.statuses = [...new Set(filters.status)];
  if (filters.priority?.length === 1) values.priority = filters.priority[0];
  else if (filters.priority?.length) values.priorities = [...new Set(filters.priority)];
  if (filters.label) values.label = [filters.label];
  if (filters.parent) values.parent = filters.parent;
  if (filters.search) {
    const key = KEY.exec(filters.search.trim());
    if (key) {
      values.keyPrefix = (key[1] as string).toUpperCase();
      values.keyNumber = Number(key[2]);
    }
    values.search = likePattern(filters.search.trim());
  }
  if (filters.dueBefore) values.dueBefore = filters.dueBefore;
  if (filters.overdue !== undefined) flags.push(filters.overdue ? "overdue" : "notOverdue");
  if (filters.updatedSince) values.updatedSince = new Date(filters.updatedSince);
  if (filters.personal !== undefined) flags.push(filters.personal ? "personal" : "inProjects");
  return { values, shape: [visibility.shape, ...Object.keys(values), ...flags].join(",") };
}

/** The SQL for a shape: every value is a placeholder. */
function buildConditions(ctx: Ctx, values: Record<string, unknown>, shape: string): SQL[] {
  const bind = (name: string) => sql.placeholder(name);
  const flags = new Set(shape.split(","));
  const conditions: SQL[] = [visibleTasks(requireUser(ctx.actor), bind)];
  if ("org" in values) conditions.push(sql`${tasks.orgId} = ${bind("org")}`);
  if ("project" in values) conditions.push(sql`${tasks.projectId} = ${bind("project")}`);
  if ("assignee" in values) conditions.push(sql`${tasks.assigneeId} = ${bind("assignee")}`);
  if (flags.has("unassigned")) conditions.push(sql`${tasks.assigneeId} is null`);
  if ("reporter" in values) conditions.push(sql`${tasks.reporterId} = ${bind("reporter")}`);
  if ("status" in values) conditions.push(sql`${tasks.status} = ${bind("status")}`);
  if ("statuses" in values) conditions.push(sql`${tasks.status} = any(${bind("statuses")}::text[])`);
  if ("priority" in values) conditions.push(sql`${tasks.priority} = ${bind("priority")}`);
  if ("priorities" in values) conditions.push(sql`${tasks.priority} = any(${bind("priorities")}::text[])`);
  if ("label" in values) conditions.push(sql`${tasks.labels} @> ${bind("label")}::text[]`);
  if ("parent" in values) conditions.push(sql`${tasks.parentId} = ${bind("parent")}`);
  if ("keyPrefix" in values) {
    const byKey = sql`(${tasks.number} = ${bind("keyNumber")} and (${tasks.projectId} in (select p.id from projects p where p.key = ${bind("keyPrefix")})
      or (${tasks.projectId} is null and ${bind("keyPrefix")} = 'ME')))`;
    conditions.push(sql`(${tasks.title} ilike ${bind("search")} or ${byKey})`);
  } else if ("search" in values) conditions.push(sql`${tasks.title} ilike ${bind("search")}`);
  if ("dueBefore" in values) conditions.push(sql`${tasks.dueDate} <= ${bind("dueBefore")}`);
  if (flags.has("overdue")) conditions.push(sql`(${tasks.status} <> 'done' and ${tasks.dueDate} < current_date)`);
  if (flags.has("notOverdue")) conditions.push(sql`(${tasks.status} = 'done' or ${tasks.dueDate} is null or ${tasks.dueDate} >= current_date)`);
  if ("updatedSince" in values) conditions.push(sql`${tasks.updatedAt} >= ${bind("updatedSince")}`);
  if (flags.has("personal")) conditions.push(sql`${tasks.projectId} is null`);
  if (flags.has("inProjects")) conditions.push(sql`${tasks.projectId} is not null`);
  return conditions;
}

/** What the caller sees, narrowed by the filters (shared with the CSV export). */
export async function taskConditions(ctx: Ctx, filters: TaskFilters): Promise<{ conditions: SQL[]; values: Record<string, unknown> }> {
  const { values, shape } = await bindFilters(ctx, filters);
  return { conditions: buildConditions(ctx, values, shape), values };
}

/** `-priority` puts urgent first: priorities order by urgency, not by name. */
const ORDER_COLUMNS = {
  number: tasks.number,
  priority: tasks.priorityRank,
  dueDate: tasks.dueDate,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
  position: tasks.position,
} as const;

export function taskOrdering(value: string | undefined): SQL[] {
  const ordering = parseOrdering(value) ?? { field: "createdAt", descending: true };
  const column = ORDER_COLUMNS[ordering.field as keyof typeof ORDER_COLUMNS];
  return [ordering.descending ? sql`${column} desc nulls last` : sql`${column} asc nulls last`, asc(tasks.id)];
}

export async function listTasks(ctx: Ctx, query: TaskQuery): Promise<Page<TaskView>> {
  const { values, shape } = await bindFilters(ctx, query);
  // The page is cut first (ids and the total), then only its rows are joined to their project and named:
  // the filter's other matches cost an index entry and a heap check, not a join and a dozen subqueries.
  const build = (tx: Tx) => {
    const page = tx
      .select({ id: tasks.id, total: sql<number>`(count(*) over ())::int`.as("total") })
      .from(tasks)
      .where(and(...buildConditions(ctx, values, shape)))
      .orderBy(...taskOrdering(query.ordering))
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"))
      .as("page");
    return selectTasks(tx, sql.placeholder("viewer"), sql`${page.total}`)
      .innerJoin(page, eq(page.id, tasks.id))
      .orderBy(...taskOrdering(query.ordering));
  };
  const params = { ...values, limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  const key = `tasks_list|${shape}|${query.ordering ?? "-createdAt"}`;
  const rows: TaskRow[] = await executePrepared(ctx.tx, ctx.services.database, key, build, params);
  let total = rows[0]?.total ?? 0;
  if (!rows.length && query.page > 1) {
    const [counted] = await ctx.tx
      .select({ value: count() })
      .from(tasks)
      .where(and(...buildConditions(ctx, values, shape)))
      .execute(values);
    total = counted?.value ?? 0;
  }
  return { items: rows.map((row) => presentTask(ctx.actor, row)), page: query.page, pageSize: query.pageSize, total };
}
