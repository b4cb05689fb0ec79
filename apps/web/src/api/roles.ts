/** /api/orgs/{org}/roles and /api/permissions: URLs and cache keys of roles and the permission catalog. */
import type { DeveloperTrack } from "@cairn/shared";
import { api } from "../lib/api";
import type { PermissionInfo, Role } from "../lib/types";

export type RoleInput = {
  key?: string;
  name: string;
  description: string;
  permissions: string[];
  projectLimit: number | null;
  /** Custom roles only: default roles keep theirs. */
  developerTrack?: DeveloperTrack | null;
};

export const roleKeys = {
  /** The roles of `org`: invalidated after any change. */
  all: (org: string) => ["orgs", org, "roles"] as const,
  catalog: ["permissions"] as const,
};

const rolesPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}/roles`;

export const rolesApi = {
  list: (org: string, signal?: AbortSignal) => api<{ items: Role[] }>(rolesPath(org), { signal }),
  create: (org: string, body: RoleInput) => api<Role>(rolesPath(org), { method: "POST", body }),
  update: (org: string, key: string, body: RoleInput) =>
    api<Role>(`${rolesPath(org)}/${encodeURIComponent(key)}`, { method: "PATCH", body }),
  catalog: (signal?: AbortSignal) => api<{ items: PermissionInfo[] }>("/api/permissions", { signal }),
};
