/**
 * Shapes of the tasks API (apps/server/src/modules/tasks), their labels and colours. URLs and cache
 * keys live in api/tasks.ts; the enums and payload schemas are @cairn/shared's.
 */
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_STATUS_LABELS,
  type TaskPriority,
  type TaskStatus,
} from "@cairn/shared";
import type { BadgeTone } from "../../components/ui/Badge";

export { TASK_ORDERINGS, TASK_PRIORITIES, TASK_STATUSES, TASK_STATUS_LABELS } from "@cairn/shared";
export type { TaskPriority, TaskStatus };

/**
 * What the caller may do with a task: `update` every field (and assign), `changeStatus` its status
 * and board place only (an assignee holding tasks.update_status), `delete`.
 */
export type TaskAction = "update" | "changeStatus" | "delete";

export type Task = {
  id: string;
  orgId: string;
  projectId: string | null;
  /** "SHOP-12"; personal tasks "ME-3". */
  key: string;
  number: number;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeId: string | null;
  reporterId: string | null;
  parentId: string | null;
  labels: string[];
  /** Order within its status column on the board. */
  position: number;
  dueDate: string | null;
  estimateMinutes: number | null;
  loggedMinutes: number;
  blockedBy: string[];
  /** How many of the tasks it waits for are not done. */
  openBlockers: number;
  /** Not done and waiting for a task that is not done: it cannot move to done yet. */
  isBlocked: boolean;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  project: { id: string; key: string; name: string } | null;
  assignee: { id: string; username: string; displayName?: string | null } | null;
  reporter: { id: string; username: string } | null;
  parent: { id: string; key: string; title: string } | null;
  subtasks: { total: number; done: number };
  overdue: boolean;
  allowedActions: TaskAction[];
};

export const STATUS_LABELS: Readonly<Record<TaskStatus, string>> = TASK_STATUS_LABELS;

export const STATUS_TONES: Record<TaskStatus, BadgeTone> = {
  todo: "neutral",
  in_progress: "blue",
  done: "green",
};

/** The dot of a status, beside its name (never alone: the name says it too). */
export const STATUS_DOTS: Record<TaskStatus, string> = {
  todo: "bg-zinc-400",
  in_progress: "bg-sky-500",
  done: "bg-emerald-500",
};

export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

export const PRIORITY_TONES: Record<TaskPriority, BadgeTone> = {
  low: "neutral",
  medium: "blue",
  high: "amber",
  urgent: "red",
};

/** Bar colours of the statistics charts, per status and priority. */
export const STATUS_BARS: Record<TaskStatus, string> = {
  todo: "bg-zinc-400",
  in_progress: "bg-sky-500",
  done: "bg-emerald-500",
};

export const PRIORITY_BARS: Record<TaskPriority, string> = {
  low: "bg-zinc-400",
  medium: "bg-sky-500",
  high: "bg-amber-500",
  urgent: "bg-red-500",
};

export const statusOptions = TASK_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }));
export const priorityOptions = TASK_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }));

export const canTask = (task: Pick<Task, "allowedActions"> | undefined, action: TaskAction) =>
  task?.allowedActions.includes(action) ?? false;

/** Whether the caller may move the task on the board (its status and place). */
export const canMove = (task: Pick<Task, "allowedActions">) =>
  canTask(task, "changeStatus") || canTask(task, "update");

/** "2h 30m", "45m", "3h": minutes as people read a duration. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return "—";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** "90", "1h 30m", "1.5h", "2h", "45m" → minutes; null for empty; NaN for anything else. */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === "") return null;
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m)?$/.exec(value);
  if (!match || (match[1] === undefined && match[2] === undefined)) return Number.NaN;
  return Math.round(Number(match[1] ?? 0) * 60) + Number(match[2] ?? 0);
}

/** Today in the reader's calendar, `YYYY-MM-DD`. */
export function today(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** `days` after `date` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
