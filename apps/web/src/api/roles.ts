/** /api/orgs/{org}/roles and /api/permissions: URLs and cache keys of roles and the permission catalog. */
import type { createRoleInput, updateRoleInput } from "@cairn/shared";
import type { z } from "zod";
import { api } from "../lib/api";
import type { PermissionInfo, Role } from "../lib/types";

export const roleKeys = {
  /** The roles of `org`: invalidated after any change. */
  all: (org: string) => ["orgs", org, "roles"] as const,
  catalog: ["permissions"] as const,
};

const rolesPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}/roles`;

export const rolesApi = {
  list: (org: string, signal?: AbortSignal) => api<{ items: Role[] }>(rolesPath(org), { signal }),
  create: (org: string, body: z.input<typeof createRoleInput>) =>
    api<Role>(rolesPath(org), { method: "POST", body }),
  update: (org: string, key: string, body: z.input<typeof updateRoleInput>) =>
    api<Role>(`${rolesPath(org)}/${encodeURIComponent(key)}`, { method: "PATCH", body }),
  catalog: (signal?: AbortSignal) => api<{ items: PermissionInfo[] }>("/api/permissions", { signal }),
};
