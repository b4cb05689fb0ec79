import { ticketKey, type TicketSeverity } from "@cairn/shared";
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { systemActor } from "../../platform/access/actor.js";
import { emitEvents } from "../../platform/events/events.js";
import { defineJob } from "../../platform/jobs/jobs.js";
import type { ScheduleDefinition } from "../../platform/modules.js";
import { runAs, type Services } from "../../platform/services.js";
import { ticketAtRisk, ticketEscalated } from "./tickets.events.js";
import { selectTickets } from "./tickets.queries.js";
import { pushTickets } from "./tickets.realtime.js";
import { escalationAudience } from "./tickets.service.js";
import { tickets } from "./tickets.table.js";

/**
 * The scheduled SLA check (every minute): each ticket past a deadline is
 * escalated once, each ticket with less than a fifth of a target left warns
 * its assignee once. Each step is one UPDATE that claims its rows: candidates
 * come from partial indexes on the deadlines, rows another worker holds are
 * skipped (`skip locked`), and the condition is checked again on the row as
 * committed, so two workers running at once never claim one ticket twice. The
 * same statement writes the step's audit entries; its events follow in the
 * same transaction, with one more statement.
 */

type Claimed = {
  id: string;
  org_id: string;
  project_id: string;
  number: number;
  title: string;
  severity: TicketSeverity;
  assignee_id: string | null;
  project_key: string;
  manager_id: string | null;
  resolution_due_at: Date | string;
};

const returning = sql`t.id, t.org_id, t.project_id, t.number, t.title, t.severity, t.assignee_id, t.resolution_due_at,
  (select p.key from projects p where p.id = t.project_id) as project_key,
  (select p.manager_id from projects p where p.id = t.project_id) as manager_id`;

/**
 * The audit entries of a step, written by the same statement as its change (an insert fed by the
 * update's rows): one entry per ticket, by the system (no actor), as `recordAudit` would write them.
 */
const auditOf = (from: "escalated" | "warned", action: string, changes: ReturnType<typeof sql>) =>
  sql`insert into audit_log (org_id, actor_id, action, entity_type, entity_id, changes)
    select org_id, null, ${action}, 'ticket', id::text, jsonb_build_object(${changes}) from ${sql.raw(from)}`;

const about = (row: Claimed) => ({
  ticketId: row.id,
  key: ticketKey(row.project_key, row.number),
  title: row.title,
  projectId: row.project_id,
  severity: row.severity,
});

const rowsOf = (result: unknown): Claimed[] => (Array.isArray(result) ? result : (result as { rows: Claimed[] }).rows) as Claimed[];

export type SlaCheckResult = { escalated: number; atRisk: number; escalatedIds: string[] };

/** One pass of the check at `now`; returns how many tickets this pass escalated and warned about. */
export async function runSlaCheck(services: Services, now = new Date()): Promise<SlaCheckResult> {
  const actor = systemActor("tickets.sla");
  const escalated = await runAs(services, actor, async (ctx) => {
    const claimed = rowsOf(
      await ctx.tx.execute(sql`
        with due as (
          select id from tickets where escalated_at is null and status in ('open', 'in_progress') and resolution_due_at <= ${now}
          union
          select id from tickets where escalated_at is null and first_responded_at is null and status in ('open', 'in_progress') and first_response_due_at <= ${now}
          union
          select id from tickets where escalated_at is null and breached_at is not null
        ), claimed as (
          select c.id from tickets c where c.id in (select id from due) and c.escalated_at is null for update skip locked
        ), escalated as (
          update tickets t set escalated_at = ${now}, breached_at = coalesce(t.breached_at, ${now}), updated_at = ${now}
          from claimed where t.id = claimed.id and t.escalated_at is null
          returning ${returning}
        ), audited as (
          ${auditOf("escalated", "ticket.escalated", sql`'escalatedAt', jsonb_build_array(null, ${now.toISOString()}::text), 'reason', jsonb_build_array(null, 'breached')`)}
        )
        select * from escalated`),
    );
    if (!claimed.length) return claimed;
    const admins = await escalationAudience(ctx.tx, [...new Set(claimed.map((row) => row.org_id))]);
    await emitEvents(
      ctx,
      ticketEscalated,
      claimed.map((row) => ({
        orgId: row.org_id,
        recipients: [...(admins.get(row.org_id) ?? []), row.manager_id, row.assignee_id].filter((id): id is string => id !== null),
        data: { ...about(row), reason: "breached" as const },
      })),
    );
    pushAfterCommit(ctx, claimed.map((row) => row.id));
    return claimed;
  });
  const warned = await runAs(services, actor, async (ctx) => {
    const claimed = rowsOf(
      await ctx.tx.execute(sql`
        with due as (
          select id from tickets where at_risk_notified_at is null and status in ('open', 'in_progress') and resolution_risk_at <= ${now}
          union
          select id from tickets where at_risk_notified_at is null and first_responded_at is null and status in ('open', 'in_progress') and first_response_risk_at <= ${now}
        ), claimed as (
          select c.id from tickets c
          where c.id in (select id from due) and c.at_risk_notified_at is null and c.escalated_at is null and c.breached_at is null and c.assignee_id is not null
          for update skip locked
        ), warned as (
          update tickets t set at_risk_notified_at = ${now}
          from claimed where t.id = claimed.id and t.at_risk_notified_at is null
          returning ${returning}
        ), audited as (
          ${auditOf("warned", "ticket.at_risk", sql`'atRiskNotifiedAt', jsonb_build_array(null, ${now.toISOString()}::text)`)}
        )
        select * from warned`),
    );
    if (!claimed.length) return claimed;
    await emitEvents(
      ctx,
      ticketAtRisk,
      claimed.map((row) => ({
        orgId: row.org_id,
        recipients: row.assignee_id ? [row.assignee_id] : [],
        data: { ...about(row), dueAt: new Date(row.resolution_due_at).toISOString() },
      })),
    );
    return claimed;
  });
  return { escalated: escalated.length, atRisk: warned.length, escalatedIds: escalated.map((row) => row.id) };
}

/** The escalated tickets, read after commit and pushed to who may see each. */
function pushAfterCommit(ctx: Parameters<Parameters<typeof runAs>[2]>[0], ids: string[]): void {
  const { services } = ctx;
  ctx.afterCommit(async () => {
    const rows = await selectTickets(services.database.db, null).where(inArray(tickets.id, ids));
    await pushTickets(services, rows);
  });
}

export const slaCheckJob = defineJob({
  name: "tickets.sla",
  payload: z.looseObject({}),
  retryLimit: 0,
  async handler(_payload, { services, log }) {
    const result = await runSlaCheck(services);
    if (result.escalated || result.atRisk) log.info({ escalated: result.escalated, atRisk: result.atRisk }, "SLA check");
  },
});

/** Declared by the tickets module; supervising workers put it on pg-boss's cron (platform/jobs). */
export const slaSchedule: ScheduleDefinition = {
  name: "tickets.sla",
  description: "Escalates tickets past their SLA (once each) and warns assignees of tickets at risk",
  cron: "* * * * *",
  timezone: "UTC",
  job: slaCheckJob,
};
