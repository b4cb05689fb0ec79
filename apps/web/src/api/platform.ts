/**
 * /api/admin: the superuser's platform pages: the schedules the modules declare and the job
 * monitor. URLs, shapes and cache keys.
 */
import { api, type Page } from "../lib/api";

export type Schedule = {
  name: string;
  description: string;
  job: string;
  cron: string;
  /** "UTC", an IANA name, or "user": each user's own. */
  timezone: string;
  enabled: boolean;
  lastRunAt: string | null;
  lastStatus: "ok" | "failed" | null;
  lastError: string | null;
  nextRunAt: string | null;
  totalRuns: number;
  declared: { cron: string; timezone: string };
  editedAt: string | null;
};

export type SchedulePatch = { cron?: string; timezone?: string; enabled?: boolean };

export type SchedulePreview = { cron: string; timezone: string; zone: string; runs: string[] };

export type StateCounts = {
  queued: number;
  active: number;
  retry: number;
  completed: number;
  failed: number;
  cancelled: number;
};

export type ThroughputBucket = { at: string; completed: number; failed: number };

export type JobQueue = {
  name: string;
  counts: StateCounts;
  lastHourCompleted: number;
  lastHourFailed: number;
  lastHour: ThroughputBucket[];
};

export type JobWorker = {
  id: string;
  host: string;
  pid: number;
  queues: number;
  startedAt: string;
  lastSeenAt: string;
  alive: boolean;
};

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

export type Job = {
  id: string;
  queue: string;
  state: JobState;
  attempts: number;
  retryLimit: number;
  error: string | null;
  payload: unknown;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  startAfter: string;
};

export const platformKeys = {
  all: ["platform"] as const,
  schedules: () => [...platformKeys.all, "schedules"] as const,
  preview: (cron: string, timezone: string) => [...platformKeys.all, "preview", cron, timezone] as const,
  jobs: () => [...platformKeys.all, "jobs"] as const,
  failed: (queue: string | undefined, page: number) =>
    [...platformKeys.all, "failed", queue ?? "", page] as const,
  job: (id: string) => [...platformKeys.all, "job", id] as const,
};

export const platformApi = {
  schedules: (signal?: AbortSignal) => api<{ items: Schedule[] }>("/api/admin/schedules", { signal }),
  preview: (cron: string, timezone: string, signal?: AbortSignal) =>
    api<SchedulePreview>("/api/admin/schedules/preview", { query: { cron, timezone, count: 5 }, signal }),
  updateSchedule: (name: string, patch: SchedulePatch) =>
    api<Schedule>(`/api/admin/schedules/${encodeURIComponent(name)}`, { method: "PATCH", body: patch }),
  runSchedule: (name: string) =>
    api<{ name: string; queue: string; jobId: string | null }>(
      `/api/admin/schedules/${encodeURIComponent(name)}/run`,
      { method: "POST" },
    ),
  jobs: (signal?: AbortSignal) =>
    api<{ queues: JobQueue[]; workers: JobWorker[] }>("/api/admin/jobs", { signal }),
  failed: (queue: string | undefined, page: number, signal?: AbortSignal) =>
    api<Page<Job>>("/api/admin/jobs/failed", { query: { queue, page, pageSize: 20 }, signal }),
  job: (id: string, signal?: AbortSignal) =>
    api<Job>(`/api/admin/jobs/${encodeURIComponent(id)}`, { signal }),
  retry: (id: string) => api<Job>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`, { method: "POST" }),
  retryQueue: (queue: string) =>
    api<{ queue: string; retried: number }>("/api/admin/jobs/retry", { method: "POST", body: { queue } }),
  probe: (failFirst: boolean) =>
    api<{ queue: string; jobId: string | null }>("/api/admin/jobs/probe", {
      method: "POST",
      body: { failFirst },
    }),
  cancel: (id: string) => api<Job>(`/api/admin/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
};
