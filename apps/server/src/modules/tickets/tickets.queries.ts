import { taskKey, ticketKey, type TaskStatus } from "@cairn/shared";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { NotFoundError } from "../../platform/errors.js";
import { allowedActions, requireUser } from "../../platform/access/engine.js";
import type { Actor, UserActor } from "../../platform/access/actor.js";
import { asParam, listScope, type Bind } from "../../platform/access/scope.js";
import type { Ctx } from "../../platform/context.js";
import type { Tx } from "../../db/client.js";
import { projectSubject, projects } from "../projects/index.js";
import { slaState } from "./sla.js";
import { ticketPolicy, type TicketSubject } from "./tickets.policy.js";
import { tickets } from "./tickets.table.js";

/**
 * How tickets are read: one visibility predicate (the policy's `view` as SQL)
 * for lists, details and pushes, and one select that brings a page of tickets
 * with what a row shows (project, people, linked task, comment count) in a
 * single query; names come from scalar subqueries evaluated for the page only.
 */

/** Tickets the actor sees, exactly those `authorize(actor, ticketPolicy, "view", …)` allows. */
export function visibleTickets(actor: UserActor, bind: Bind = asParam): SQL {
  return listScope(actor, ticketPolicy, "view", tickets, { bind, name: "visible" });
}

/** A ticket with what a row shows; `viewer` is the caller's id. */
export function selectTickets(tx: Tx, viewer: unknown) {
  return tx
    .select({
      ticket: tickets,
      /** The project as its rules see it (the ticket rules read its owner, manager and client's customer). */
      project: { orgId: projects.orgId, ownerId: projects.ownerId, managerId: projects.managerId, visibility: projects.visibility },
      projectKey: projects.key,
      projectName: projects.name,
      customerUserId: sql<string | null>`(select c.customer_user_id from clients c where c.id = "projects"."client_id")`,
      teamManagerId: sql<string | null>`(select tm.manager_id from teams tm where tm.id = "projects"."team_id")`,
      viewerIsMember: sql<boolean>`exists (select 1 from project_members pm where pm.project_id = "tickets"."project_id" and pm.user_id = ${viewer})`,
      viewerInTeam: sql<boolean>`exists (select 1 from team_members tmm where tmm.team_id = "projects"."team_id" and tmm.user_id = ${viewer})`,
      assigneeUsername: sql<string | null>`(select u.username from users u where u.id = "tickets"."assignee_id")`,
      reporterUsername: sql<string | null>`(select u.username from users u where u.id = "tickets"."reporter_id")`,
      linkedTask: sql<{ number: number; status: TaskStatus } | null>`(select json_build_object('number', tk.number, 'status', tk.status) from tasks tk where tk.id = "tickets"."linked_task_id")`,
      /** How many rows match before the page is cut: a list's total without a second query. */
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(tickets)
    .innerJoin(projects, eq(projects.id, tickets.projectId));
}

export type TicketRow = Awaited<ReturnType<ReturnType<typeof selectTickets>["where"]>>[number];

/** A ticket as the rules see it, for the caller it was read for. */
export function ticketSubject(row: TicketRow): TicketSubject {
  const { ticket } = row;
  return {
    orgId: ticket.orgId,
    projectId: ticket.projectId,
    reporterId: ticket.reporterId,
    assigneeId: ticket.assigneeId,
    project: projectSubject(row),
  };
}

/** The API's ticket (API.md "Shapes"), with its SLA state now and what the caller may do with it. */
export function presentTicket(actor: Actor, row: TicketRow, now = new Date()) {
  const { ticket } = row;
  return {
    id: ticket.id,
    orgId: ticket.orgId,
    projectId: ticket.projectId,
    key: ticketKey(row.projectKey, ticket.number),
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    severity: ticket.severity,
    status: ticket.status,
    reporterId: ticket.reporterId,
    assigneeId: ticket.assigneeId,
    linkedTaskId: ticket.linkedTaskId,
    firstResponseDueAt: ticket.firstResponseDueAt,
    resolutionDueAt: ticket.resolutionDueAt,
    firstRespondedAt: ticket.firstRespondedAt,
    resolvedAt: ticket.resolvedAt,
    slaState: slaState(ticket, now),
    escalatedAt: ticket.escalatedAt,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    project: { id: ticket.projectId, key: row.projectKey, name: row.projectName },
    reporter: ticket.reporterId && row.reporterUsername !== null ? { id: ticket.reporterId, username: row.reporterUsername } : null,
    assignee: ticket.assigneeId && row.assigneeUsername !== null ? { id: ticket.assigneeId, username: row.assigneeUsername } : null,
    linkedTask:
      ticket.linkedTaskId && row.linkedTask
        ? { id: ticket.linkedTaskId, key: taskKey(row.projectKey, row.linkedTask.number), status: row.linkedTask.status }
        : null,
    allowedActions: allowedActions(actor, ticketPolicy, ticketSubject(row)),
  };
}

export type TicketView = ReturnType<typeof presentTicket>;

/**
 * A ticket the actor sees; anything else (another organization's, another
 * client's) is a 404. A change locks the row first, so concurrent changes of
 * one ticket (and the SLA check) take turns.
 */
export async function findVisibleTicket(ctx: Ctx, ticketId: string, options: { forUpdate?: boolean } = {}): Promise<TicketRow> {
  const actor = requireUser(ctx.actor);
  const visible = and(eq(tickets.id, ticketId), visibleTickets(actor));
  if (options.forUpdate) await ctx.tx.select({ id: tickets.id }).from(tickets).where(visible).for("update");
  const [row] = await selectTickets(ctx.tx, actor.userId).where(visible);
  if (!row) throw new NotFoundError("ticket");
  return row;
}
