import { SLA_FILTERS, SLA_STATES, TICKET_ORDERINGS, TICKET_SEVERITIES, TICKET_STATUSES, TASK_STATUSES } from "@cairn/shared";
import { z } from "zod";
import { orderingQuery, pageQuery } from "../../platform/http/pagination.js";

/** Responses and queries of the tickets API; the payloads are @cairn/shared's, which the web forms check too. */

/** `?status=open,in_progress` reads as `?status=open&status=in_progress`. */
const splitCommas = (value: unknown) => (typeof value === "string" ? value.split(",") : value);

/** A query parameter that may repeat or hold a comma-separated list of `values`. */
const repeatable = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(splitCommas, z.array(z.enum(values)).min(1).max(2 * values.length)).optional();

export const ticketListQuery = pageQuery.extend({
  project: z.uuid().optional(),
  status: repeatable(TICKET_STATUSES).describe("Repeatable: ?status=open&status=in_progress"),
  severity: repeatable(TICKET_SEVERITIES).describe("Repeatable"),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional().describe("A user id, `me` or `none` (unassigned)"),
  reporter: z.union([z.literal("me"), z.uuid()]).optional().describe("A user id or `me`"),
  sla: z.enum(SLA_FILTERS).optional().describe("on_track, at_risk (less than 20% of a target left) or breached"),
  task: z.uuid().optional().describe("Tickets linked to this task"),
  search: z.string().max(100).optional().describe("Part of the title, case-insensitive, or a key such as SHOP-T12"),
  org: z.string().max(64).optional().describe("Organization id or slug"),
  ordering: orderingQuery(TICKET_ORDERINGS).describe("createdAt, severity (-severity: critical first), resolutionDueAt, updatedAt, number; default -createdAt"),
});

const person = z.object({ id: z.uuid(), username: z.string() });

export const ticketOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    projectId: z.uuid(),
    key: z.string().describe('"SHOP-T12": the project\'s key and the ticket\'s number there'),
    number: z.number().int(),
    title: z.string(),
    description: z.string().describe("Markdown"),
    severity: z.enum(TICKET_SEVERITIES),
    status: z.enum(TICKET_STATUSES),
    reporterId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    linkedTaskId: z.uuid().nullable(),
    firstResponseDueAt: z.date(),
    resolutionDueAt: z.date(),
    firstRespondedAt: z.date().nullable(),
    resolvedAt: z.date().nullable(),
    slaState: z.enum(SLA_STATES),
    escalatedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    project: z.object({ id: z.uuid(), key: z.string(), name: z.string() }),
    reporter: person.nullable(),
    assignee: person.nullable(),
    linkedTask: z.object({ id: z.uuid(), key: z.string(), status: z.enum(TASK_STATUSES) }).nullable(),
    allowedActions: z
      .array(z.string())
      .describe("What the caller may do: view, manage (every field, assignment), closeOrReopen, comment, addInternalNote, escalate"),
  })
  .meta({ id: "Ticket" });

export const ticketCommentOut = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    authorId: z.uuid().nullable(),
    author: person.nullable(),
    body: z.string().describe("Markdown, to be rendered without raw HTML"),
    internal: z.boolean().describe("An internal note, seen by tickets.manage holders only"),
    createdAt: z.date(),
  })
  .meta({ id: "TicketComment" });

const target = z.object({ firstResponseMinutes: z.number().int(), resolutionMinutes: z.number().int() });

export const slaSettingsOut = z
  .object({
    orgId: z.uuid(),
    timezone: z.string(),
    businessHours: z.object({ days: z.array(z.number().int()), start: z.string(), end: z.string() }).nullable().describe("Null: around the clock"),
    targets: z.object({ critical: target, high: target, medium: target, low: target }),
    isDefault: z.boolean().describe("Nothing was set yet: these are the defaults"),
  })
  .meta({ id: "SlaSettings" });
