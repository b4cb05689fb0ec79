import { and, count, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
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
};

export function presentNotification(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    orgId: row.orgId,
    kind: row.kind,
    title: row.title,
    body: row.body,
    data: row.data,
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

/**
 * Writes notifications in the caller's transaction and, once it commits,
 * pushes each to its recipient's open sessions. No authorization: callers are
 * event handlers and services that already decided who is concerned.
 */
export async function createNotifications(ctx: Ctx, inputs: NotificationInput[]): Promise<NotificationView[]> {
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
      })),
    )
    .onConflictDoNothing()
    .returning();
  const created = rows.map(presentNotification);
  ctx.afterCommit(async () => {
    await Promise.all(rows.map((row, index) => ctx.services.realtime.toUser(row.userId, "notification", created[index])));
  });
  return created;
}

async function unreadCount(ctx: Ctx, userId: string): Promise<number> {
  const [row] = await ctx.tx
    .select({ value: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.value ?? 0;
}

export type NotificationQuery = PageQuery & { unread?: boolean };

/** The caller's notifications, newest first, with how many are unread (for the badge). */
export async function listMyNotifications(ctx: Ctx, query: NotificationQuery): Promise<Page<NotificationView> & { unread: number }> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [eq(notifications.userId, actor.userId)];
  if (query.unread === true) conditions.push(isNull(notifications.readAt));
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
export async function markNotificationsRead(ctx: Ctx, input: MarkReadInput): Promise<{ updated: number; unread: number }> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [eq(notifications.userId, actor.userId), isNull(notifications.readAt)];
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
