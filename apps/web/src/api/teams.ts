/** /api/teams and /api/teams/{id}[/members/{userId}]: URLs and cache keys of teams. */
import type { createTeamInput, updateTeamInput } from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type { Team } from "../pages/projects/model";
import { pagedPicker } from "./picker";

export type { Team };

export type TeamListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  ordering?: string | undefined;
};

export const teamKeys = {
  /** Everything about teams: invalidated after any change. */
  all: ["teams"] as const,
  list: (params: TeamListParams) => [...teamKeys.all, "list", params] as const,
  detail: (id: string) => [...teamKeys.all, id] as const,
  picker: (org: string) => [...teamKeys.all, "picker", org] as const,
};

const teamPath = (id: string) => `/api/teams/${encodeURIComponent(id)}`;

export const teamsApi = {
  list: (params: TeamListParams, signal?: AbortSignal) =>
    api<Page<Team>>("/api/teams", { query: params, signal }),
  get: (id: string, signal?: AbortSignal) => api<Team>(teamPath(id), { signal }),
  create: (body: z.input<typeof createTeamInput>) => api<Team>("/api/teams", { method: "POST", body }),
  update: (id: string, body: z.input<typeof updateTeamInput>) =>
    api<Team>(teamPath(id), { method: "PATCH", body }),
  remove: (id: string) => api<void>(teamPath(id), { method: "DELETE" }),
  addMember: (id: string, userId: string) =>
    api<Team>(`${teamPath(id)}/members/${encodeURIComponent(userId)}`, { method: "POST" }),
  removeMember: (id: string, userId: string) =>
    api<void>(`${teamPath(id)}/members/${encodeURIComponent(userId)}`, { method: "DELETE" }),
};

/** One team, for its page. */
export const teamQuery = (id: string) => ({
  queryKey: teamKeys.detail(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => teamsApi.get(id, signal),
});

/** Teams the caller sees, searched by name. */
export const teamPicker = (org: string) =>
  pagedPicker({
    key: teamKeys.picker(org),
    list: (query, signal) => teamsApi.list({ org, ordering: "name", ...query }, signal),
    option: (team: Team) => ({ id: team.id, label: team.name }),
    get: teamsApi.get,
  });
