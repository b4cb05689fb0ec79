/**
 * /api/projects and what hangs off one project (status, members, payments, files, statistics,
 * activity): URLs and cache keys. The shapes live in pages/projects/model.ts.
 */
import type {
  AddProjectMemberInput,
  createPaymentInput,
  createProjectInput,
  updateProjectInput,
  verifyPaymentInput,
} from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type {
  AuditEntry,
  Payment,
  Project,
  ProjectDetail,
  ProjectFile,
  ProjectMember,
  ProjectStatistics,
  ProjectStatus,
} from "../pages/projects/model";
import { pagedPicker } from "./picker";

export type ProjectListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  status?: string | undefined;
  developer?: string | undefined;
  client?: string | undefined;
  team?: string | undefined;
  paymentStatus?: string | undefined;
  ordering?: string | undefined;
};

export const projectKeys = {
  /** Everything about projects: invalidated after any change. */
  all: ["projects"] as const,
  list: (params: ProjectListParams) => [...projectKeys.all, "list", params] as const,
  picker: (org: string) => [...projectKeys.all, "picker", org] as const,
  /** One project, and under it its payments, files, statistics and activity. */
  detail: (id: string) => [...projectKeys.all, id] as const,
  payments: (id: string) => [...projectKeys.detail(id), "payments"] as const,
  files: (id: string) => [...projectKeys.detail(id), "files"] as const,
  statistics: (id: string) => [...projectKeys.detail(id), "statistics"] as const,
  activity: (id: string) => [...projectKeys.detail(id), "activity"] as const,
};

const projectPath = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

export const projectsApi = {
  list: (params: ProjectListParams, signal?: AbortSignal) =>
    api<Page<Project>>("/api/projects", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) => api<ProjectDetail>(projectPath(id), { signal }),
  create: (body: z.input<typeof createProjectInput>) =>
    api<ProjectDetail>("/api/projects", { method: "POST", body }),
  update: (id: string, body: z.input<typeof updateProjectInput>) =>
    api<ProjectDetail>(projectPath(id), { method: "PATCH", body }),
  remove: (id: string) => api<void>(projectPath(id), { method: "DELETE" }),
  setStatus: (id: string, status: ProjectStatus) =>
    api<ProjectDetail>(`${projectPath(id)}/status`, { method: "PATCH", body: { status } }),
  statistics: (id: string, signal?: AbortSignal) =>
    api<ProjectStatistics>(`${projectPath(id)}/statistics`, { signal }),
  /** The project's story, newest first: its own audit entries and its payments'. */
  activity: (id: string, signal?: AbortSignal) =>
    api<Page<AuditEntry>>("/api/audit", { query: { project: id, pageSize: 50 }, signal }),
  addMember: (id: string, body: AddProjectMemberInput) =>
    api<ProjectMember>(`${projectPath(id)}/members`, { method: "POST", body }),
  removeMember: (id: string, userId: string) =>
    api<void>(`${projectPath(id)}/members/${encodeURIComponent(userId)}`, { method: "DELETE" }),
  payments: (id: string, signal?: AbortSignal) =>
    api<{ items: Payment[] }>(`${projectPath(id)}/payments`, { signal }),
  recordPayment: (id: string, body: z.input<typeof createPaymentInput>) =>
    api<Payment>(`${projectPath(id)}/payments`, { method: "POST", body }),
  verifyPayment: (paymentId: string, body: z.input<typeof verifyPaymentInput>) =>
    api<Payment>(`/api/payments/${encodeURIComponent(paymentId)}/verify`, { method: "POST", body }),
  /** Where a file is uploaded (with progress, pages/projects/download.ts). */
  filesPath: (id: string) => `${projectPath(id)}/files`,
  files: (id: string, signal?: AbortSignal) =>
    api<{ items: ProjectFile[] }>(`${projectPath(id)}/files`, { signal }),
  removeFile: (fileId: string) => api<void>(`/api/files/${encodeURIComponent(fileId)}`, { method: "DELETE" }),
};

/** One project, for the pages that show or edit it. */
export const projectQuery = (id: string) => ({
  queryKey: projectKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => projectsApi.get(id, signal),
});

/** Projects the caller sees in `org`, searched by name. */
export const projectPicker = (org: string) =>
  pagedPicker({
    key: projectKeys.picker(org),
    list: (query, signal) => projectsApi.list({ org, ordering: "name", ...query }, signal),
    option: (project: Project) => ({ id: project.id, label: project.name, hint: project.key }),
    get: projectsApi.get,
  });
