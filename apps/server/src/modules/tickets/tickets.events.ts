import { TICKET_SEVERITIES, TICKET_STATUSES } from "@cairn/shared";
import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const ticket = {
  ticketId: z.uuid(),
  key: z.string(),
  title: z.string(),
  projectId: z.uuid(),
  severity: z.enum(TICKET_SEVERITIES),
};

const STATUS_WORDS: Record<string, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
};
const status = (value: string) => STATUS_WORDS[value] ?? value;

const aboutTicket = {
  link: (data: { ticketId: string }) => `/tickets/${data.ticketId}`,
  data: (data: { ticketId: string; projectId: string; key: string }) => ({
    ticketId: data.ticketId,
    projectId: data.projectId,
    key: data.key,
  }),
  audience: ["tickets.add" as const, "tickets.manage" as const],
};
const handlers = { ...aboutTicket, audience: ["tickets.manage" as const] };

/** Recipients: the project's manager and owner (and the assignee, when there is one). */
export const ticketCreated = defineEvent(
  "ticket.created",
  z.object(ticket),
  "A customer or staff member opened a support ticket.",
  {
    label: "New tickets",
    text: (event, { actor }) => ({
      title: `New ${event.data.severity} ticket ${event.data.key}: ${event.data.title}`,
      body: `${actor} opened ${event.data.key} ${event.data.title}.`,
    }),
    ...handlers,
  },
);

/** Recipients: the ticket's people who may read the comment (internal notes: handlers only), never its author. */
export const ticketCommented = defineEvent(
  "ticket.commented",
  z.object({ ...ticket, commentId: z.uuid(), internal: z.boolean() }),
  "Someone answered on a ticket or wrote an internal note.",
  {
    label: "Replies on tickets",
    text: (event, { actor }) => ({
      title: `${event.data.internal ? "Internal note" : "New reply"} on ${event.data.key}: ${event.data.title}`,
      body: `${actor} ${event.data.internal ? "wrote an internal note on" : "answered on"} ${event.data.key}.`,
    }),
    ...aboutTicket,
  },
);

/** Recipients: the reporter, the assignee and the project's manager. */
export const ticketStatusChanged = defineEvent(
  "ticket.status_changed",
  z.object({ ...ticket, before: z.enum(TICKET_STATUSES), after: z.enum(TICKET_STATUSES) }),
  "A ticket moved to another status.",
  {
    label: "Status changes of tickets",
    text: (event, { actor }) => ({
      title: `${event.data.key} is ${status(event.data.after)}: ${event.data.title}`,
      body: `${actor} moved ${event.data.key} from ${status(event.data.before)} to ${status(event.data.after)}.`,
    }),
    ...aboutTicket,
  },
);

/** Recipients: the assignee (a new one, and the one before). */
export const ticketAssigned = defineEvent(
  "ticket.assigned",
  z.object({ ...ticket, assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable() }),
  "A ticket was assigned, reassigned or unassigned.",
  {
    label: "Tickets assigned to me",
    text: (event, { actor, recipientId }) => {
      const { key, title, assigneeId } = event.data;
      if (recipientId === assigneeId)
        return {
          title: `Ticket assigned to you: ${key} ${title}`,
          body: `${actor} assigned ${key} ${title} to you.`,
        };
      return {
        title: `${key} is no longer yours: ${title}`,
        body: `${actor} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.`,
      };
    },
    ...handlers,
  },
);

/** Recipients: the assignee, once per ticket. */
export const ticketAtRisk = defineEvent(
  "ticket.at_risk",
  z.object({ ...ticket, dueAt: z.string() }),
  "Less than a fifth of a ticket's SLA target is left.",
  {
    label: "Tickets at risk of breaching their SLA",
    text: (event) => ({
      title: `${event.data.key} is at risk of breaching its SLA: ${event.data.title}`,
      body: `Less than a fifth of the time for ${event.data.key} is left.`,
    }),
    ...handlers,
  },
);

/** Recipients: the organization's administrators (tickets.configure), the project's manager and the assignee: emailed at once by default. */
export const ticketEscalated = defineEvent(
  "ticket.escalated",
  z.object({ ...ticket, reason: z.enum(["breached", "manual"]) }),
  "A ticket breached its SLA (or was escalated by hand): administrators and the project's manager must know.",
  {
    label: "Escalated tickets",
    email: "immediate",
    text: (event, { actor }) => ({
      title: `Escalated: ${event.data.key} ${event.data.title}`,
      body:
        event.data.reason === "breached"
          ? `The ${event.data.severity} ticket ${event.data.key} breached its SLA.`
          : `${actor} escalated the ${event.data.severity} ticket ${event.data.key}.`,
    }),
    ...handlers,
    audience: ["tickets.manage", "tickets.configure"],
  },
);
