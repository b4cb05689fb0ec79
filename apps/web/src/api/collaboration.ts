/**
 * What hangs off one task besides its fields (API.md "Tasks"): comments and mentions, the activity,
 * files and time entries; and the timesheet. URLs, cache keys and shapes. A task page's keys sit
 * under `["tasks", "collab", id]`, which lib/realtime.ts refetches on `task.updated` for that task.
 */
import type { CommentInput, TimeEntryInput, UpdateTimeEntryInput } from "@cairn/shared";
import { api, withQuery, type Page } from "../lib/api";

export type Person = { id: string; username: string };

export type TaskComment = {
  id: string;
  orgId: string;
  taskId: string;
  authorId: string | null;
  author: (Person & { displayName: string }) | null;
  /** The Markdown as written. */
  body: string;
  /** The body as safe HTML, made by @cairn/shared's renderMarkdown on the server. */
  bodyHtml: string;
  mentions: string[];
  mentioned: Person[];
  createdAt: string;
  editedAt: string | null;
  allowedActions: Array<"update" | "delete">;
};

export type ActivityItem =
  | {
      type: "event";
      id: string;
      createdAt: string;
      actor: Person | null;
      action: string;
      changes: Record<string, [unknown, unknown]>;
    }
  | { type: "comment"; id: string; createdAt: string; actor: Person | null; comment: TaskComment };

export type ActivityPage = Page<ActivityItem> & { people: Record<string, string> };

export type TaskFile = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  uploadedBy: Person | null;
  createdAt: string;
  downloadUrl: string;
  allowedActions: Array<"download" | "delete">;
};

export type TimeEntry = {
  id: string;
  orgId: string;
  taskId: string;
  userId: string;
  user: (Person & { displayName: string }) | null;
  minutes: number;
  spentOn: string;
  note: string;
  createdAt: string;
  updatedAt: string;
  task: {
    id: string;
    key: string;
    title: string;
    projectId: string | null;
    project: { id: string; key: string; name: string } | null;
  };
  allowedActions: Array<"update" | "delete">;
};

export type TimePage = Page<TimeEntry> & { totalMinutes: number };

/** The timesheet's filters (GET /api/time-entries and the CSV). */
export type TimeFilters = {
  org?: string | undefined;
  project?: string | undefined;
  /** A user id or `me`. */
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  task?: string | undefined;
};

export const collabKeys = {
  task: (taskId: string) => ["tasks", "collab", taskId] as const,
  comments: (taskId: string) => [...collabKeys.task(taskId), "comments"] as const,
  activity: (taskId: string) => [...collabKeys.task(taskId), "activity"] as const,
  files: (taskId: string) => [...collabKeys.task(taskId), "files"] as const,
  time: (taskId: string) => [...collabKeys.task(taskId), "time"] as const,
  mentionable: (taskId: string, search: string) =>
    [...collabKeys.task(taskId), "mentionable", search] as const,
  /** Every timesheet; refreshed after any time entry changes. */
  timesheets: ["time-entries"] as const,
  timesheet: (filters: TimeFilters & { page?: number; pageSize?: number }) =>
    [...collabKeys.timesheets, filters] as const,
};

const taskPath = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;

export const collabApi = {
  comments: (taskId: string, signal?: AbortSignal) =>
    api<Page<TaskComment>>(`${taskPath(taskId)}/comments`, { query: { pageSize: 100 }, signal }),
  addComment: (taskId: string, body: CommentInput) =>
    api<TaskComment>(`${taskPath(taskId)}/comments`, { method: "POST", body }),
  editComment: (commentId: string, body: CommentInput) =>
    api<TaskComment>(`/api/comments/${encodeURIComponent(commentId)}`, { method: "PATCH", body }),
  removeComment: (commentId: string) =>
    api<void>(`/api/comments/${encodeURIComponent(commentId)}`, { method: "DELETE" }),
  mentionable: (taskId: string, search: string, signal?: AbortSignal) =>
    api<{ items: Array<Person & { displayName: string }> }>(`${taskPath(taskId)}/mentionable`, {
      query: { search: search || undefined },
      signal,
    }),
  activity: (taskId: string, page: number, signal?: AbortSignal) =>
    api<ActivityPage>(`${taskPath(taskId)}/activity`, { query: { page, pageSize: 100 }, signal }),
  files: (taskId: string, signal?: AbortSignal) =>
    api<{ items: TaskFile[] }>(`${taskPath(taskId)}/attachments`, { signal }),
  filesPath: (taskId: string) => `${taskPath(taskId)}/attachments`,
  removeFile: (fileId: string) => api<void>(`/api/files/${encodeURIComponent(fileId)}`, { method: "DELETE" }),
  taskTime: (taskId: string, signal?: AbortSignal) =>
    api<TimePage>(`${taskPath(taskId)}/time-entries`, { query: { pageSize: 100 }, signal }),
  logTime: (taskId: string, body: TimeEntryInput) =>
    api<TimeEntry>(`${taskPath(taskId)}/time-entries`, { method: "POST", body }),
  editTime: (entryId: string, body: UpdateTimeEntryInput) =>
    api<TimeEntry>(`/api/time-entries/${encodeURIComponent(entryId)}`, { method: "PATCH", body }),
  removeTime: (entryId: string) =>
    api<void>(`/api/time-entries/${encodeURIComponent(entryId)}`, { method: "DELETE" }),
  timesheet: (params: TimeFilters & { page?: number; pageSize?: number }, signal?: AbortSignal) =>
    api<TimePage>("/api/time-entries", { query: params, signal }),
  timeCsvUrl: (filters: TimeFilters) => withQuery("/api/reports/time.csv", filters),
};
