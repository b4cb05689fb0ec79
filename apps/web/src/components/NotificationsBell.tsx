import { Link, useNavigate } from "@tanstack/react-router";
import { useId, useRef, useState } from "react";
import { LATEST, useMarkRead, useNotifications, when } from "../pages/notifications/notifications";
import { cn } from "./ui/cn";
import { Icon } from "./ui/Icon";
import { useDismiss } from "./ui/useDismiss";
import { Skeleton } from "./ui/Skeleton";

/**
 * The bell in the top bar: the unread count, the latest notifications in a panel, mark one or all
 * read. Live: the realtime `notification` event refetches (lib/realtime.ts invalidates the key).
 */
export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const latest = useNotifications({ pageSize: LATEST });
  const markRead = useMarkRead();
  const navigate = useNavigate();
  const unread = latest.data?.unread ?? 0;
  const items = latest.data?.items ?? [];

  useDismiss(open, [panel, button], setOpen);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const label = unread ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((value) => !value)}
        className="relative flex size-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
      >
        <Icon name="bell" className="size-5" />
        {unread ? (
          <span
            className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] leading-none font-semibold text-white tabular-nums"
            aria-hidden="true"
            data-testid="notifications-unread"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          ref={panel}
          id={id}
          role="dialog"
          aria-label="Notifications"
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            }
          }}
          className="absolute right-0 z-40 mt-1 w-[min(24rem,calc(100vw-2rem))] overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between gap-2 border-b border-zinc-100 px-3 py-2">
            <h2 className="text-sm font-semibold text-zinc-900">Notifications</h2>
            <button
              type="button"
              className="rounded px-1.5 py-0.5 text-[13px] font-medium text-accent-700 hover:bg-accent-50 disabled:text-zinc-400 disabled:hover:bg-transparent"
              disabled={!unread || markRead.isPending}
              onClick={() => markRead.mutate({ all: true })}
              autoFocus
            >
              Mark all read
            </button>
          </div>
          <div className="max-h-96 overflow-y-auto" aria-live="polite">
            {latest.isLoading ? (
              <div className="space-y-2 p-3">
                <Skeleton className="h-4 w-3/4" />
                <Skeleton className="h-4 w-1/2" />
              </div>
            ) : items.length === 0 ? (
              <p className="px-3 py-8 text-center text-sm text-zinc-500">
                Nothing yet. Assignments, changes and mentions show up here.
              </p>
            ) : (
              <ul className="divide-y divide-zinc-100">
                {items.map((item) => {
                  const time = when(item.createdAt);
                  return (
                    <li key={item.id}>
                      <button
                        type="button"
                        onClick={() => {
                          if (!item.readAt) markRead.mutate({ ids: [item.id] });
                          if (item.link) {
                            setOpen(false);
                            void navigate({ to: item.link });
                          }
                        }}
                        className={cn(
                          "flex w-full items-start gap-2.5 px-3 py-2.5 text-left hover:bg-zinc-50 focus-visible:bg-zinc-50 focus-visible:outline-none",
                          !item.readAt && "bg-accent-50/40",
                        )}
                        aria-label={`${item.title}${item.readAt ? "" : " (unread, mark as read)"}`}
                      >
                        <span
                          className={cn(
                            "mt-1.5 size-2 shrink-0 rounded-full",
                            item.readAt ? "bg-transparent" : "bg-accent-600",
                          )}
                          aria-hidden="true"
                        />
                        <span className="min-w-0 flex-1">
                          <span
                            className={cn("block text-sm text-zinc-900", !item.readAt && "font-semibold")}
                          >
                            {item.title}
                          </span>
                          {item.body ? (
                            <span className="line-clamp-2 block text-[13px] text-zinc-600">{item.body}</span>
                          ) : null}
                          <time
                            dateTime={item.createdAt}
                            title={time.absolute}
                            className="text-xs text-zinc-400"
                          >
                            {time.relative}
                          </time>
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
          <div className="border-t border-zinc-100 px-3 py-2 text-center">
            <Link
              to="/notifications"
              onClick={() => setOpen(false)}
              className="text-[13px] font-medium text-zinc-700 hover:text-zinc-900 hover:underline"
            >
              See all notifications
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
