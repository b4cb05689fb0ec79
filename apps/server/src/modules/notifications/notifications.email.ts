import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { systemActor } from "../../platform/access/actor.js";
import type { Ctx } from "../../platform/context.js";
import type { EventDefinition } from "../../platform/events/events.js";
import { defineJob } from "../../platform/jobs/jobs.js";
import { queueEmail } from "../../platform/mail/outbox.js";
import type { EmailContent, EmailItem, EmailLink } from "../../platform/mail/templates.js";
import { runAs, type Services } from "../../platform/services.js";
import { users } from "../accounts/index.js";
import { notificationEmailWindows, notifications } from "./notifications.table.js";
import { unsubscribeToken } from "./notifications.unsubscribe.js";

/**
 * Immediate emails, coalesced per user: the first goes out at once and opens a
 * window of five minutes; whatever comes during the window waits and goes out
 * as one message when it ends (API.md "Notifications"). The window is a row per
 * user, opened by an upsert that only one transaction can win; the email job
 * claims the user's pending notifications (`for update skip locked`) and marks
 * them emailed in the transaction that queues the message.
 */
export const WINDOW_MS = 5 * 60 * 1000;

export const sendNotificationEmailsJob = defineJob({
  name: "notifications.email",
  payload: z.object({ userId: z.uuid() }),
  retryLimit: 8,
  retryDelaySeconds: 10,
  async handler({ userId }, { services }) {
    await runAs(services, systemActor("notifications.email"), (ctx) => sendPendingEmails(ctx, userId));
  },
});

/**
 * After notifications meant to be emailed at once were written: for each user whose
 * window is closed, opens one and sends now, and sends again when it ends (what
 * gathered meanwhile). Users inside an open window wait for its end.
 */
export async function scheduleImmediateEmails(ctx: Ctx, userIds: string[], now = new Date()): Promise<void> {
  const distinct = [...new Set(userIds)];
  if (!distinct.length) return;
  const endsAt = new Date(now.getTime() + WINDOW_MS);
  const opened = await ctx.tx
    .insert(notificationEmailWindows)
    .values(distinct.map((userId) => ({ userId, endsAt })))
    .onConflictDoUpdate({
      target: notificationEmailWindows.userId,
      set: { endsAt },
      setWhere: sql`${notificationEmailWindows.endsAt} <= ${now}`,
    })
    .returning({ userId: notificationEmailWindows.userId });
  const { jobs } = ctx.services;
  for (const { userId } of opened) {
    if (jobs) {
      await jobs.enqueue(ctx.tx, sendNotificationEmailsJob, { userId });
      await jobs.enqueue(ctx.tx, sendNotificationEmailsJob, { userId }, { startAfter: endsAt });
    } else {
      // Without a queue (tests of services): at once after commit; the window's end is the caller's to run.
      ctx.afterCommit(async () => {
        await runAs(ctx.services, systemActor("notifications.email"), (next) =>
          sendPendingEmails(next, userId),
        );
      });
    }
  }
}

/** The absolute address of a page of the web app. */
export const appUrl = (services: Services, path: string) => `${services.config.publicUrl}${path}`;

/** The small print of a notification email: why it came, one link per kind to stop it, the preferences page. */
export function emailFooter(
  services: Services,
  userId: string,
  kinds: Array<{ kind: string; label: string }>,
): { footer: NonNullable<EmailContent["footer"]>; headers: Record<string, string> } {
  const secret = services.config.secretKey;
  const links: EmailLink[] = kinds.map(({ kind, label }) => ({
    label: `Stop emails: ${label}`,
    url: appUrl(services, `/unsubscribe?token=${unsubscribeToken(secret, userId, [kind])}`),
  }));
  links.push({ label: "Notification preferences", url: appUrl(services, "/notifications/preferences") });
  const all = unsubscribeToken(
    secret,
    userId,
    kinds.map((item) => item.kind),
  );
  return {
    footer: { text: "You receive this email because of your notification preferences in Cairn.", links },
    headers: {
      "List-Unsubscribe": `<${appUrl(services, `/api/notifications/unsubscribe?token=${all}`)}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** The label of a kind, from its event's declaration. */
export function kindLabel(events: ReadonlyMap<string, EventDefinition>, kind: string): string {
  return events.get(kind)?.notify?.label ?? kind;
}

/** Sends, as one email, the user's notifications waiting to be emailed at once; nothing when none wait. */
export async function sendPendingEmails(ctx: Ctx, userId: string, now = new Date()): Promise<number> {
  const pending = await ctx.tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.email, "immediate"),
        isNull(notifications.emailedAt),
      ),
    )
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(100)
    .for("update", { skipLocked: true });
  if (!pending.length) return 0;
  await ctx.tx
    .update(notifications)
    .set({ emailedAt: now })
    .where(
      inArray(
        notifications.id,
        pending.map((row) => row.id),
      ),
    );
  const [user] = await ctx.tx
    .select({ email: users.email, username: users.username, isActive: users.isActive })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.isActive) return 0;
  const { services } = ctx;
  const items: EmailItem[] = pending.map((row) => ({
    title: row.title,
    body: row.body || undefined,
    url: row.link ? appUrl(services, row.link) : appUrl(services, "/notifications"),
  }));
  const kinds = [...new Set(pending.map((row) => row.kind))].map((kind) => ({
    kind,
    label: kindLabel(services.events.events, kind),
  }));
  const { footer, headers } = emailFooter(services, userId, kinds);
  const [first] = pending;
  const single = pending.length === 1 && first;
  const content: EmailContent = single
    ? {
        subject: first.title,
        preview: first.body || first.title,
        greeting: `Hello ${user.username},`,
        paragraphs: first.body ? [first.body] : [],
        action: {
          label: first.link ? "Open in Cairn" : "Open your notifications",
          url: items[0]?.url ?? appUrl(services, "/notifications"),
        },
        footer,
      }
    : {
        subject: `${pending.length} updates in Cairn`,
        preview: pending
          .map((row) => row.title)
          .join(" · ")
          .slice(0, 140),
        greeting: `Hello ${user.username},`,
        paragraphs: ["Here is what happened in the last few minutes."],
        sections: [{ heading: "Updates", items }],
        action: { label: "Open your notifications", url: appUrl(services, "/notifications") },
        footer,
      };
  await queueEmail(ctx, user.email, content, headers);
  return pending.length;
}
