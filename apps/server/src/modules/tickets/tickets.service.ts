import {
  TICKET_STATUS_LABELS,
  TICKET_STATUS_TRANSITIONS,
  ticketKey,
  type CreateTicketInput,
  type TicketCommentInput,
  type TicketSeverity,
  type TicketStatus,
  type UpdateTicketInput,
} from "@cairn/shared";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize, can, grantIn, requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { membershipRoles, memberships, rolePermissions } from "../access/index.js";
import { users } from "../accounts/index.js";
import { assertOrgMember, findVisibleProject, projectSubject } from "../projects/index.js";
import { createTask, type TaskView } from "../tasks/index.js";
import { addBusinessMinutes, businessMinutesBetween, clockRuns, isPastDeadline, resumeMoment, ticketClocks, type Calendar } from "./sla.js";
import { loadSla } from "./sla.service.js";
import { ticketCommented, ticketCreated, ticketEscalated, ticketStatusChanged, ticketAssigned } from "./tickets.events.js";
import { ticketCreationPolicy, ticketPolicy, type TicketSubject } from "./tickets.policy.js";
import { findVisibleTicket, presentTicket, ticketSubject, type TicketRow, type TicketView } from "./tickets.queries.js";
import { pushTicketUpdated } from "./tickets.realtime.js";
import { ticketComments, ticketSequences, tickets } from "./tickets.table.js";

/**
 * The use cases of support tickets: open, change (status flow, assignment,
 * severity), converse, escalate and turn into a task. Each authorizes first,
 * writes in the request's transaction with its audit entry and events, and
 * pushes the ticket to who may see it after commit.
 */

type Ticket = typeof tickets.$inferSelect;

/** Takes the next ticket number of a project: one upsert whose row lock makes concurrent creations take turns. */
async function takeNumber(tx: Tx, orgId: string, projectId: string): Promise<number> {
  const [row] = await tx
    .insert(ticketSequences)
    .values({ orgId, projectId, last: 1 })
    .onConflictDoUpdate({ target: [ticketSequences.orgId, ticketSequences.projectId], set: { last: sql`${ticketSequences.last} + 1` } })
    .returning({ last: ticketSequences.last });
  if (!row) throw new Error("ticket sequence upsert returned nothing");
  return row.last;
}

function about(row: TicketRow) {
  const { ticket } = row;
  return { ticketId: ticket.id, key: ticketKey(row.projectKey, ticket.number), title: ticket.title, projectId: ticket.projectId, severity: ticket.severity };
}

const people = (...ids: Array<string | null | undefined>) => [...new Set(ids.filter((id): id is string => typeof id === "string"))];

export async function getTicket(ctx: Ctx, ticketId: string): Promise<TicketView> {
  return presentTicket(ctx.actor, await findVisibleTicket(ctx, ticketId));
}

/** Re-reads a ticket after a change, pushes it to who may see it, and returns it as the caller sees it. */
async function afterChange(ctx: Ctx, ticketId: string): Promise<TicketView> {
  const row = await findVisibleTicket(ctx, ticketId);
  pushTicketUpdated(ctx, row);
  return presentTicket(ctx.actor, row);
}

/**
 * Opens a ticket on a project the caller sees. A customer (tickets.add of
 * scope own) may only use the projects of their own client: any other project
 * is a 404 to them, as if it did not exist; without tickets.add it is a 403.
 * The SLA clocks start now, in the organization's calendar.
 */
export async function createTicket(ctx: Ctx, input: CreateTicketInput): Promise<TicketView> {
  const actor = requireUser(ctx.actor);
  const projectRow = await findVisibleProject(ctx, input.projectId);
  const { project } = projectRow;
  const subject: TicketSubject = { orgId: project.orgId, projectId: project.id, reporterId: actor.userId, assigneeId: null, project: projectSubject(projectRow) };
  if (!can(actor, ticketCreationPolicy, "create", subject) && grantIn(actor, project.orgId, "tickets.add") === "own") throw new NotFoundError("project");
  authorize(actor, ticketCreationPolicy, "create", subject);
  const severity: TicketSeverity = input.severity ?? "medium";
  const { calendar, targets } = await loadSla(ctx.tx, project.orgId);
  const now = new Date();
  const clocks = ticketClocks(now, targets[severity], calendar);
  const number = await takeNumber(ctx.tx, project.orgId, project.id);
  const [created] = await ctx.tx
    .insert(tickets)
    .values({
      orgId: project.orgId,
      projectId: project.id,
      number,
      title: input.title,
      description: input.description ?? "",
      severity,
      reporterId: actor.userId,
      firstResponseDueAt: clocks.firstResponse.dueAt,
      firstResponseRiskAt: clocks.firstResponse.riskAt,
      resolutionDueAt: clocks.resolution.dueAt,
      resolutionRiskAt: clocks.resolution.riskAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: tickets.id });
  if (!created) throw new Error("ticket insert returned nothing");
  await recordAudit(ctx, {
    orgId: project.orgId,
    action: "ticket.created",
    entityType: "ticket",
    entityId: created.id,
    changes: { projectId: [null, project.id], number: [null, number], title: [null, input.title], severity: [null, severity], status: [null, "open"] },
  });
  const row = await findVisibleTicket(ctx, created.id);
  await emitEvent(ctx, ticketCreated, { orgId: project.orgId, recipients: people(project.managerId, project.ownerId), data: about(row) });
  pushTicketUpdated(ctx, row);
  return presentTicket(ctx.actor, row);
}

/** The fields a status change sets: timestamps of the flow, and the clock stopped or resumed. */
export function statusChange(ticket: Ticket, next: TicketStatus, now: Date, calendar: Calendar): Partial<Ticket> {
  const set: Partial<Ticket> = {};
  const ran = clockRuns(ticket.status);
  const runs = clockRuns(next);
  if (ran && !runs) {
    set.pausedAt = now;
    if (!ticket.breachedAt && isPastDeadline(ticket, now)) set.breachedAt = now;
  } else if (!ran && runs && ticket.pausedAt) {
    const shift = (moment: Date) => resumeMoment(moment, ticket.pausedAt as Date, now, calendar);
    set.pausedAt = null;
    set.firstResponseDueAt = shift(ticket.firstResponseDueAt);
    set.firstResponseRiskAt = shift(ticket.firstResponseRiskAt);
    set.resolutionDueAt = shift(ticket.resolutionDueAt);
    set.resolutionRiskAt = shift(ticket.resolutionRiskAt);
  }
  if (next === "resolved") set.resolvedAt = now;
  if (next === "closed") {
    set.closedAt = now;
    set.resolvedAt = ticket.resolvedAt ?? now;
  }
  if (ticket.status === "resolved" && runs) set.resolvedAt = null;
  return set;
}

/**
 * A new severity moves the deadlines by the difference of the targets: the
 * business time already spent stays spent (counted at the pause when the clock
 * stands still), and a target already used up is due at once.
 */
export function retarget(ticket: Ticket, from: TicketSeverity, to: TicketSeverity, targets: Record<TicketSeverity, { firstResponseMinutes: number; resolutionMinutes: number }>, now: Date, calendar: Calendar): Partial<Ticket> {
  const reference = ticket.pausedAt ?? now;
  const move = (moment: Date, minutes: number) => {
    const left = businessMinutesBetween(reference, moment, calendar) + minutes;
    return left <= 0 ? reference : addBusinessMinutes(reference, left, calendar);
  };
  const firstDelta = targets[to].firstResponseMinutes - targets[from].firstResponseMinutes;
  const resolutionDelta = targets[to].resolutionMinutes - targets[from].resolutionMinutes;
  return {
    firstResponseDueAt: move(ticket.firstResponseDueAt, firstDelta),
    firstResponseRiskAt: move(ticket.firstResponseRiskAt, firstDelta * 0.8),
    resolutionDueAt: move(ticket.resolutionDueAt, resolutionDelta),
    resolutionRiskAt: move(ticket.resolutionRiskAt, resolutionDelta * 0.8),
  };
}

/** An impossible transition: a 409 that names where the ticket may go. */
function assertTransition(from: TicketStatus, to: TicketStatus): void {
  const allowed = TICKET_STATUS_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  const words = allowed.map((status) => `${status} (${TICKET_STATUS_LABELS[status]})`);
  throw new ConflictError(
    allowed.length
      ? `A ticket cannot go from ${from} to ${to}; from ${from} it may go to: ${words.join(", ")}.`
      : `A ticket cannot go from ${from} to ${to}: ${from} is final.`,
    "invalid_transition",
    [{ path: "status", message: allowed.length ? `Allowed: ${allowed.join(", ")}.` : "Nothing: the ticket is closed." }],
  );
}

/** A handler of tickets must hold tickets.manage in the organization (and be an active member of it). */
async function assertHandler(tx: Tx, orgId: string, userId: string): Promise<void> {
  const username = await assertOrgMember(tx, orgId, userId, "assigneeId");
  const [handles] = await tx
    .select({ permission: rolePermissions.permission })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.userId, userId), eq(rolePermissions.permission, "tickets.manage")))
    .limit(1);
  if (!handles) {
    throw new ConflictError(`${username} cannot handle tickets: none of their roles grants tickets.manage.`, "cannot_handle", [
      { path: "assigneeId", message: "Their roles do not let them handle tickets." },
    ]);
  }
}

/**
 * PATCH: handlers (tickets.manage) change anything; the reporter may only
 * close their ticket or reopen it once resolved (a 403 naming tickets.manage
 * for anything else, and nothing changes).
 */
export async function updateTicket(ctx: Ctx, ticketId: string, patch: UpdateTicketInput): Promise<TicketView> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTicket(ctx, ticketId, { forUpdate: true });
  const { ticket: before } = row;
  const changes = diff(before, patch);
  const fields = Object.keys(changes);
  // The reporter's two moves; a closed ticket asked to reopen hears that closed is final (409), not a 403.
  const closesOrReopens =
    fields.length === 1 && (patch.status === "closed" || (patch.status === "open" && (before.status === "resolved" || before.status === "closed")));
  authorize(actor, ticketPolicy, closesOrReopens ? "closeOrReopen" : "manage", ticketSubject(row));
  if (!fields.length) return presentTicket(ctx.actor, row);
  if (patch.status && changes.status) assertTransition(before.status, patch.status);
  if (patch.assigneeId && changes.assigneeId) await assertHandler(ctx.tx, before.orgId, patch.assigneeId);
  const now = new Date();
  const { calendar, targets } = await loadSla(ctx.tx, before.orgId);
  const set: Partial<Ticket> = { ...(Object.fromEntries(fields.map((field) => [field, patch[field as keyof UpdateTicketInput]])) as Partial<Ticket>) };
  if (patch.severity && changes.severity) Object.assign(set, retarget(before, before.severity, patch.severity, targets, now, calendar));
  if (patch.status && changes.status) Object.assign(set, statusChange({ ...before, ...set }, patch.status, now, calendar));
  await ctx.tx
    .update(tickets)
    .set({ ...set, updatedAt: now })
    .where(and(eq(tickets.orgId, before.orgId), eq(tickets.id, ticketId)));
  await recordAudit(ctx, { orgId: before.orgId, action: "ticket.updated", entityType: "ticket", entityId: ticketId, changes });
  const subject = about(row);
  if (changes.status) {
    await emitEvent(ctx, ticketStatusChanged, {
      orgId: before.orgId,
      recipients: people(before.reporterId, patch.assigneeId === undefined ? before.assigneeId : patch.assigneeId, row.project.managerId),
      data: { ...subject, before: before.status, after: patch.status as TicketStatus },
    });
  }
  if (changes.assigneeId) {
    const [previous, next] = changes.assigneeId as [string | null, string | null];
    await emitEvent(ctx, ticketAssigned, { orgId: before.orgId, recipients: people(next, previous), data: { ...subject, assigneeId: next, previousAssigneeId: previous } });
  }
  return afterChange(ctx, ticketId);
}

export type TicketCommentView = {
  id: string;
  ticketId: string;
  authorId: string | null;
  author: { id: string; username: string } | null;
  body: string;
  internal: boolean;
  createdAt: Date;
};

/** The conversation, oldest first: internal notes only for those who handle the ticket. */
export async function listTicketComments(ctx: Ctx, ticketId: string): Promise<TicketCommentView[]> {
  const row = await findVisibleTicket(ctx, ticketId);
  const handles = can(ctx.actor, ticketPolicy, "addInternalNote", ticketSubject(row));
  const rows = await ctx.tx
    .select({ comment: ticketComments, username: users.username })
    .from(ticketComments)
    .leftJoin(users, eq(users.id, ticketComments.authorId))
    .where(and(eq(ticketComments.orgId, row.ticket.orgId), eq(ticketComments.ticketId, ticketId), handles ? undefined : eq(ticketComments.internal, false)))
    .orderBy(asc(ticketComments.createdAt), asc(ticketComments.id));
  return rows.map(({ comment, username }) => presentComment(comment, username));
}

function presentComment(comment: typeof ticketComments.$inferSelect, username: string | null): TicketCommentView {
  return {
    id: comment.id,
    ticketId: comment.ticketId,
    authorId: comment.authorId,
    author: comment.authorId && username !== null ? { id: comment.authorId, username } : null,
    body: comment.body,
    internal: comment.internal,
    createdAt: comment.createdAt,
  };
}

/**
 * A comment: an internal note (tickets.manage), or a public answer. The first
 * public answer of a handler who is not the reporter stops the first-response
 * clock; a reply of the customer side while the ticket waits on the customer
 * moves it back to `open` and restarts the clock.
 */
export async function addTicketComment(ctx: Ctx, ticketId: string, input: TicketCommentInput): Promise<TicketCommentView> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTicket(ctx, ticketId, { forUpdate: true });
  const { ticket } = row;
  const subject = ticketSubject(row);
  const internal = input.internal ?? false;
  authorize(actor, ticketPolicy, internal ? "addInternalNote" : "comment", subject);
  const handler = can(actor, ticketPolicy, "manage", subject) && ticket.reporterId !== actor.userId;
  const now = new Date();
  const [comment] = await ctx.tx
    .insert(ticketComments)
    .values({ orgId: ticket.orgId, ticketId, authorId: actor.userId, body: input.body, internal, createdAt: now })
    .returning();
  if (!comment) throw new Error("comment insert returned nothing");
  const set: Partial<Ticket> = {};
  const changes: Record<string, [unknown, unknown]> = {};
  if (!internal && handler && !ticket.firstRespondedAt) {
    set.firstRespondedAt = now;
    changes.firstRespondedAt = [null, now];
    if (!ticket.breachedAt && clockRuns(ticket.status) && now.getTime() >= ticket.firstResponseDueAt.getTime()) set.breachedAt = now;
  }
  const customerReply = !internal && !can(actor, ticketPolicy, "manage", subject) && ticket.status === "waiting_on_customer";
  if (customerReply) {
    const { calendar } = await loadSla(ctx.tx, ticket.orgId);
    Object.assign(set, { status: "open" }, statusChange(ticket, "open", now, calendar));
    changes.status = [ticket.status, "open"];
  }
  await ctx.tx
    .update(tickets)
    .set({ ...set, updatedAt: now })
    .where(and(eq(tickets.orgId, ticket.orgId), eq(tickets.id, ticketId)));
  await recordAudit(ctx, {
    orgId: ticket.orgId,
    action: internal ? "ticket.noted" : "ticket.commented",
    entityType: "ticket",
    entityId: ticketId,
    changes: { commentId: [null, comment.id], ...changes },
  });
  const data = about(row);
  // An internal note is for the handlers among the ticket's people; a public answer for everyone on it.
  const handlers = people(ticket.assigneeId, row.project.managerId);
  await emitEvent(ctx, ticketCommented, {
    orgId: ticket.orgId,
    recipients: internal ? handlers : people(ticket.reporterId, ...handlers),
    data: { ...data, commentId: comment.id, internal },
  });
  if (customerReply) {
    await emitEvent(ctx, ticketStatusChanged, { orgId: ticket.orgId, recipients: handlers, data: { ...data, before: "waiting_on_customer", after: "open" } });
  }
  pushTicketUpdated(ctx, await findVisibleTicket(ctx, ticketId));
  return presentComment(comment, actor.username);
}

/** Who hears of an escalation: the organization's administrators (tickets.configure), the project's manager and the assignee. */
export async function escalationAudience(tx: Tx, orgIds: string[]): Promise<Map<string, string[]>> {
  const audience = new Map<string, string[]>(orgIds.map((orgId) => [orgId, []]));
  if (!orgIds.length) return audience;
  const rows = await tx
    .selectDistinct({ orgId: membershipRoles.orgId, userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(memberships, and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)))
    .where(and(inArray(membershipRoles.orgId, orgIds), eq(memberships.isActive, true), eq(rolePermissions.permission, "tickets.configure")));
  for (const row of rows) audience.get(row.orgId)?.push(row.userId);
  return audience;
}

/** POST /escalate: escalated now, by hand (tickets.manage); a ticket is escalated once (409 after). */
export async function escalateTicket(ctx: Ctx, ticketId: string): Promise<TicketView> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTicket(ctx, ticketId, { forUpdate: true });
  const { ticket } = row;
  authorize(actor, ticketPolicy, "escalate", ticketSubject(row));
  if (ticket.escalatedAt) {
    throw new ConflictError(`${ticketKey(row.projectKey, ticket.number)} was already escalated at ${ticket.escalatedAt.toISOString()}.`, "already_escalated");
  }
  const now = new Date();
  await ctx.tx.update(tickets).set({ escalatedAt: now, updatedAt: now }).where(and(eq(tickets.orgId, ticket.orgId), eq(tickets.id, ticketId)));
  await recordAudit(ctx, { orgId: ticket.orgId, action: "ticket.escalated", entityType: "ticket", entityId: ticketId, changes: { escalatedAt: [null, now], reason: [null, "manual"] } });
  const admins = (await escalationAudience(ctx.tx, [ticket.orgId])).get(ticket.orgId) ?? [];
  await emitEvent(ctx, ticketEscalated, { orgId: ticket.orgId, recipients: people(...admins, row.project.managerId, ticket.assigneeId), data: { ...about(row), reason: "manual" } });
  return afterChange(ctx, ticketId);
}

const PRIORITY_OF: Record<TicketSeverity, "low" | "medium" | "high" | "urgent"> = { low: "low", medium: "medium", high: "high", critical: "urgent" };

/**
 * POST /task: a task in the ticket's project made from the ticket (tasks.manage
 * on the project, decided by the tasks module), linked both ways: the ticket
 * names the task, the task's description names the ticket. Once only (409).
 */
export async function linkTicketTask(ctx: Ctx, ticketId: string): Promise<TaskView> {
  const row = await findVisibleTicket(ctx, ticketId, { forUpdate: true });
  const { ticket } = row;
  const key = ticketKey(row.projectKey, ticket.number);
  if (ticket.linkedTaskId) throw new ConflictError(`${key} already has a linked task.`, "already_linked");
  const description = [`From support ticket ${key} (${ticket.severity}).`, ticket.description].filter(Boolean).join("\n\n").slice(0, 20_000);
  const task = await createTask(ctx, { projectId: ticket.projectId, title: ticket.title, description, priority: PRIORITY_OF[ticket.severity] });
  await ctx.tx.update(tickets).set({ linkedTaskId: task.id, updatedAt: new Date() }).where(and(eq(tickets.orgId, ticket.orgId), eq(tickets.id, ticketId)));
  await recordAudit(ctx, { orgId: ticket.orgId, action: "ticket.updated", entityType: "ticket", entityId: ticketId, changes: { linkedTaskId: [null, task.id] } });
  await afterChange(ctx, ticketId);
  return task;
}
