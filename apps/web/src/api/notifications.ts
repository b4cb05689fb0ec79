/** /api/me/notifications: URLs and cache keys of the caller's notifications. */
import { api, type Page } from "../lib/api";
import type { Notification } from "../lib/types";

export type NotificationPage = Page<Notification> & { unread: number };

export type NotificationListParams = {
  page?: number | undefined;
  pageSize?: number | undefined;
  unread?: boolean | undefined;
};

export const notificationKeys = {
  /** Everything under this key refetches on the realtime `notification` event (lib/realtime.ts). */
  all: ["notifications"] as const,
  list: (params: NotificationListParams) => [...notificationKeys.all, params] as const,
};

export const notificationsApi = {
  /** Newest first, with the caller's unread count. */
  list: (params: NotificationListParams, signal?: AbortSignal) =>
    api<NotificationPage>("/api/me/notifications", {
      query: { page: params.page, pageSize: params.pageSize, unread: params.unread || undefined },
      signal,
    }),
  /** `{ids}` or `{all: true}`. */
  markRead: (target: { ids: string[] } | { all: true }) =>
    api<{ updated: number; unread: number }>("/api/me/notifications/read", { method: "POST", body: target }),
};
