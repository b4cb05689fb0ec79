import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { onEvent, type DomainEvent } from "../../platform/events/events.js";
import { developerVerified } from "../onboarding/index.js";
import { projectManagerAssigned } from "../projects/index.js";
import { memberRoleChanged } from "../orgs/index.js";
import { roles } from "../access/index.js";
import { organizations } from "../access/index.js";
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
];
