import { z } from "zod";
import type { Ctx } from "../context.js";
import { defineJob } from "../jobs/jobs.js";
import type { Services } from "../services.js";

/** The domain events of DESIGN.md. */
export const EVENT_NAMES = [
  "user.created",
  "member.role_changed",
  "developer.verified",
  "project.created",
  "project.status_changed",
  "payment.submitted",
  "payment.verified",
  "payment.rejected",
  "task.assigned",
  "task.status_changed",
  "task.commented",
  "ticket.created",
  "ticket.escalated",
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export const domainEvent = z.object({
  name: z.enum(EVENT_NAMES),
  orgId: z.uuid().nullable(),
  actorId: z.uuid().nullable(),
  /** The users the event concerns (notifications go to them, per their preferences). */
  recipients: z.array(z.uuid()).default([]),
  data: z.record(z.string(), z.unknown()).default({}),
  occurredAt: z.string(),
});

export type DomainEvent = z.output<typeof domainEvent>;

export type EventHandler = (event: DomainEvent, services: Services) => Promise<void>;

/**
 * Subscribers by event name. Modules register theirs at import time
 * (notifications, emails); every handler must be idempotent because a job may run twice.
 */
const handlers = new Map<EventName, EventHandler[]>();

export function onEvent(names: EventName | EventName[], handler: EventHandler): void {
  for (const name of Array.isArray(names) ? names : [names]) handlers.set(name, [...(handlers.get(name) ?? []), handler]);
}

export async function dispatchEvent(event: DomainEvent, services: Services): Promise<void> {
  for (const handler of handlers.get(event.name) ?? []) await handler(event, services);
}

export const dispatchEventJob = defineJob({
  name: "events.dispatch",
  payload: domainEvent,
  retryLimit: 5,
  async handler(event, { services }) {
    await dispatchEvent(event, services);
  },
});

/**
 * Records a domain event in the change's transaction: delivered by the job
 * queue after commit (or, without a queue, right after commit in-process).
 */
export async function emitEvent(
  ctx: Ctx,
  event: { name: EventName; orgId: string | null; recipients?: string[]; data?: Record<string, unknown> },
): Promise<void> {
  const payload: DomainEvent = {
    name: event.name,
    orgId: event.orgId,
    actorId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    recipients: event.recipients ?? [],
    data: event.data ?? {},
    occurredAt: new Date().toISOString(),
  };
  const { jobs } = ctx.services;
  if (jobs) await jobs.enqueue(ctx.tx, dispatchEventJob, payload);
  else ctx.afterCommit(() => dispatchEvent(payload, ctx.services));
}
