/** /api/orgs and /api/orgs/{org}: URLs and cache keys of organizations. */
import type { createOrganizationInput, updateOrganizationInput } from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type { Organization } from "../lib/types";

export type OrganizationListParams = {
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
};

export const organizationKeys = {
  /** Everything about organizations (the superuser's list, each one's settings). */
  all: ["orgs"] as const,
  list: (params: OrganizationListParams) => [...organizationKeys.all, "list", params] as const,
  detail: (org: string) => [...organizationKeys.all, org, "detail"] as const,
  /** Every organization, for the superuser's switcher (lib/me.ts). */
  everything: ["orgs", "all"] as const,
};

export const organizationQuery = (org: string) => ({
  queryKey: organizationKeys.detail(org),
  queryFn: ({ signal }: { signal: AbortSignal }) => organizationsApi.get(org, signal),
});

const orgPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}`;

export const organizationsApi = {
  list: (params: OrganizationListParams, signal?: AbortSignal) =>
    api<Page<Organization>>("/api/orgs", { query: params, signal }),
  get: (org: string, signal?: AbortSignal) => api<Organization>(orgPath(org), { signal }),
  create: (body: z.input<typeof createOrganizationInput>) =>
    api<Organization>("/api/orgs", { method: "POST", body }),
  update: (org: string, body: z.input<typeof updateOrganizationInput>) =>
    api<Organization>(orgPath(org), { method: "PATCH", body }),
};
