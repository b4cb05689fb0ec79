/**
 * The tasks in TanStack Query's cache, kept in step with what happens: a card moved on the board
 * (at once, before the server answers), a task changed or deleted by someone else (pushed over the
 * realtime connection). Pure functions for the board, then the cache-wide updates.
 */
import type { QueryClient } from "@tanstack/react-query";
import { taskKeys, type Board } from "../../api/tasks";
import { projectKeys } from "../../api/projects";
import type { Page } from "../../lib/api";
import { TASK_STATUSES, type Task, type TaskStatus } from "./model";

const byPosition = (a: Task, b: Task) => a.position - b.position;

/** The board without the card `id`. */
export function removeCard(board: Board, id: string): Board {
  const columns = { ...board.columns };
  const totals = { ...board.totals };
  for (const status of TASK_STATUSES) {
    const before = columns[status];
    const after = before.filter((card) => card.id !== id);
    if (after.length !== before.length) {
      columns[status] = after;
      totals[status] = Math.max(0, totals[status] - 1);
    }
  }
  return { columns, totals };
}

/**
 * The board with `task` in its status column at its position. A card already on the board keeps
 * its `allowedActions`: a pushed task may carry someone else's.
 */
export function placeCard(board: Board, task: Task): Board {
  const existing = TASK_STATUSES.flatMap((status) => board.columns[status]).find(
    (card) => card.id === task.id,
  );
  const card = existing ? { ...task, allowedActions: existing.allowedActions } : task;
  const without = removeCard(board, task.id);
  const column = [...without.columns[task.status], card].sort(byPosition);
  return {
    columns: { ...without.columns, [task.status]: column },
    totals: { ...without.totals, [task.status]: without.totals[task.status] + 1 },
  };
}

/**
 * Where a card lands when dropped in `status` after the card `afterId` (null: at the top): a
 * position between its neighbours, as the server will place it.
 */
export function positionAfter(column: readonly Task[], afterId: string | null, movingId: string): number {
  const others = column.filter((card) => card.id !== movingId);
  if (afterId === null) return (others[0]?.position ?? 1) - 1;
  const index = others.findIndex((card) => card.id === afterId);
  const after = others[index];
  if (!after) return (others.at(-1)?.position ?? 0) + 1;
  const next = others[index + 1];
  return next ? (after.position + next.position) / 2 : after.position + 1;
}

/** The board once the card `id` is dropped in `status` after `afterId`, as shown before the server answers. */
export function moveCard(board: Board, id: string, status: TaskStatus, afterId: string | null): Board {
  const card = TASK_STATUSES.flatMap((column) => board.columns[column]).find((item) => item.id === id);
  if (!card) return board;
  const position = positionAfter(board.columns[status], afterId, id);
  return placeCard(board, { ...card, status, position });
}

/** The card that `index` follows in `column` once the moving card is taken out: null for the top. */
export function afterIdAt(column: readonly Task[], index: number, movingId: string): string | null {
  const others = column.filter((card) => card.id !== movingId);
  return index <= 0 ? null : (others[Math.min(index, others.length) - 1]?.id ?? null);
}

const projectOfBoard = (key: readonly unknown[]) => key[key.length - 1];

/** A task changed (by this tab or pushed by the server): boards, the task's page and lists follow. */
export function taskChanged(queryClient: QueryClient, task: Task, { refetch = true } = {}) {
  for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: taskKeys.boards() })) {
    if (!board) continue;
    const here = projectOfBoard(key) === task.projectId;
    queryClient.setQueryData<Board>(key, here ? placeCard(board, task) : removeCard(board, task.id));
  }
  queryClient.setQueryData<Task>(taskKeys.detail(task.id), (current) =>
    current ? { ...task, allowedActions: current.allowedActions } : current,
  );
  // Rows change in place at once; what they hold for this caller (and what matches the filters) is refetched.
  queryClient.setQueriesData<Page<Task>>({ queryKey: taskKeys.lists() }, (page) =>
    page
      ? {
          ...page,
          items: page.items.map((row) =>
            row.id === task.id ? { ...task, allowedActions: row.allowedActions } : row,
          ),
        }
      : page,
  );
  if (refetch) {
    void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    void queryClient.invalidateQueries({ queryKey: taskKeys.detail(task.id) });
    void queryClient.invalidateQueries({ queryKey: taskKeys.boards() });
  }
  if (task.projectId)
    void queryClient.invalidateQueries({ queryKey: projectKeys.statistics(task.projectId) });
}

/** A task is gone: off every board and list; its page says so when it refetches. */
export function taskDeleted(queryClient: QueryClient, id: string, projectId: string | null) {
  for (const [key, board] of queryClient.getQueriesData<Board>({ queryKey: taskKeys.boards() })) {
    if (board) queryClient.setQueryData<Board>(key, removeCard(board, id));
  }
  void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
  void queryClient.invalidateQueries({ queryKey: taskKeys.detail(id) });
  if (projectId) void queryClient.invalidateQueries({ queryKey: projectKeys.statistics(projectId) });
}

/**
 * Tasks of `projectId` were added, changed or removed in bulk (a CSV import or its undo): every task
 * view on screen (lists, the board, task pages, label suggestions) is fetched again.
 */
export function tasksImported(queryClient: QueryClient, projectId: string) {
  void queryClient.invalidateQueries({ queryKey: taskKeys.all });
  void queryClient.invalidateQueries({ queryKey: projectKeys.statistics(projectId) });
}
