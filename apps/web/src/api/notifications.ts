/** /api/me/notifications: URLs and cache keys of the caller's notifications. */
import { api, type Page } from "../lib/api";
import type { Notification } from "../lib/types";

export type NotificationPage = Page<Notification> & { unread: number };

export type NotificationListParams = {
  page?: number | undefined;
  pageSize?: number | undefined;
  unread?: boolean | undefined;
  mentions?: boolean | undefined;
};

export type EmailChoice = "immediate" | "digest" | "off";

/** GET /api/me/notification-preferences: per kind the caller can receive, and the digests. */
export type NotificationPreferences = {
  digest: { daily: boolean; weekly: boolean };
  events: Record<string, { inApp: boolean; email: EmailChoice; label: string; description: string }>;
};

export type PreferencesPatch = {
  digest?: { daily?: boolean; weekly?: boolean };
  events?: Record<string, { inApp?: boolean; email?: EmailChoice }>;
};

export const notificationKeys = {
  /** Everything under this key refetches on the realtime `notification` event (lib/realtime.ts). */
  all: ["notifications"] as const,
  list: (params: NotificationListParams) => [...notificationKeys.all, params] as const,
  preferences: ["notification-preferences"] as const,
};

export const notificationsApi = {
  /** Newest first, with the caller's unread count. */
  list: (params: NotificationListParams, signal?: AbortSignal) =>
    api<NotificationPage>("/api/me/notifications", {
      query: {
        page: params.page,
        pageSize: params.pageSize,
        unread: params.unread || undefined,
        mentions: params.mentions || undefined,
      },
      signal,
    }),
  preferences: (signal?: AbortSignal) =>
    api<NotificationPreferences>("/api/me/notification-preferences", { signal }),
  /** Partial: what is absent stays as it is. */
  updatePreferences: (patch: PreferencesPatch) =>
    api<NotificationPreferences>("/api/me/notification-preferences", { method: "PUT", body: patch }),
  /** What an unsubscribe link stops, and stopping it (no sign-in: the token is the authority). */
  describeUnsubscribe: (token: string) =>
    api<{ kinds: { kind: string; label: string }[] }>("/api/notifications/unsubscribe", {
      query: { token },
      auth: false,
    }),
  unsubscribe: (token: string) =>
    api<{ kinds: { kind: string; label: string }[] }>("/api/notifications/unsubscribe", {
      method: "POST",
      body: { token },
      auth: false,
    }),
  /** `{ids}` or `{all: true}`. */
  markRead: (target: { ids: string[] } | { all: true }) =>
    api<{ updated: number; unread: number }>("/api/me/notifications/read", { method: "POST", body: target }),
};
