/**
 * /api/audit: the organization's append-only log (audit.view; project managers read their own
 * projects' entries). URLs and cache keys; a project's activity reads it in api/projects.ts.
 */
import { api, type Page } from "../lib/api";
import type { AuditEntry } from "../pages/projects/model";

/** The API's filters, as the audit page keeps them in its URL. */
export type AuditListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** Entries about this project: the project itself and its payments. */
  project?: string | undefined;
  actor?: string | undefined;
  /** An exact action, or a prefix such as `payment.*`. */
  action?: string | undefined;
  /** An ISO time: entries from then on. */
  since?: string | undefined;
};

export const auditKeys = {
  all: ["audit"] as const,
  list: (params: AuditListParams) => [...auditKeys.all, "list", params] as const,
};

export const auditApi = {
  list: (params: AuditListParams, signal?: AbortSignal) =>
    api<Page<AuditEntry>>("/api/audit", { query: params, signal }),
};
