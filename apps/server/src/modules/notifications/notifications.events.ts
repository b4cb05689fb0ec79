import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { onEvent, type DomainEvent } from "../../platform/events/events.js";
import { developerVerified } from "../onboarding/index.js";
import { projectManagerAssigned } from "../projects/index.js";
import { memberRoleChanged } from "../orgs/index.js";
import { roles } from "../access/index.js";
import { organizations } from "../access/index.js";
import { users } from "../accounts/index.js";
import { taskAssigned, taskCreated, taskStatusChanged } from "../tasks/index.js";
import { ticketAssigned, ticketAtRisk, ticketCommented, ticketCreated, ticketEscalated, ticketStatusChanged } from "../tickets/index.js";
import { createNotifications, type NotificationInput } from "./notifications.service.js";

/**
 * Domain events that notify people. Each handler is idempotent: the
 * notification carries a digest of its event.
 */

/** The same event delivered twice yields the same key. */
export function eventKey(event: DomainEvent<unknown>): string {
  const identity = JSON.stringify([event.name, event.occurredAt, event.actorId, event.orgId, event.data]);
  return `${event.name}:${createHash("sha256").update(identity).digest("base64url").slice(0, 32)}`;
}

async function orgName(tx: Tx, orgId: string | null): Promise<string | null> {
  if (!orgId) return null;
  const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
  return org?.name ?? null;
}

async function roleNames(tx: Tx, orgId: string | null, keys: string[]): Promise<string[]> {
  if (!orgId || !keys.length) return keys;
  const rows = await tx.select({ key: roles.key, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), inArray(roles.key, keys)));
  return keys.map((key) => rows.find((row) => row.key === key)?.name ?? key);
}

async function actorName(tx: Tx, actorId: string | null): Promise<string> {
  if (!actorId) return "Cairn";
  const [user] = await tx.select({ username: users.username }).from(users).where(eq(users.id, actorId));
  return user?.username ?? "Someone";
}

const STATUS_WORDS: Record<string, string> = { todo: "To do", in_progress: "In progress", done: "Done" };

type HandlerCtx = Parameters<Parameters<typeof onEvent>[2]>[1];
type Text = (who: string, userId: string) => { title: string; body: string };

/** One notification per recipient of an event, in the actor's words, with `data` linking to its object. */
async function notifyRecipients(ctx: HandlerCtx, event: DomainEvent<unknown>, kind: string, text: Text, data: Record<string, unknown>): Promise<void> {
  const who = await actorName(ctx.tx, event.actorId);
  const inputs: NotificationInput[] = event.recipients.map((userId) => ({
    userId,
    orgId: event.orgId,
    kind,
    ...text(who, userId),
    data: { orgId: event.orgId, ...data },
    sourceKey: eventKey(event),
  }));
  await createNotifications(ctx, inputs);
}

/** One notification per recipient of a task event, linking to the task. */
function notifyAboutTask(ctx: HandlerCtx, event: DomainEvent<{ taskId: string; key: string; projectId: string | null }>, kind: string, text: Text): Promise<void> {
  return notifyRecipients(ctx, event, kind, text, { taskId: event.data.taskId, projectId: event.data.projectId, key: event.data.key });
}

const TICKET_STATUS_WORDS: Record<string, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
};

/** One notification per recipient of a ticket event, linking to the ticket. */
function notifyAboutTicket(ctx: HandlerCtx, event: DomainEvent<{ ticketId: string; key: string; projectId: string }>, kind: string, text: Text): Promise<void> {
  return notifyRecipients(ctx, event, kind, text, { ticketId: event.data.ticketId, projectId: event.data.projectId, key: event.data.key });
}

/** Handlers of the events that notify; the notifications module's manifest lists them. */
export const notificationHandlers = [
  onEvent(developerVerified, "notifications", async (event, ctx) => {
    const where = await orgName(ctx.tx, event.orgId);
    const inputs: NotificationInput[] = event.recipients.map((userId) => ({
      userId,
      orgId: event.orgId,
      kind: "developer.verified",
      title: "You are verified: you can now create projects",
      body:
        event.data.by === "admin"
          ? `An administrator made you a verified developer${where ? ` in ${where}` : ""}.`
          : `Your profile is complete and your phone number is confirmed, so you are now a verified developer${where ? ` in ${where}` : ""}.`,
      data: { orgId: event.orgId },
      sourceKey: eventKey(event),
    }));
    await createNotifications(ctx, inputs);
  }),
  onEvent(projectManagerAssigned, "notifications", async (event, ctx) => {
    const inputs: NotificationInput[] = event.recipients.map((userId) => ({
      userId,
      orgId: event.orgId,
      kind: "project.manager_assigned",
      title: `You manage ${event.data.name} now`,
      body: `You are the manager of ${event.data.key} ${event.data.name}: you can plan it, change it and manage its people.`,
      data: { orgId: event.orgId, projectId: event.data.projectId },
      sourceKey: eventKey(event),
    }));
    await createNotifications(ctx, inputs);
  }),
  onEvent(memberRoleChanged, "notifications", async (event, ctx) => {
    const where = await orgName(ctx.tx, event.orgId);
    const after = await roleNames(ctx.tx, event.orgId, event.data.after);
    const inputs: NotificationInput[] = event.recipients.map((userId) => ({
      userId,
      orgId: event.orgId,
      kind: "member.role_changed",
      title: "Your roles have changed",
      body: `${where ? `In ${where}, y` : "Y"}our roles are now: ${after.length ? after.join(", ") : "none"}.`,
      data: { orgId: event.orgId, before: event.data.before, after: event.data.after },
      sourceKey: eventKey(event),
    }));
    await createNotifications(ctx, inputs);
  }),
  onEvent(taskCreated, "notifications", (event, ctx) =>
    notifyAboutTask(ctx, event, "task.created", (who) => ({ title: `New task ${event.data.key}: ${event.data.title}`, body: `${who} created ${event.data.key} ${event.data.title}.` })),
  ),
  onEvent(taskAssigned, "notifications", (event, ctx) =>
    notifyAboutTask(ctx, event, "task.assigned", (who, userId) => {
      const { key, title, assigneeId, previousAssigneeId } = event.data;
      if (userId === assigneeId) return { title: `Assigned to you: ${key} ${title}`, body: `${who} assigned ${key} ${title} to you.` };
      if (userId === previousAssigneeId) return { title: `${key} is no longer yours: ${title}`, body: `${who} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.` };
      return { title: `${key} ${assigneeId ? "was reassigned" : "is unassigned"}: ${title}`, body: `${who} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.` };
    }),
  ),
  onEvent(taskStatusChanged, "notifications", (event, ctx) =>
    notifyAboutTask(ctx, event, "task.status_changed", (who) => ({
      title: `${event.data.key} is ${STATUS_WORDS[event.data.after] ?? event.data.after}: ${event.data.title}`,
      body: `${who} moved ${event.data.key} from ${STATUS_WORDS[event.data.before] ?? event.data.before} to ${STATUS_WORDS[event.data.after] ?? event.data.after}.`,
    })),
  ),
  onEvent(ticketCreated, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.created", (who) => ({
      title: `New ${event.data.severity} ticket ${event.data.key}: ${event.data.title}`,
      body: `${who} opened ${event.data.key} ${event.data.title}.`,
    })),
  ),
  onEvent(ticketCommented, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.commented", (who) => ({
      title: `${event.data.internal ? "Internal note" : "New reply"} on ${event.data.key}: ${event.data.title}`,
      body: `${who} ${event.data.internal ? "wrote an internal note on" : "answered on"} ${event.data.key}.`,
    })),
  ),
  onEvent(ticketStatusChanged, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.status_changed", (who) => ({
      title: `${event.data.key} is ${TICKET_STATUS_WORDS[event.data.after] ?? event.data.after}: ${event.data.title}`,
      body: `${who} moved ${event.data.key} from ${TICKET_STATUS_WORDS[event.data.before] ?? event.data.before} to ${TICKET_STATUS_WORDS[event.data.after] ?? event.data.after}.`,
    })),
  ),
  onEvent(ticketAssigned, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.assigned", (who, userId) => {
      const { key, title, assigneeId } = event.data;
      if (userId === assigneeId) return { title: `Ticket assigned to you: ${key} ${title}`, body: `${who} assigned ${key} ${title} to you.` };
      return { title: `${key} is no longer yours: ${title}`, body: `${who} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.` };
    }),
  ),
  onEvent(ticketAtRisk, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.at_risk", () => ({
      title: `${event.data.key} is at risk of breaching its SLA: ${event.data.title}`,
      body: `Less than a fifth of the time for ${event.data.key} is left.`,
    })),
  ),
  onEvent(ticketEscalated, "notifications", (event, ctx) =>
    notifyAboutTicket(ctx, event, "ticket.escalated", (who) => ({
      title: `Escalated: ${event.data.key} ${event.data.title}`,
      body:
        event.data.reason === "breached"
          ? `The ${event.data.severity} ticket ${event.data.key} breached its SLA.`
          : `${who} escalated the ${event.data.severity} ticket ${event.data.key}.`,
    })),
  ),
];
