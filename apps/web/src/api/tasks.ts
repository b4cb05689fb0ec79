/**
 * /api/tasks and what hangs off one task (moving it on the board, bulk edits, label suggestions,
 * the CSV report): URLs and cache keys. The shapes live in pages/tasks/model.ts.
 */
import type { bulkUpdateTasksInput, createTaskInput, moveTaskInput, updateTaskInput } from "@cairn/shared";
import type { z } from "zod";
import { api, withQuery, type Page } from "../lib/api";
import type { Task, TaskPriority, TaskStatus } from "../pages/tasks/model";
import { TASK_STATUSES } from "../pages/tasks/model";
import type { PickerSource } from "./picker";
import { pagedPicker, personLabel } from "./picker";

/** The filters of GET /api/tasks (API.md, "Tasks"); the CSV report takes the same. */
export type TaskFilters = {
  org?: string | undefined;
  project?: string | undefined;
  /** A user id, `me` or `none`. */
  assignee?: string | undefined;
  reporter?: string | undefined;
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority | undefined;
  label?: string | undefined;
  parent?: string | undefined;
  search?: string | undefined;
  dueBefore?: string | undefined;
  overdue?: "true" | "false" | undefined;
  updatedSince?: string | undefined;
  personal?: "true" | "false" | undefined;
};

export type TaskListParams = TaskFilters & {
  page?: number | undefined;
  pageSize?: number | undefined;
  ordering?: string | undefined;
};

/** The board of a project: its tasks by status column, each in board order. */
export type Board = { columns: Record<TaskStatus, Task[]>; totals: Record<TaskStatus, number> };

/** How many cards a column loads (the API's largest page). */
export const BOARD_COLUMN_SIZE = 100;

export const taskKeys = {
  /** Everything about tasks: lists, boards and details, refreshed after any change. */
  all: ["tasks"] as const,
  lists: () => [...taskKeys.all, "list"] as const,
  list: (params: TaskListParams) => [...taskKeys.lists(), params] as const,
  boards: () => [...taskKeys.all, "board"] as const,
  board: (projectId: string) => [...taskKeys.boards(), projectId] as const,
  details: () => [...taskKeys.all, "detail"] as const,
  detail: (id: string) => [...taskKeys.details(), id] as const,
  picker: (org: string) => [...taskKeys.all, "picker", org] as const,
  labels: (org: string) => [...taskKeys.all, "labels", org] as const,
};

const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

export const tasksApi = {
  list: (params: TaskListParams, signal?: AbortSignal) =>
    api<Page<Task>>("/api/tasks", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) => api<Task>(taskPath(id), { signal }),
  create: (body: z.input<typeof createTaskInput>) => api<Task>("/api/tasks", { method: "POST", body }),
  update: (id: string, body: z.input<typeof updateTaskInput>) =>
    api<Task>(taskPath(id), { method: "PATCH", body }),
  remove: (id: string) => api<void>(taskPath(id), { method: "DELETE" }),
  /** The board's drop: the status column and the card it now follows (`null`: the top). */
  move: (id: string, body: z.input<typeof moveTaskInput>) =>
    api<Task>(`${taskPath(id)}/move`, { method: "POST", body }),
  /** All or nothing: a refusal names the first task the caller may not change. */
  bulkUpdate: (body: z.input<typeof bulkUpdateTasksInput>) =>
    api<{ updated: number }>("/api/tasks/bulk", { method: "PATCH", body }),
  /** Labels used in the organization, for suggestions. */
  labels: (params: { org: string; search?: string | undefined }, signal?: AbortSignal) =>
    api<{ items: { name: string }[] }>("/api/tasks/labels", { query: params, signal }),
  /** Every status column of a project's board, in board order. */
  board: async (projectId: string, signal?: AbortSignal): Promise<Board> => {
    const pages = await Promise.all(
      TASK_STATUSES.map((status) =>
        tasksApi.list(
          { project: projectId, status: [status], ordering: "position", pageSize: BOARD_COLUMN_SIZE },
          signal,
        ),
      ),
    );
    const columns = {} as Board["columns"];
    const totals = {} as Board["totals"];
    TASK_STATUSES.forEach((status, index) => {
      columns[status] = pages[index]?.items ?? [];
      totals[status] = pages[index]?.total ?? 0;
    });
    return { columns, totals };
  },
  /** The CSV report of the tasks a list shows (its filters, no paging). */
  csvUrl: (filters: TaskFilters) => withQuery("/api/reports/tasks.csv", filters),
};

/** One task, for its page. */
export const taskQuery = (id: string) => ({
  queryKey: taskKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => tasksApi.get(id, signal),
});

/** Tasks the caller sees in `org`, searched by title or key (a parent task, a filter). */
export const taskPicker = (org: string) =>
  pagedPicker({
    key: taskKeys.picker(org),
    list: (query, signal) => tasksApi.list({ org, ordering: "-updatedAt", ...query }, signal),
    option: (task: Task) => ({ id: task.id, label: `${task.key} ${task.title}` }),
    get: tasksApi.get,
  });

/** Labels of `org`: the option's id is the label itself. */
export const labelPicker = (org: string): PickerSource => ({
  key: taskKeys.labels(org),
  search: async (text, signal) => {
    const { items } = await tasksApi.labels({ org, search: text.trim() || undefined }, signal);
    return { options: items.map((label) => ({ id: label.name, label: label.name })), total: items.length };
  },
  resolve: async (id) => ({ id, label: id }),
});

/** The "Me" and "Unassigned" choices of an assignee filter (`?assignee=me`, `?assignee=none`). */
export const ASSIGNEE_ME = { id: "me", label: "Me" } as const;
export const ASSIGNEE_NONE = { id: "none", label: "Unassigned" } as const;

/**
 * People a task can be given to, from `people` (the organization's members or developers,
 * whichever the caller may list), with `extra` choices first (Me, Unassigned) when a filter offers
 * them. A person from a link is named from one of their tasks, which the caller sees.
 */
export function assigneePicker(
  org: string,
  people: PickerSource | null,
  extra: readonly { id: string; label: string }[] = [],
): PickerSource {
  const matching = (text: string) =>
    extra.filter((option) => option.label.toLowerCase().includes(text.trim().toLowerCase()));
  return {
    key: [...taskKeys.all, "assignees", org, people?.key ?? null, extra.map((option) => option.id)],
    search: async (text, signal) => {
      const found = people ? await people.search(text, signal) : { options: [], total: 0 };
      const first = matching(text);
      return { options: [...first, ...found.options], total: found.total + first.length };
    },
    resolve: async (id, signal) => {
      const known = extra.find((option) => option.id === id);
      if (known) return known;
      const page = await tasksApi.list({ org, assignee: id, pageSize: 1 }, signal);
      const person = page.items[0]?.assignee;
      if (!person) throw new Error("Unknown person.");
      return { id, label: personName(person) };
    },
  };
}

/** "Ada Lovelace (@ada)", or "@ada" (the API's display name may be null). */
export const personName = (person: { username: string; displayName?: string | null | undefined }) =>
  personLabel({ username: person.username, displayName: person.displayName ?? undefined });
