import type { Permission } from "@cairn/shared";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { systemActor } from "../access/actor.js";
import type { Ctx } from "../context.js";
import { defineJob } from "../jobs/jobs.js";
import { runAs, type Services } from "../services.js";

/**
 * Domain events. The module that owns an event declares it with a zod payload
 * (`defineEvent`); emitters and handlers are typed by that declaration, and the
 * set of event names is whatever the modules declare (their manifests), not a
 * hand-kept list. An event is recorded in the transaction of the change and
 * delivered by the job queue after commit.
 */
export type EventDefinition<N extends string = string, P extends z.ZodType = z.ZodType> = {
  name: N;
  payload: P;
  /** What happened, in a sentence (documentation and the preferences page). */
  description: string;
  /** How its recipients are told (inbox, email, digest); absent: the event notifies nobody. */
  notify?: NotifySpec<z.output<P>>;
};

/** What one recipient reads about an event: in the inbox, in an email, in a digest. */
export type NotifyText = { title: string; body: string };

/** Who and where, resolved once per event by the notifications module, for the text. */
export type NotifyAbout = {
  /** The actor's username ("Cairn" for the system). */
  actor: string;
  /** The organization's name, when the event happened in one. */
  org: string | null;
  /** The recipient the text is written for (a reassignment reads differently to the old and the new assignee). */
  recipientId: string;
  /** The handler's transaction, for the few texts that need a name looked up (roles). */
  tx: Tx;
};

/**
 * A module declares, with the event, how it is told; the notifications module
 * does the rest (preferences, inbox, realtime, email, digests).
 */
export type NotifySpec<D> = {
  /** The label of the kind on the preferences page ("Assigned to me"). */
  label: string;
  text: (event: DomainEvent<D>, about: NotifyAbout) => NotifyText | Promise<NotifyText>;
  /** The object's page in the web app (`/tasks/…`): the inbox and every email link to it. */
  link?: (data: D) => string | null;
  /** What the inbox keeps besides the text (ids the UI needs). */
  data?: (data: D) => Record<string, unknown>;
  /** The email default of the kind (API.md: immediate for the few that cannot wait; else the digest). */
  email?: "immediate" | "digest" | "off";
  /** Who can ever receive it: holders of any of these permissions (absent: everyone). The preferences page lists only these kinds. */
  audience?: Permission[];
};

export function defineEvent<const N extends string, P extends z.ZodType>(
  name: N,
  payload: P,
  description: string,
  notify?: NotifySpec<z.output<P>>,
): EventDefinition<N, P> {
  return notify ? { name, payload, description, notify } : { name, payload, description };
}

/** The envelope every event travels in; `data` is the declared payload. */
export const domainEvent = z.object({
  name: z.string().min(1).max(100),
  orgId: z.uuid().nullable(),
  actorId: z.uuid().nullable(),
  /** The users the event concerns (notifications go to them, per their preferences); never the actor. */
  recipients: z.array(z.uuid()).default([]),
  data: z.record(z.string(), z.unknown()).default({}),
  occurredAt: z.string(),
});

/** The most events one job carries (a bulk change of 1,000 tasks is a few jobs, not thousands). */
const EVENTS_PER_JOB = 250;

export type DomainEvent<D = Record<string, unknown>> = Omit<z.output<typeof domainEvent>, "data"> & {
  data: D;
};

/**
 * What a handler receives: the event, typed by its declaration, and a context
 * like a service's (a system actor, its own transaction, a logger). Handlers
 * must be idempotent: a job may run twice.
 */
export type EventHandler = {
  /** The event listened to; `null`: every declared event (the notifications module reads their `notify`). */
  event: EventDefinition | null;
  name: string;
  handle: (event: DomainEvent, ctx: Ctx, definition: EventDefinition) => Promise<void>;
};

export function onEvent<P extends z.ZodType>(
  event: EventDefinition<string, P>,
  name: string,
  handle: (event: DomainEvent<z.output<P>>, ctx: Ctx) => Promise<void>,
): EventHandler {
  return {
    event,
    name,
    handle: (raw, ctx) => handle({ ...raw, data: event.payload.parse(raw.data) }, ctx),
  };
}

/** A handler of every declared event, given its declaration (for what the event says of itself, e.g. `notify`). */
export function onAnyEvent(
  name: string,
  handle: (event: DomainEvent, ctx: Ctx, definition: EventDefinition) => Promise<void>,
): EventHandler {
  return { event: null, name, handle };
}

/** The declared events and their handlers, built from the modules' manifests. */
export type EventBus = {
  readonly events: ReadonlyMap<string, EventDefinition>;
  dispatch(event: DomainEvent, services: Services): Promise<void>;
};

export function createEventBus(events: EventDefinition[], handlers: EventHandler[]): EventBus {
  const declared = new Map<string, EventDefinition>();
  for (const event of events) {
    if (declared.has(event.name)) throw new Error(`Event ${event.name} is declared twice`);
    declared.set(event.name, event);
  }
  const byName = new Map<string, EventHandler[]>();
  const everywhere = handlers.filter((handler) => handler.event === null);
  for (const handler of handlers) {
    if (!handler.event) continue;
    if (!declared.has(handler.event.name))
      throw new Error(`Handler ${handler.name} listens to the undeclared event ${handler.event.name}`);
    byName.set(handler.event.name, [...(byName.get(handler.event.name) ?? []), handler]);
  }
  return {
    events: declared,
    async dispatch(event, services) {
      const definition = declared.get(event.name);
      if (!definition) {
        services.log.warn({ event: event.name }, "event of no declared kind: dropped");
        return;
      }
      for (const handler of [...(byName.get(event.name) ?? []), ...everywhere]) {
        await runAs(services, systemActor(handler.name), (ctx) => handler.handle(event, ctx, definition));
      }
    },
  };
}

/** Events of one bulk change travel together: one job row instead of one per event. */
const eventBatch = z.object({ events: z.array(domainEvent).min(1).max(EVENTS_PER_JOB) });

export const dispatchEventJob = defineJob({
  name: "events.dispatch",
  payload: z.union([eventBatch, domainEvent]),
  retryLimit: 5,
  async handler(payload, { services }) {
    // Handlers are idempotent, so a batch retried after a failure half-way delivers each event once more at most.
    for (const event of "events" in payload ? payload.events : [payload])
      await services.events.dispatch(event, services);
  },
});

/**
 * Records a domain event in the change's transaction: delivered by the job
 * queue after commit (or, without a queue, right after commit in-process).
 * The payload is checked against the declaration, so a wrong shape fails the
 * change rather than a handler later. The actor is not told of their own change
 * unless the event says so.
 */
export async function emitEvent<P extends z.ZodType>(
  ctx: Ctx,
  event: EventDefinition<string, P>,
  occurrence: Occurrence<P>,
): Promise<void> {
  await emitEvents(ctx, event, [occurrence]);
}

type Occurrence<P extends z.ZodType> = {
  orgId: string | null;
  recipients?: string[];
  data: z.input<P>;
  /** For events about the actor's own doing that they must hear of (they were verified). */
  includeActor?: boolean;
};

/** Several occurrences of one event (a bulk change), enqueued with one statement. */
export async function emitEvents<P extends z.ZodType>(
  ctx: Ctx,
  event: EventDefinition<string, P>,
  occurrences: Occurrence<P>[],
): Promise<void> {
  const actorId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const occurredAt = new Date().toISOString();
  const payloads: DomainEvent[] = occurrences.map((occurrence) => ({
    name: event.name,
    orgId: occurrence.orgId,
    actorId,
    recipients: [...new Set(occurrence.recipients ?? [])].filter(
      (userId) => occurrence.includeActor || userId !== actorId,
    ),
    data: event.payload.parse(occurrence.data) as Record<string, unknown>,
    occurredAt,
  }));
  if (!payloads.length) return;
  const { jobs } = ctx.services;
  if (jobs && payloads.length === 1) await jobs.enqueue(ctx.tx, dispatchEventJob, payloads[0] as DomainEvent);
  else if (jobs) {
    const batches: Array<{ events: DomainEvent[] }> = [];
    for (let start = 0; start < payloads.length; start += EVENTS_PER_JOB)
      batches.push({ events: payloads.slice(start, start + EVENTS_PER_JOB) });
    await jobs.enqueueMany(ctx.tx, dispatchEventJob, batches);
  } else
    ctx.afterCommit(async () => {
      for (const payload of payloads) await ctx.services.events.dispatch(payload, ctx.services);
    });
}
