/**
 * /api/tickets, a ticket's conversation, files, escalation and linked task, and the organization's
 * service levels (/api/orgs/{org}/sla): URLs and cache keys. The shapes live in pages/tickets/model.ts.
 */
import type { createTicketInput, slaSettingsInput, ticketCommentInput, updateTicketInput } from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type { SlaSettings, Ticket, TicketComment, TicketFile } from "../pages/tickets/model";

/** The filters of GET /api/tickets (API.md, "Support tickets"). */
export type TicketListParams = {
  org?: string | undefined;
  project?: string | undefined;
  status?: string[] | undefined;
  severity?: string | undefined;
  /** A user id, `me` or `none`. */
  assignee?: string | undefined;
  sla?: string | undefined;
  task?: string | undefined;
  search?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
  ordering?: string | undefined;
};

export const ticketKeys = {
  all: ["tickets"] as const,
  list: (params: TicketListParams) => [...ticketKeys.all, "list", params] as const,
  detail: (id: string) => [...ticketKeys.all, "detail", id] as const,
  comments: (id: string) => [...ticketKeys.all, "comments", id] as const,
  files: (id: string) => [...ticketKeys.all, "files", id] as const,
  sla: (org: string) => ["sla", org] as const,
};

const ticketPath = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

export const ticketsApi = {
  list: (params: TicketListParams, signal?: AbortSignal) => api<Page<Ticket>>("/api/tickets", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) => api<Ticket>(ticketPath(id), { signal }),
  create: (body: z.input<typeof createTicketInput>) => api<Ticket>("/api/tickets", { method: "POST", body }),
  update: (id: string, body: z.input<typeof updateTicketInput>) => api<Ticket>(ticketPath(id), { method: "PATCH", body }),
  comments: (id: string, signal?: AbortSignal) => api<{ items: TicketComment[] }>(`${ticketPath(id)}/comments`, { signal }),
  comment: (id: string, body: z.input<typeof ticketCommentInput>) =>
    api<TicketComment>(`${ticketPath(id)}/comments`, { method: "POST", body }),
  escalate: (id: string) => api<Ticket>(`${ticketPath(id)}/escalate`, { method: "POST" }),
  makeTask: (id: string) => api<{ id: string; key: string }>(`${ticketPath(id)}/task`, { method: "POST" }),
  files: (id: string, signal?: AbortSignal) => api<{ items: TicketFile[] }>(`${ticketPath(id)}/attachments`, { signal }),
  /** Where a file is uploaded (multipart `file`, with progress: pages/projects/download.ts). */
  uploadUrl: (id: string) => `${ticketPath(id)}/attachments`,
  sla: (org: string, signal?: AbortSignal) => api<SlaSettings>(`/api/orgs/${encodeURIComponent(org)}/sla`, { signal }),
  saveSla: (org: string, body: z.input<typeof slaSettingsInput>) =>
    api<SlaSettings>(`/api/orgs/${encodeURIComponent(org)}/sla`, { method: "PUT", body }),
};

export const ticketQuery = (id: string) => ({
  queryKey: ticketKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => ticketsApi.get(id, signal),
});
