import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../lib/api";
import { useSession } from "../../lib/me";
import type { Notification } from "../../lib/types";

/** Everything under this key refetches on the realtime `notification` event (lib/realtime.ts). */
export const notificationsKey = ["notifications"] as const;

export type NotificationPage = Page<Notification> & { unread: number };

/** GET /api/me/notifications: newest first, with the caller's unread count. */
export function useNotifications(query: { page?: number; pageSize?: number; unread?: boolean }) {
  const { status } = useSession();
  return useQuery({
    queryKey: [...notificationsKey, query],
    queryFn: ({ signal }) =>
      api<NotificationPage>("/api/me/notifications", {
        query: { page: query.page, pageSize: query.pageSize, unread: query.unread || undefined },
        signal,
      }),
    enabled: status === "signedIn",
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** POST /api/me/notifications/read: `{ids}` or `{all: true}`. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (target: { ids: string[] } | { all: true }) =>
      api<{ updated: number; unread: number }>("/api/me/notifications/read", {
        method: "POST",
        body: target,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "3 minutes ago", "yesterday"; the exact time for a title attribute. */
export function when(iso: string): { relative: string; absolute: string } {
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  let text = "just now";
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      text = relative.format(Math.round(seconds / size), unit);
      break;
    }
  }
  return { relative: text, absolute: absolute.format(date) };
}
