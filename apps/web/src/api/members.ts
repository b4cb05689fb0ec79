/**
 * /api/orgs/{org}/members and /api/users/{userId}/profile: URLs and cache keys of an
 * organization's members and of any user's whole profile.
 */
import { api, type Page } from "../lib/api";
import type { Member, UserProfile } from "../lib/types";
import { pagedPicker, personLabel } from "./picker";

export type MemberListParams = {
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  role?: string | undefined;
  isActive?: boolean | undefined;
  ordering?: string | undefined;
};

export const memberKeys = {
  /** Everything about the members of `org`: invalidated after any change. */
  all: (org: string) => ["orgs", org, "members"] as const,
  list: (org: string, params: MemberListParams) => [...memberKeys.all(org), "list", params] as const,
  picker: (org: string, role: string | undefined) =>
    [...memberKeys.all(org), "picker", role ?? null] as const,
  profile: (userId: string) => ["users", userId, "profile"] as const,
};

const membersPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}/members`;

export const membersApi = {
  list: (org: string, params: MemberListParams, signal?: AbortSignal) =>
    api<Page<Member>>(membersPath(org), { query: params, signal }),
  add: (org: string, body: { email: string; username: string; roles: string[] }) =>
    api<Member>(membersPath(org), { method: "POST", body }),
  update: (org: string, userId: string, body: { roles?: string[]; isActive?: boolean }) =>
    api<Member>(`${membersPath(org)}/${encodeURIComponent(userId)}`, { method: "PATCH", body }),
  profile: (userId: string, signal?: AbortSignal) =>
    api<UserProfile>(`/api/users/${encodeURIComponent(userId)}/profile`, { signal }),
  updateProfile: (userId: string, body: Record<string, string | null>) =>
    api<UserProfile>(`/api/users/${encodeURIComponent(userId)}/profile`, { method: "PATCH", body }),
};

/** Active members of `org` (members.view), optionally holding `role`, searched by name or username. */
export const memberPicker = (org: string, role?: string) =>
  pagedPicker({
    key: memberKeys.picker(org, role),
    list: (query, signal) =>
      membersApi.list(org, { role, isActive: true, ordering: "username", ...query }, signal),
    option: (member: Member) => ({
      id: member.user.id,
      label: personLabel({ username: member.user.username, displayName: member.profile.displayName }),
    }),
  });
