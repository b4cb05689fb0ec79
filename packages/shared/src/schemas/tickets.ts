import { z } from "zod";

/**
 * Shapes of the support tickets API (API.md "Support tickets"): what the server
 * validates and documents and the web forms check before sending.
 */

export const TICKET_STATUSES = ["open", "in_progress", "waiting_on_customer", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
};

/**
 * Where a ticket may go from each status: forward through the flow, back to
 * `open` from the waiting and working states, reopened from `resolved`;
 * `closed` is final. Anything else is a 409 naming these.
 */
export const TICKET_STATUS_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ["in_progress", "waiting_on_customer", "resolved", "closed"],
  in_progress: ["open", "waiting_on_customer", "resolved", "closed"],
  waiting_on_customer: ["open", "in_progress", "resolved", "closed"],
  resolved: ["open", "closed"],
  closed: [],
};

/** Statuses in which the SLA clock runs; it stands still in the others. */
export const TICKET_ACTIVE_STATUSES = ["open", "in_progress"] as const satisfies readonly TicketStatus[];

/** Lowest to highest: `?ordering=-severity` puts critical first. */
export const TICKET_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type TicketSeverity = (typeof TICKET_SEVERITIES)[number];

export const SLA_STATES = ["on_track", "at_risk", "breached", "met", "paused"] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** The states `?sla=` filters by. */
export const SLA_FILTERS = ["on_track", "at_risk", "breached"] as const;

/** What GET /api/tickets orders by (`?ordering=field` or `-field`). */
export const TICKET_ORDERINGS = ["createdAt", "severity", "resolutionDueAt", "updatedAt", "number"] as const;

export const TICKET_TITLE_MAX = 300;
export const TICKET_DESCRIPTION_MAX = 20_000;
export const TICKET_COMMENT_MAX = 20_000;

/** Less than this share of a target left: `at_risk`. */
export const SLA_AT_RISK_SHARE = 0.2;

export type SlaTarget = { firstResponseMinutes: number; resolutionMinutes: number };
export type SlaTargets = Record<TicketSeverity, SlaTarget>;

/** The defaults of an organization that has set none (issue 14): critical 1 h / 8 h … low 1 day / 7 days. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  critical: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  medium: { firstResponseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  low: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

const title = z.string().trim().min(1, "A ticket needs a title.").max(TICKET_TITLE_MAX, `At most ${TICKET_TITLE_MAX} characters.`);
const description = z.string().max(TICKET_DESCRIPTION_MAX, `At most ${TICKET_DESCRIPTION_MAX.toLocaleString("en")} characters.`);

export const createTicketInput = z
  .object({
    projectId: z.uuid(),
    title,
    description: description.default(""),
    severity: z.enum(TICKET_SEVERITIES).default("medium"),
  })
  .strict();
export type CreateTicketInput = z.input<typeof createTicketInput>;

export const updateTicketInput = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    assigneeId: z.uuid().nullable().optional(),
    severity: z.enum(TICKET_SEVERITIES).optional(),
    title: title.optional(),
    description: description.optional(),
  })
  .strict();
export type UpdateTicketInput = z.infer<typeof updateTicketInput>;

export const ticketCommentInput = z
  .object({
    body: z.string().trim().min(1, "Write something first.").max(TICKET_COMMENT_MAX, `At most ${TICKET_COMMENT_MAX.toLocaleString("en")} characters.`),
    internal: z.boolean().default(false).describe("An internal note: only tickets.manage holders see it"),
  })
  .strict();
export type TicketCommentInput = z.input<typeof ticketCommentInput>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The working week of an organization: ISO weekdays (1 Monday … 7 Sunday) and the hours of each, local time. */
export const businessHoursInput = z
  .object({
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, "Pick at least one working day.")
      .max(7)
      .transform((days) => [...new Set(days)].sort()),
    start: z.string().regex(HHMM, "Use HH:MM."),
    end: z.string().regex(HHMM, "Use HH:MM."),
  })
  .strict()
  .refine((hours) => hours.start < hours.end, { path: ["end"], message: "The day must end after it starts." });
export type BusinessHours = z.output<typeof businessHoursInput>;

const minutes = (max: number) => z.number().int("Whole minutes.").min(1, "At least one minute.").max(max, "That is more than a year.");
const YEAR_MINUTES = 366 * 24 * 60;

export const slaTargetInput = z
  .object({ firstResponseMinutes: minutes(YEAR_MINUTES), resolutionMinutes: minutes(YEAR_MINUTES) })
  .strict()
  .refine((target) => target.firstResponseMinutes <= target.resolutionMinutes, {
    path: ["firstResponseMinutes"],
    message: "The first answer cannot be due after the resolution.",
  });

/** PUT /api/orgs/{org}/sla: the organization's time zone, working hours (null: around the clock) and targets. */
export const slaSettingsInput = z
  .object({
    timezone: z.string().min(1).max(64),
    businessHours: businessHoursInput.nullable(),
    targets: z.object({ critical: slaTargetInput, high: slaTargetInput, medium: slaTargetInput, low: slaTargetInput }).strict(),
  })
  .strict();
export type SlaSettingsInput = z.input<typeof slaSettingsInput>;
export type SlaSettings = z.output<typeof slaSettingsInput>;

/** `SHOP-T12`: a ticket's key, from its project's key and its number there. */
export function ticketKey(projectKey: string, number: number): string {
  return `${projectKey}-T${number}`;
}
