import { TICKET_SEVERITIES, TICKET_STATUSES, type BusinessHours, type SlaTargets } from "@cairn/shared";
import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { memberships, organizations } from "../access/tenancy.table.js";
import { projects } from "../projects/projects.table.js";
import { tasks } from "../tasks/tasks.table.js";

/**
 * Support tickets: a problem reported on a project after delivery. References
 * that stay in the organization are composite (ADR 0007). The SLA deadlines
 * are stored (computed by sla.ts when a clock starts or resumes), so the
 * scheduled check and the `?sla=` filters are plain comparisons with now that
 * partial indexes serve.
 */
export const tickets = pgTable(
  "tickets",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull(),
    /** Per project, given by `ticket_sequences` without races: the key is `SHOP-T12`. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    severity: text("severity", { enum: TICKET_SEVERITIES }).notNull().default("medium"),
    /** Urgency as a number (low 0 … critical 3), for `?ordering=-severity`. */
    severityRank: smallint("severity_rank")
      .notNull()
      .generatedAlwaysAs(sql`case severity when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end`),
    status: text("status", { enum: TICKET_STATUSES }).notNull().default("open"),
    /** Who opened it: an actor (the superuser may act without a membership). */
    reporterId: uuid("reporter_id").references(() => users.id, { onDelete: "set null" }),
    /** A member of the organization (composite key below). */
    assigneeId: uuid("assignee_id"),
    /** The task made from this ticket (POST /api/tickets/{id}/task). */
    linkedTaskId: uuid("linked_task_id"),
    firstResponseDueAt: timestampTz("first_response_due_at").notNull(),
    /** When less than 20% of the first-response target is left. */
    firstResponseRiskAt: timestampTz("first_response_risk_at").notNull(),
    resolutionDueAt: timestampTz("resolution_due_at").notNull(),
    resolutionRiskAt: timestampTz("resolution_risk_at").notNull(),
    /** The first public answer of staff: the first-response clock stops. */
    firstRespondedAt: timestampTz("first_responded_at"),
    resolvedAt: timestampTz("resolved_at"),
    closedAt: timestampTz("closed_at"),
    /** Since when the clock stands still (waiting on the customer, resolved, closed); null while it runs. */
    pausedAt: timestampTz("paused_at"),
    /** When a deadline was first seen passed: the ticket stays `breached`. */
    breachedAt: timestampTz("breached_at"),
    /** Set once, by the SLA check or by hand: admins and the project's manager were told. */
    escalatedAt: timestampTz("escalated_at"),
    /** Set once, when the assignee was told the ticket is at risk. */
    atRiskNotifiedAt: timestampTz("at_risk_notified_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique("tickets_org_id_id_key").on(table.orgId, table.id),
    unique("tickets_project_number_key").on(table.projectId, table.number),
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "tickets_project_fk" }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.assigneeId], foreignColumns: [memberships.orgId, memberships.userId], name: "tickets_assignee_membership_fk" }).onDelete("set null"),
    foreignKey({ columns: [table.orgId, table.linkedTaskId], foreignColumns: [tasks.orgId, tasks.id], name: "tickets_linked_task_fk" }).onDelete("set null"),
    // The queue's hot paths: an organization's tickets newest first, a project's, a person's.
    index("tickets_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id),
    index("tickets_project_created_idx").on(table.projectId, table.createdAt.desc(), table.id),
    index("tickets_assignee_idx").on(table.assigneeId, table.createdAt.desc()),
    index("tickets_reporter_idx").on(table.reporterId),
    index("tickets_linked_task_idx").on(table.linkedTaskId).where(sql`${table.linkedTaskId} is not null`),
    // The SLA check: unescalated running tickets by deadline, each arm of its query an index range.
    index("tickets_sla_resolution_idx").on(table.resolutionDueAt).where(sql`${table.escalatedAt} is null and ${table.status} in ('open', 'in_progress')`),
    index("tickets_sla_first_response_idx")
      .on(table.firstResponseDueAt)
      .where(sql`${table.escalatedAt} is null and ${table.firstRespondedAt} is null and ${table.status} in ('open', 'in_progress')`),
    index("tickets_sla_breached_idx").on(table.breachedAt).where(sql`${table.escalatedAt} is null and ${table.breachedAt} is not null`),
    index("tickets_sla_risk_idx").on(table.resolutionRiskAt).where(sql`${table.atRiskNotifiedAt} is null and ${table.status} in ('open', 'in_progress')`),
    index("tickets_sla_first_risk_idx")
      .on(table.firstResponseRiskAt)
      .where(sql`${table.atRiskNotifiedAt} is null and ${table.firstRespondedAt} is null and ${table.status} in ('open', 'in_progress')`),
    check("tickets_number_positive", sql`${table.number} > 0`),
  ],
);

/** The last ticket number given in a project; taking one is an upsert whose row lock makes creations take turns. */
export const ticketSequences = pgTable(
  "ticket_sequences",
  {
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    last: integer("last").notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.projectId] }),
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "ticket_sequences_project_fk" }).onDelete("cascade"),
  ],
);

/** The conversation of a ticket: public answers, and internal notes only tickets.manage holders see. */
export const ticketComments = pgTable(
  "ticket_comments",
  {
    id: id(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Markdown, rendered safely by the client (no raw HTML). */
    body: text("body").notNull(),
    internal: boolean("internal").notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [
    unique("ticket_comments_org_id_id_key").on(table.orgId, table.id),
    foreignKey({ columns: [table.orgId, table.ticketId], foreignColumns: [tickets.orgId, tickets.id], name: "ticket_comments_ticket_fk" }).onDelete("cascade"),
    index("ticket_comments_ticket_idx").on(table.ticketId, table.createdAt),
  ],
);

/**
 * An organization's service levels: its time zone, its working week (null:
 * around the clock) and the targets by severity. No row: the defaults of
 * @cairn/shared, in UTC, around the clock.
 */
export const ticketSlaSettings = pgTable("ticket_sla_settings", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  timezone: text("timezone").notNull().default("UTC"),
  businessHours: jsonb("business_hours").$type<BusinessHours | null>(),
  targets: jsonb("targets").$type<SlaTargets>().notNull(),
  updatedAt: updatedAt(),
});
