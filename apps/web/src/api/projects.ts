/** /api/projects and /api/projects/{id}: URLs and cache keys of projects. */
import { api, type Page } from "../lib/api";
import type { Project, ProjectDetail } from "../pages/projects/model";
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
  detail: (id: string) => [...projectKeys.all, id] as const,
  picker: (org: string) => [...projectKeys.all, "picker", org] as const,
};

const projectPath = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

export const projectsApi = {
  list: (params: ProjectListParams, signal?: AbortSignal) =>
    api<Page<Project>>("/api/projects", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) => api<ProjectDetail>(projectPath(id), { signal }),
};

/** Projects the caller sees in `org`, searched by name. */
export const projectPicker = (org: string) =>
  pagedPicker({
    key: projectKeys.picker(org),
    list: (query, signal) => projectsApi.list({ org, ordering: "name", ...query }, signal),
    option: (project: Project) => ({ id: project.id, label: project.name, hint: project.key }),
    get: projectsApi.get,
  });
