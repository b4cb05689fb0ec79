import { getRouteApi } from "@tanstack/react-router";
import { DataTable, type Column } from "../../components/DataTable";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { EmptyState } from "../../components/ui/EmptyState";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { DEFAULT_PAGE_SIZE, compact, enumParam, pageParam, pageSizeParam } from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import type { Notification } from "../../lib/types";
import { useMarkRead, useNotifications, when } from "./notifications";

const SHOW = ["unread"] as const;

export type NotificationsSearch = { page?: number; pageSize?: number; show?: (typeof SHOW)[number] };

export function validateNotificationsSearch(raw: Record<string, unknown>): NotificationsSearch {
  return compact({
    page: pageParam(raw.page),
    pageSize: pageSizeParam(raw.pageSize),
    show: enumParam(raw.show, SHOW),
  });
}

const route = getRouteApi("/app/notifications");

/** /notifications: everything the bell shows, paginated, with an unread filter. */
export function NotificationsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const toast = useToast();
  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const list = useNotifications({ page, pageSize, unread: search.show === "unread" });
  const markRead = useMarkRead();
  const unread = list.data?.unread ?? 0;

  const update = listUpdater<NotificationsSearch>(navigate);

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
              {item.title}
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
    <>
      <PageHeader
        title="Notifications"
        description={unread ? `${unread} unread.` : "You are all caught up."}
        actions={
          <Button onClick={() => mark({ all: true })} disabled={!unread} loading={markRead.isPending}>
            Mark all read
          </Button>
        }
      />
      <div className="mb-3 flex items-center gap-1" role="group" aria-label="Show">
        {[
          { value: undefined, label: "All" },
          { value: "unread" as const, label: "Unread" },
        ].map((option) => (
          <Button
            key={option.label}
            size="sm"
            variant={search.show === option.value ? "secondary" : "ghost"}
            aria-pressed={search.show === option.value}
            onClick={() => update({ show: option.value })}
          >
            {option.label}
          </Button>
        ))}
      </div>
      <DataTable
        label="Notifications"
        columns={columns}
        rowKey={(item) => item.id}
        {...listTableProps(list, search, update)}
        empty={
          <EmptyState
            icon="check"
            title={search.show === "unread" ? "Nothing unread" : "No notifications yet"}
          >
            Role changes, verification and, later, assignments and comments show up here as they happen.
          </EmptyState>
        }
      />
    </>
  );
}
