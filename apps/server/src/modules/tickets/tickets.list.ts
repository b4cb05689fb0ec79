import type { TicketSeverity, TicketStatus } from "@cairn/shared";
import { and, asc, count, sql, type SQL } from "drizzle-orm";
import { requireUser } from "../../platform/access/engine.js";
import { requireListScope } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { likePattern, resolveOrgFilter } from "../projects/index.js";
import { ticketPolicy } from "./tickets.policy.js";
import { presentTicket, selectTickets, visibleTickets, type TicketView } from "./tickets.queries.js";
import { tickets } from "./tickets.table.js";

/**
 * GET /api/tickets: one query per page (the total rides along as a window
 * count). Visibility is the policy's `view` rule as SQL; the SLA filters are
 * comparisons of the stored deadlines with now, the same the SLA state of a
 * ticket is computed from (sla.ts).
 */

export type TicketFilters = {
  project?: string;
  status?: TicketStatus[];
  severity?: TicketSeverity[];
  /** A user id, `me` or `none`. */
  assignee?: string;
  reporter?: string;
  sla?: "on_track" | "at_risk" | "breached";
  /** Tickets linked to this task. */
  task?: string;
  search?: string;
  org?: string;
};

export type TicketQuery = PageQuery & TicketFilters & { ordering?: string };

/** `SHOP-T12`: a search for one ticket by its key. */
const KEY = /^([A-Za-z][A-Za-z0-9]{1,9})-T(\d{1,9})$/i;

const running = sql`${tickets.status} in ('open', 'in_progress')`;

/** The SQL of `slaState` (sla.ts) for each state a list filters by, at `now`. */
export function slaCondition(state: NonNullable<TicketFilters["sla"]>, now: Date): SQL {
  const past = sql`((${tickets.firstRespondedAt} is null and ${tickets.firstResponseDueAt} <= ${now}) or ${tickets.resolutionDueAt} <= ${now})`;
  const risky = sql`((${tickets.firstRespondedAt} is null and ${tickets.firstResponseRiskAt} <= ${now}) or ${tickets.resolutionRiskAt} <= ${now})`;
  switch (state) {
    case "breached":
      return sql`(${tickets.breachedAt} is not null or (${running} and ${past}))`;
    case "at_risk":
      return sql`(${tickets.breachedAt} is null and ${running} and not ${past} and ${risky})`;
    case "on_track":
      return sql`(${tickets.breachedAt} is null and ${running} and not ${past} and not ${risky})`;
  }
}

export async function ticketConditions(ctx: Ctx, filters: TicketFilters, now = new Date()): Promise<SQL[]> {
  const actor = requireUser(ctx.actor);
  const orgId = filters.org ? await resolveOrgFilter(ctx, filters.org) : undefined;
  requireListScope(actor, ticketPolicy, "view", orgId);
  const conditions: SQL[] = [visibleTickets(actor)];
  if (orgId) conditions.push(sql`${tickets.orgId} = ${orgId}`);
  if (filters.project) conditions.push(sql`${tickets.projectId} = ${filters.project}`);
  if (filters.status?.length) conditions.push(sql`${tickets.status} = any(${sql.param([...new Set(filters.status)])}::text[])`);
  if (filters.severity?.length) conditions.push(sql`${tickets.severity} = any(${sql.param([...new Set(filters.severity)])}::text[])`);
  if (filters.assignee === "none") conditions.push(sql`${tickets.assigneeId} is null`);
  else if (filters.assignee) conditions.push(sql`${tickets.assigneeId} = ${filters.assignee === "me" ? actor.userId : filters.assignee}`);
  if (filters.reporter) conditions.push(sql`${tickets.reporterId} = ${filters.reporter === "me" ? actor.userId : filters.reporter}`);
  if (filters.sla) conditions.push(slaCondition(filters.sla, now));
  if (filters.task) conditions.push(sql`${tickets.linkedTaskId} = ${filters.task}`);
  if (filters.search?.trim()) {
    const search = filters.search.trim();
    const key = KEY.exec(search);
    const byTitle = sql`${tickets.title} ilike ${likePattern(search)}`;
    conditions.push(
      key
        ? sql`(${byTitle} or (${tickets.number} = ${Number(key[2])} and ${tickets.projectId} in (select p.id from projects p where p.key = ${(key[1] as string).toUpperCase()})))`
        : byTitle,
    );
  }
  return conditions;
}

/** `-severity` puts critical first; `resolutionDueAt` puts what is due soonest first. */
const ORDER_COLUMNS = {
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  severity: tickets.severityRank,
  resolutionDueAt: tickets.resolutionDueAt,
  number: tickets.number,
} as const;

function ordering(value: string | undefined): SQL[] {
  const parsed = parseOrdering(value) ?? { field: "createdAt", descending: true };
  const column = ORDER_COLUMNS[parsed.field as keyof typeof ORDER_COLUMNS] ?? tickets.createdAt;
  return [parsed.descending ? sql`${column} desc` : sql`${column} asc`, asc(tickets.id)];
}

export async function listTickets(ctx: Ctx, query: TicketQuery): Promise<Page<TicketView>> {
  const actor = requireUser(ctx.actor);
  const now = new Date();
  const conditions = await ticketConditions(ctx, query, now);
  const rows = await selectTickets(ctx.tx, actor.userId)
    .where(and(...conditions))
    .orderBy(...ordering(query.ordering))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  // A page past the end has no row to carry the window count: count apart then.
  const total = rows[0]?.total ?? (query.page > 1 ? await countTickets(ctx, conditions) : 0);
  return { items: rows.map((row) => presentTicket(ctx.actor, row, now)), page: query.page, pageSize: query.pageSize, total };
}

async function countTickets(ctx: Ctx, conditions: SQL[]): Promise<number> {
  const [counted] = await ctx.tx.select({ value: count() }).from(tickets).where(and(...conditions));
  return counted?.value ?? 0;
}
