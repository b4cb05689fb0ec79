import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { io, type Socket } from "socket.io-client";
import type { ImportView } from "@cairn/shared";
import { collabKeys } from "../api/collaboration";
import { importKeys } from "../api/imports";
import { taskKeys } from "../api/tasks";
import { taskChanged, taskDeleted, tasksImported } from "../pages/tasks/cache";
import { lacksErrors, withPush } from "../pages/tasks/import/importWizard";
import type { Task } from "../pages/tasks/model";
import { meKey } from "./me";
import { session } from "./session";

/**
 * The realtime connection of a signed-in tab: Socket.IO under /ws, authenticated with the current
 * access token at every (re)connection. The server closes a socket when its token expires, so a
 * closed socket reconnects after refreshing. `me.updated` (roles or permissions changed) refetches
 * /api/me so navigation follows at once; `task.updated` and `task.deleted` move the cards of open
 * boards and refresh task lists and pages, so a board follows what others do without a reload.
 * `import.updated` moves the progress of an import wizard that shows it (which also polls, in case a
 * push is lost), and `tasks.imported` refreshes what shows the project's tasks.
 */
export function useRealtime(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    // Refused handshakes back off (1 s, 2 s, 4 s … 60 s) so a persistent refusal cannot spin.
    let refusals = 0;
    const socket: Socket = io({
      path: "/ws",
      transports: ["websocket"],
      auth: (callback) => callback({ token: session.accessToken ?? "" }),
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 15_000,
    });
    const reconnectSoon = (delay: number) => {
      if (retry) clearTimeout(retry);
      retry = setTimeout(() => {
        if (stopped) return;
        void session.ensureFresh().then(() => {
          if (!stopped && session.accessToken && !socket.connected) socket.connect();
        });
      }, delay);
    };
    socket.on("me.updated", () => {
      void queryClient.invalidateQueries({ queryKey: meKey });
      void queryClient.invalidateQueries({ queryKey: ["orgs"] });
    });
    socket.on("task.updated", (event: { id: string; projectId: string | null; task?: Task }) => {
      if (event.task) taskChanged(queryClient, event.task);
      else void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      // A comment, file or time entry of an open task page: its sections refetch (api/collaboration.ts).
      void queryClient.invalidateQueries({ queryKey: collabKeys.task(event.id) });
    });
    socket.on("task.deleted", (event: { id: string; projectId: string | null }) => {
      taskDeleted(queryClient, event.id, event.projectId);
    });
    socket.on("import.updated", (view: ImportView) => {
      const key = importKeys.detail(view.id);
      queryClient.setQueryData<ImportView>(key, (current) => withPush(current, view));
      const held = queryClient.getQueryData<ImportView>(key);
      if (held && lacksErrors(held)) void queryClient.invalidateQueries({ queryKey: key });
    });
    socket.on("tasks.imported", (event: { projectId: string }) =>
      tasksImported(queryClient, event.projectId),
    );
    socket.on("ticket.updated", () => {
      void queryClient.invalidateQueries({ queryKey: ["tickets"] });
    });
    socket.on("notification", () => {
      void queryClient.invalidateQueries({ queryKey: ["notifications"] });
    });
    socket.on("disconnect", (reason) => {
      // A disconnect the server chose (token expired, session revoked) is not retried by Socket.IO.
      if (reason === "io server disconnect") reconnectSoon(500);
    });
    let connectedBefore = false;
    socket.on("connect", () => {
      refusals = 0;
      // Events pushed while the connection was down are lost: what they would have changed is refetched.
      if (connectedBefore) void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      connectedBefore = true;
    });
    socket.on("connect_error", () => {
      // Refused handshake: most likely an expired token. Refresh (a revoked session signs out).
      if (socket.active) return;
      const delay = Math.min(60_000, 1_000 * 2 ** refusals++);
      void session.refresh().then((ok) => ok && reconnectSoon(delay));
    });
    // A new access token (refresh in this or another tab): use it for the next handshake.
    let token = session.accessToken;
    const unsubscribe = session.subscribe(() => {
      if (session.accessToken && session.accessToken !== token && !socket.connected) reconnectSoon(0);
      token = session.accessToken;
    });
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      unsubscribe();
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [enabled, queryClient]);
}
