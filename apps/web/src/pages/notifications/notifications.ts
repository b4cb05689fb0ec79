import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notificationKeys, notificationsApi, type NotificationListParams } from "../../api/notifications";
import { useSession } from "../../lib/me";

/** How many of the latest notifications the bell shows; its query also tells the unread count. */
export const LATEST = 8;

/** GET /api/me/notifications: newest first, with the caller's unread count. */
export function useNotifications(query: NotificationListParams) {
  const { status } = useSession();
  return useQuery({
    queryKey: notificationKeys.list(query),
    queryFn: ({ signal }) => notificationsApi.list(query, signal),
    enabled: status === "signedIn",
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** POST /api/me/notifications/read: `{ids}` or `{all: true}`. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: notificationsApi.markRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
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
