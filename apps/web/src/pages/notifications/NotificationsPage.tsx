import { Link } from "@tanstack/react-router";
import { notificationKeys, notificationsApi } from "../../api/notifications";
import type { Column } from "../../components/DataTable";
import { ListPage, defineList, type ListFilter } from "../../components/ListPage";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { param } from "../../lib/listSearch";
import type { Notification } from "../../lib/types";
import { LATEST, useMarkRead, useNotifications, when } from "./notifications";

const showSchema = param.oneOf(["unread", "mentions"]);

/** All, unread only or mentions of the caller, as toggle buttons. */
const show: ListFilter<typeof showSchema> = {
  schema: showSchema,
  Control: ({ value, onChange }) => (
    <div className="flex items-center gap-1" role="group" aria-label="Show">
      {[
        { value: undefined, label: "All" },
        { value: "unread" as const, label: "Unread" },
        { value: "mentions" as const, label: "Mentions" },
      ].map((option) => (
        <Button
          key={option.label}
          size="sm"
          variant={value === option.value ? "secondary" : "ghost"}
          aria-pressed={value === option.value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </Button>
      ))}
    </div>
  ),
};

export const notificationsList = defineList({
  orderings: [],
  filters: { show },
  query: ({ page, pageSize, show }) => {
    const query = { page, pageSize, unread: show === "unread", mentions: show === "mentions" };
    return {
      queryKey: notificationKeys.list(query),
      queryFn: ({ signal }) => notificationsApi.list(query, signal),
    };
  },
  rowKey: (item: Notification) => item.id,
  label: "Notifications",
  description: (unread: number) => (unread ? `${unread} unread.` : "You are all caught up."),
  emptyHint: () =>
    "Assignments, status changes, tickets, payments and role changes show up here as they happen.",
  empty: { icon: "check", title: "No notifications yet" },
  noMatch: { title: "Nothing here", hint: "Nothing unread, and no one mentioned you." },
});

/** /notifications: everything the bell shows, paginated, with an unread filter. */
export function NotificationsPage() {
  const toast = useToast();
  // The bell's query: the unread count without a request of its own.
  const unread = useNotifications({ pageSize: LATEST }).data?.unread ?? 0;
  const markRead = useMarkRead();

  const mark = (target: { ids: string[] } | { all: true }) =>
    markRead.mutate(target, { onError: (error) => toast.error(errorMessage(error), "Not marked as read") });

  const columns: Column<Notification>[] = [
    {
      key: "notification",
      header: "Notification",
      cell: (item) => (
        <div className="flex min-w-0 items-start gap-2.5 py-1">
          <span
            className={cn(
              "mt-1.5 size-2 shrink-0 rounded-full",
              item.readAt ? "bg-transparent" : "bg-accent-600",
            )}
            aria-hidden="true"
          />
          <div className="min-w-0">
            <p className={cn("text-zinc-900", !item.readAt && "font-semibold")}>
              {item.link ? (
                <Link
                  to={item.link}
                  className="hover:underline"
                  onClick={() => {
                    if (!item.readAt) mark({ ids: [item.id] });
                  }}
                >
                  {item.title}
                </Link>
              ) : (
                item.title
              )}
              {item.readAt ? null : <span className="sr-only"> (unread)</span>}
            </p>
            {item.body ? <p className="text-[13px] text-zinc-600">{item.body}</p> : null}
          </div>
        </div>
      ),
    },
    {
      key: "when",
      header: "When",
      className: "w-40",
      hideBelow: "sm",
      cell: (item) => {
        const time = when(item.createdAt);
        return (
          <time dateTime={item.createdAt} title={time.absolute} className="text-[13px] text-zinc-500">
            {time.relative}
          </time>
        );
      },
    },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "w-32 text-right",
      cell: (item) =>
        item.readAt ? null : (
          <Button size="sm" variant="ghost" onClick={() => mark({ ids: [item.id] })}>
            Mark read
          </Button>
        ),
    },
  ];

  return (
    <ListPage
      list={notificationsList}
      context={unread}
      columns={columns}
      headerActions={
        <>
          <Link
            to="/notifications/preferences"
            className="text-sm font-medium text-accent-700 hover:underline"
          >
            Preferences
          </Link>
          <Button onClick={() => mark({ all: true })} disabled={!unread} loading={markRead.isPending}>
            Mark all read
          </Button>
        </>
      }
    />
  );
}
