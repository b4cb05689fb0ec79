import { and, count, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { notifications } from "./notifications.table.js";

export type NotificationRow = typeof notifications.$inferSelect;

/** The object of GET /api/me/notifications and of the realtime `notification` push. */
export type NotificationView = {
  id: string;
  orgId: string | null;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** The web app's page of the object, when there is one. */
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
};

export type NotificationInput = {
  userId: string;
  orgId: string | null;
  kind: string;
  title: string;
  body?: string;
  data?: Record<string, unknown>;
  /** Same key for the same user twice: the second is skipped (idempotent event handlers). */
  sourceKey?: string;
  link?: string | null;
  /** Shown in the inbox and pushed live (default); off: kept for the email or the digest only. */
  inApp?: boolean;
  email?: "immediate" | "digest" | "off";
};

export function presentNotification(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    orgId: row.orgId,
    kind: row.kind,
    title: row.title,
    body: row.body,
    data: row.data,
    link: row.link,
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

/**
 * Writes notifications in the caller's transaction and, once it commits,
 * pushes each to its recipient's open sessions. No authorization: callers are
 * event handlers and services that already decided who is concerned.
 */
export async function createNotifications(ctx: Ctx, inputs: NotificationInput[]): Promise<NotificationRow[]> {
  if (!inputs.length) return [];
  const rows = await ctx.tx
    .insert(notifications)
    .values(
      inputs.map((input) => ({
        userId: input.userId,
        orgId: input.orgId,
        kind: input.kind,
        title: input.title,
        body: input.body ?? "",
        data: input.data ?? {},
        sourceKey: input.sourceKey ?? null,
        link: input.link ?? null,
        inApp: input.inApp ?? true,
        email: input.email ?? "off",
      })),
    )
    .onConflictDoNothing()
    .returning();
  const shown = rows.filter((row) => row.inApp);
  ctx.afterCommit(async () => {
    await Promise.all(
      shown.map((row) => ctx.services.realtime.toUser(row.userId, "notification", presentNotification(row))),
    );
  });
  return rows;
}

/** The kinds the inbox's "mentions" filter shows. */
export const MENTION_KINDS = ["task.mentioned", "ticket.mentioned"];

/** The caller's unread notifications in the inbox (the bell's number). */
export async function countUnread(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ value: count() })
    .from(notifications)
    .where(
      and(eq(notifications.userId, userId), isNull(notifications.readAt), eq(notifications.inApp, true)),
    );
  return row?.value ?? 0;
}

const unreadCount = (ctx: Ctx, userId: string) => countUnread(ctx.tx, userId);

/** GET /api/me/notifications/unread-count. */
export async function myUnreadCount(ctx: Ctx): Promise<{ count: number }> {
  return { count: await unreadCount(ctx, requireUser(ctx.actor).userId) };
}

export type NotificationQuery = PageQuery & { unread?: boolean; kind?: string; mentions?: boolean };

/** The caller's notifications, newest first, with how many are unread (for the badge). */
export async function listMyNotifications(
  ctx: Ctx,
  query: NotificationQuery,
): Promise<Page<NotificationView> & { unread: number }> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [eq(notifications.userId, actor.userId), eq(notifications.inApp, true)];
  if (query.unread === true) conditions.push(isNull(notifications.readAt));
  if (query.kind) conditions.push(eq(notifications.kind, query.kind));
  if (query.mentions === true) conditions.push(inArray(notifications.kind, MENTION_KINDS));
  const where = and(...conditions);
  const [total] = await ctx.tx.select({ value: count() }).from(notifications).where(where);
  const rows = await ctx.tx
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return {
    items: rows.map(presentNotification),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.value ?? 0,
    unread: await unreadCount(ctx, actor.userId),
  };
}

export type MarkReadInput = { ids: string[] } | { all: true };

/**
 * Marks the caller's notifications read: the listed ones or all. Ids of
 * other users' notifications are ignored, as if they did not exist.
 */
export async function markNotificationsRead(
  ctx: Ctx,
  input: MarkReadInput,
): Promise<{ updated: number; unread: number }> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [
    eq(notifications.userId, actor.userId),
    isNull(notifications.readAt),
    eq(notifications.inApp, true),
  ];
  if ("ids" in input) {
    if (!input.ids.length) return { updated: 0, unread: await unreadCount(ctx, actor.userId) };
    conditions.push(inArray(notifications.id, input.ids));
  }
  const updated = await ctx.tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(...conditions))
    .returning({ id: notifications.id });
  return { updated: updated.length, unread: await unreadCount(ctx, actor.userId) };
}
