import { TICKET_SEVERITIES, TICKET_STATUSES } from "@cairn/shared";
import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const ticket = { ticketId: z.uuid(), key: z.string(), title: z.string(), projectId: z.uuid(), severity: z.enum(TICKET_SEVERITIES) };

/** Recipients: the project's manager and owner (and the assignee, when there is one). */
export const ticketCreated = defineEvent("ticket.created", z.object(ticket), "A customer or staff member opened a support ticket.");

/** Recipients: the ticket's people who may read the comment (internal notes: handlers only), never its author. */
export const ticketCommented = defineEvent(
  "ticket.commented",
  z.object({ ...ticket, commentId: z.uuid(), internal: z.boolean() }),
  "Someone answered on a ticket or wrote an internal note.",
);

/** Recipients: the reporter, the assignee and the project's manager. */
export const ticketStatusChanged = defineEvent(
  "ticket.status_changed",
  z.object({ ...ticket, before: z.enum(TICKET_STATUSES), after: z.enum(TICKET_STATUSES) }),
  "A ticket moved to another status.",
);

/** Recipients: the assignee (a new one, and the one before). */
export const ticketAssigned = defineEvent(
  "ticket.assigned",
  z.object({ ...ticket, assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable() }),
  "A ticket was assigned, reassigned or unassigned.",
);

/** Recipients: the assignee, once per ticket. */
export const ticketAtRisk = defineEvent(
  "ticket.at_risk",
  z.object({ ...ticket, dueAt: z.string() }),
  "Less than a fifth of a ticket's SLA target is left.",
);

/** Recipients: the organization's administrators (tickets.configure), the project's manager and the assignee. */
export const ticketEscalated = defineEvent(
  "ticket.escalated",
  z.object({ ...ticket, reason: z.enum(["breached", "manual"]) }),
  "A ticket breached its SLA (or was escalated by hand): administrators and the project's manager must know.",
);
