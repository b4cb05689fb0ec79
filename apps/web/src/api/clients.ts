/** GET/POST /api/clients, GET/PATCH/DELETE /api/clients/{id}: URLs and cache keys of clients. */
import type { createClientInput, updateClientInput } from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type { Client } from "../pages/projects/model";
import { pagedPicker } from "./picker";

export type { Client };

export type ClientListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  ordering?: string | undefined;
};

export const clientKeys = {
  /** Everything about clients: invalidated after any change. */
  all: ["clients"] as const,
  list: (params: ClientListParams) => [...clientKeys.all, "list", params] as const,
  detail: (id: string) => [...clientKeys.all, id] as const,
  picker: (org: string) => [...clientKeys.all, "picker", org] as const,
};

export const clientsApi = {
  list: (params: ClientListParams, signal?: AbortSignal) =>
    api<Page<Client>>("/api/clients", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) =>
    api<Client>(`/api/clients/${encodeURIComponent(id)}`, { signal }),
  create: (body: z.input<typeof createClientInput>) => api<Client>("/api/clients", { method: "POST", body }),
  update: (id: string, body: z.input<typeof updateClientInput>) =>
    api<Client>(`/api/clients/${encodeURIComponent(id)}`, { method: "PATCH", body }),
  remove: (id: string) => api<void>(`/api/clients/${encodeURIComponent(id)}`, { method: "DELETE" }),
};

/** One client, for its page. */
export const clientQuery = (id: string) => ({
  queryKey: clientKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => clientsApi.get(id, signal),
});

/** "Northwind — Northwind Traders": clients of the organization, searched by name or company. */
export const clientPicker = (org: string) =>
  pagedPicker({
    key: clientKeys.picker(org),
    list: (query, signal) => clientsApi.list({ org, ordering: "name", ...query }, signal),
    option: (client: Client) => ({
      id: client.id,
      label: client.company ? `${client.name} — ${client.company}` : client.name,
    }),
    get: clientsApi.get,
  });
