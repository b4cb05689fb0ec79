import type { PaymentStatus, ProjectStatus } from "@cairn/shared";
import { and, asc, count, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { executePrepared } from "../../db/prepared.js";
import type { UserActor } from "../../platform/access/actor.js";
import { requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { PermissionDeniedError } from "../../platform/errors.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { likePattern, resolveOrgFilter } from "./org-scope.js";
import {
  paymentStatusSql,
  presentProject,
  selectProjects,
  visibilityValues,
  visibleProjects,
  type ProjectRow,
  type ProjectView,
} from "./projects.queries.js";
import { projectMembers, projects } from "./projects.table.js";

/**
 * GET /api/projects: the hottest read. One query per page (the total rides
 * along as a window count), built from placeholders so that each shape of
 * request (which filters, which ordering, which kind of visibility) becomes
 * one named prepared statement: Drizzle builds its SQL once, the driver sends
 * it once per connection, and PostgreSQL may keep its plan. Values never
 * change the SQL text.
 */

export type ProjectFilters = {
  search?: string;
  developer?: string;
  status?: ProjectStatus;
  client?: string;
  team?: string;
  org?: string;
  archived?: boolean;
  /** Only for holders of projects.view_financials: a 403 for anyone else. */
  paymentStatus?: PaymentStatus;
};

export type ProjectQuery = PageQuery & ProjectFilters & { ordering?: string };

/** Conditions with placeholders, the values they take, and the shape that decides the SQL. */
export type BoundConditions = { conditions: SQL[]; values: Record<string, unknown>; shape: string };

type Bound = { values: Record<string, unknown>; shape: string };

/**
 * Where the `paymentStatus` filter may look: organizations where the caller
 * sees all of the money (`payAll`; `payEvery` for the superuser) and those
 * where they see their own client's projects (`payOwn`), within `?org=` when
 * given. Nowhere is a 403 naming projects.view_financials: the filter would
 * otherwise reveal what the projects' fields hide.
 */
function paymentStatusScope(actor: UserActor, orgId: string | undefined): Record<string, unknown> {
  if (actor.isSuperuser) return { payEvery: true };
  const orgs = actor.orgs.filter((org) => orgId === undefined || org.orgId === orgId);
  const all = orgs.filter((org) => org.grants["projects.view_financials"] === "all").map((org) => org.orgId);
  const own = orgs.filter((org) => org.grants["projects.view_financials"] === "own").map((org) => org.orgId);
  if (!all.length && !own.length) throw new PermissionDeniedError("projects.view_financials", "Filtering by payment status needs projects.view_financials.");
  return { ...(all.length ? { payAll: all } : {}), ...(own.length ? { payOwn: own } : {}) };
}

/** The values of a request and its shape, without building any SQL (a cached statement needs only these). */
async function bindFilters(ctx: Ctx, filters: ProjectFilters): Promise<Bound> {
  const actor = requireUser(ctx.actor);
  const visibility = visibilityValues(actor);
  const values: Record<string, unknown> = { ...visibility.values, viewer: actor.userId };
  if (filters.org) values.org = await resolveOrgFilter(ctx, filters.org);
  if (filters.search) values.search = likePattern(filters.search);
  if (filters.status) values.status = filters.status;
  if (filters.client) values.client = filters.client;
  if (filters.team) values.team = filters.team;
  if (filters.archived !== undefined) values.archived = filters.archived;
  if (filters.developer) values.developer = filters.developer;
  if (filters.paymentStatus) Object.assign(values, { paymentStatus: filters.paymentStatus }, paymentStatusScope(actor, values.org as string | undefined));
  return { values, shape: [visibility.shape, ...Object.keys(values)].join(",") };
}

/** The SQL for a shape: every value is a placeholder. */
function buildConditions(ctx: Ctx, values: Record<string, unknown>): SQL[] {
  const bind = (name: string) => sql.placeholder(name);
  const conditions: SQL[] = [visibleProjects(requireUser(ctx.actor), bind)];
  if ("org" in values) conditions.push(sql`${projects.orgId} = ${bind("org")}`);
  if ("search" in values) conditions.push(sql`${projects.name} ilike ${bind("search")}`);
  if ("status" in values) conditions.push(sql`${projects.status} = ${bind("status")}`);
  if ("client" in values) conditions.push(sql`${projects.clientId} = ${bind("client")}`);
  if ("team" in values) conditions.push(sql`${projects.teamId} = ${bind("team")}`);
  if ("archived" in values) conditions.push(sql`${projects.archived} = ${bind("archived")}`);
  if ("developer" in values) {
    conditions.push(
      sql`${projects.id} in (select ${projectMembers.projectId} from ${projectMembers} where ${projectMembers.userId} = ${bind("developer")})`,
    );
  }
  if ("paymentStatus" in values) {
    // Each project is matched on the status its caller is shown: the full one, or the customer's from approved money.
    const wanted = bind("paymentStatus");
    const full = sql`${paymentStatusSql(true)} = ${wanted}`;
    const balance = sql`${paymentStatusSql(false)} = ${wanted}`;
    const ownClient = sql`${projects.clientId} in (select c.id from clients c where c.customer_user_id = ${bind("viewer")})`;
    const parts = [
      "payEvery" in values ? full : undefined,
      "payAll" in values ? and(sql`${projects.orgId} = any(${bind("payAll")}::uuid[])`, full) : undefined,
      "payOwn" in values ? and(sql`${projects.orgId} = any(${bind("payOwn")}::uuid[])`, ownClient, balance) : undefined,
    ];
    conditions.push(or(...parts) ?? sql`false`);
  }
  return conditions;
}

/** What the caller sees, narrowed by the filters (shared with the CSV export). */
export async function projectConditions(ctx: Ctx, filters: ProjectFilters): Promise<BoundConditions> {
  const { values, shape } = await bindFilters(ctx, filters);
  return { conditions: buildConditions(ctx, values), values, shape };
}

/** Names sort as people read them, whatever the database's collation. */
const ORDER_COLUMNS = {
  name: sql`lower(${projects.name})`,
  createdAt: projects.createdAt,
  dueDate: projects.dueDate,
} as const;

export async function listProjects(ctx: Ctx, query: ProjectQuery): Promise<Page<ProjectView>> {
  const { values, shape } = await bindFilters(ctx, query);
  const ordering = parseOrdering(query.ordering) ?? { field: "createdAt", descending: true };
  const build = (tx: Tx) => {
    const column = ORDER_COLUMNS[ordering.field as keyof typeof ORDER_COLUMNS];
    return selectProjects(tx, sql.placeholder("viewer"))
      .where(and(...buildConditions(ctx, values)))
      .orderBy(
        ordering.descending ? sql`${column} desc nulls last` : sql`${column} asc nulls last`,
        asc(projects.id),
      )
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"));
  };
  const params = { ...values, limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  // Reads run on the pool (autocommit): a statement prepared there serves every later request.
  const key = `projects_list|${shape}|${ordering.field}|${ordering.descending ? "desc" : "asc"}`;
  const rows: ProjectRow[] = await executePrepared(ctx.tx, ctx.services.database, key, build, params);
  let total = rows[0]?.total ?? 0;
  if (!rows.length && query.page > 1) {
    const [counted] = await ctx.tx
      .select({ value: count() })
      .from(projects)
      .where(and(...buildConditions(ctx, values)))
      .execute(values);
    total = counted?.value ?? 0;
  }
  return {
    items: rows.map((row) => presentProject(ctx.actor, row)),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}
