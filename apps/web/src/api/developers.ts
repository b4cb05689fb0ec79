/** GET /api/developers and /api/developers/{userId}: URLs and cache keys of the developer directory. */
import { api, type Page } from "../lib/api";
import type { Developer, DeveloperDetail } from "../lib/types";
import { pagedPicker, personLabel } from "./picker";

export type DeveloperListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  verified?: "true" | "false" | undefined;
  project?: string | undefined;
  ordering?: string | undefined;
};

export const developerKeys = {
  /** Everything about the developers of `org`: invalidated after a role change. */
  all: (org: string) => ["orgs", org, "developers"] as const,
  list: (params: DeveloperListParams) => [...developerKeys.all(params.org), "list", params] as const,
  picker: (org: string) => [...developerKeys.all(org), "picker"] as const,
  detail: (userId: string) => ["developers", userId] as const,
};

export const developersApi = {
  list: (params: DeveloperListParams, signal?: AbortSignal) =>
    api<Page<Developer>>("/api/developers", { query: params, signal }),
  get: (userId: string, signal?: AbortSignal) =>
    api<DeveloperDetail>(`/api/developers/${encodeURIComponent(userId)}`, { signal }),
};

/** Developers of `org` (developers.view), searched by username or name. */
export const developerPicker = (org: string) =>
  pagedPicker({
    key: developerKeys.picker(org),
    list: (query, signal) => developersApi.list({ org, ...query }, signal),
    option: (developer: Developer) => ({ id: developer.id, label: personLabel(developer) }),
    get: developersApi.get,
  });
