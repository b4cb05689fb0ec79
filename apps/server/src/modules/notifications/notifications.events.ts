import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import {
  defineEvent,
  onAnyEvent,
  type DomainEvent,
  type EventDefinition,
} from "../../platform/events/events.js";
import { organizations } from "../access/index.js";
import { users } from "../accounts/index.js";
import { scheduleImmediateEmails } from "./notifications.email.js";
import { channelsOf, settingsOf } from "./notifications.preferences.js";
import { createNotifications, type NotificationInput } from "./notifications.service.js";

/**
 * The one path from a domain event to the people it concerns. A module
 * declares its event with recipients (when emitting) and how it is told (the
 * event's `notify`); this handler does the rest for every such event: each
 * recipient's preferences for the kind, the inbox row and its live push, the
 * immediate email (coalesced) or the digest. Idempotent: a notification
 * carries a digest of its event, and a second delivery adds nothing.
 */

/** The same event delivered twice yields the same key. */
export function eventKey(event: DomainEvent<unknown>): string {
  const identity = JSON.stringify([event.name, event.occurredAt, event.actorId, event.orgId, event.data]);
  return `${event.name}:${createHash("sha256").update(identity).digest("base64url").slice(0, 32)}`;
}

async function orgOf(tx: Tx, orgId: string | null): Promise<{ name: string; slug: string } | null> {
  if (!orgId) return null;
  const [org] = await tx
    .select({ name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return org ?? null;
}

async function actorName(tx: Tx, actorId: string | null): Promise<string> {
  if (!actorId) return "Cairn";
  const [user] = await tx.select({ username: users.username }).from(users).where(eq(users.id, actorId));
  return user?.username ?? "Someone";
}

/** Tells an event's recipients, each through the channels they chose for its kind. */
export async function notifyEvent(ctx: Ctx, event: DomainEvent, definition: EventDefinition): Promise<void> {
  const spec = definition.notify;
  if (!spec || !event.recipients.length) return;
  // One after another: a transaction is one connection, which runs one query at a time anyway.
  const settings = await settingsOf(ctx.tx, event.recipients);
  const org = await orgOf(ctx.tx, event.orgId);
  const actor = await actorName(ctx.tx, event.actorId);
  const path = spec.link?.(event.data) ?? null;
  const link = path && org ? `/o/${org.slug}${path}` : path;
  const inputs: NotificationInput[] = [];
  for (const userId of event.recipients) {
    const channels = channelsOf(settings.get(userId), definition.name, spec);
    if (!channels.inApp && channels.email === "off") continue;
    const text = await spec.text(event, { actor, org: org?.name ?? null, recipientId: userId, tx: ctx.tx });
    inputs.push({
      userId,
      orgId: event.orgId,
      kind: definition.name,
      ...text,
      data: { orgId: event.orgId, ...(org ? { orgSlug: org.slug } : {}), ...(spec.data?.(event.data) ?? {}) },
      link,
      inApp: channels.inApp,
      email: channels.email,
      sourceKey: eventKey(event),
    });
  }
  const created = await createNotifications(ctx, inputs);
  await scheduleImmediateEmails(
    ctx,
    created.filter((row) => row.email === "immediate").map((row) => row.userId),
  );
}

/** The notifications module's own kinds: reminders its schedules send (declared so the preferences list them). */
export const overdueReminder = defineEvent(
  "reminder.overdue",
  z.object({
    count: z.number().int(),
    tasks: z.array(z.object({ key: z.string(), title: z.string(), dueDate: z.string(), path: z.string() })),
  }),
  "Tasks assigned to you are past their due date (a reminder each morning).",
  {
    label: "Overdue tasks",
    text: (event) => ({
      title: `${event.data.count} of your tasks ${event.data.count === 1 ? "is" : "are"} overdue`,
      body: event.data.tasks.map((task) => `${task.key} ${task.title} (due ${task.dueDate})`).join("; "),
    }),
    // The event has no organization (tasks of several may be late): the path is whole.
    link: (data) => data.tasks[0]?.path ?? null,
    email: "immediate",
    audience: ["tasks.view_assigned", "tasks.update_status"],
  },
);

export const inactiveReminder = defineEvent(
  "reminder.inactive",
  z.object({ days: z.number().int(), openTasks: z.number().int(), unread: z.number().int() }),
  "You have not signed in for two weeks: what waits for you.",
  {
    label: "Reminders after two weeks away",
    text: (event) => ({
      title: `It has been ${event.data.days} days: your work in Cairn is waiting`,
      body: `${event.data.openTasks} open ${event.data.openTasks === 1 ? "task is" : "tasks are"} assigned to you and ${event.data.unread} ${event.data.unread === 1 ? "notification is" : "notifications are"} unread.`,
    }),
    email: "immediate",
  },
);

/** Every declared event passes here; those that say how to notify are told. */
export const notificationHandlers = [
  onAnyEvent("notifications", (event, ctx, definition) => notifyEvent(ctx, event, definition)),
];
