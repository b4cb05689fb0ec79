/**
 * /api/orgs/{org}/members and /api/users/{userId}/profile: URLs and cache keys of an
 * organization's members and of any user's whole profile.
 */
import type { addMemberInput, MemberState, profilePatchInput, updateMemberInput } from "@cairn/shared";
import type { z } from "zod";
import { api, type Page } from "../lib/api";
import type { Member, UserProfile } from "../lib/types";
import { pagedPicker, personLabel } from "./picker";

export type MemberListParams = {
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  role?: string | undefined;
  /** Members holding this permission through one of their roles. */
  permission?: string | undefined;
  /** Members holding this permission through none of their roles. */
  withoutPermission?: string | undefined;
  isActive?: boolean | undefined;
  /** `invited` (no password set yet), `active` or `deactivated`. */
  state?: MemberState | undefined;
  ordering?: string | undefined;
};

/**
 * Which members a picker offers: those holding `permission` and not `withoutPermission`. People
 * are chosen for what they may do, never by a role's key, so custom roles count like default ones.
 */
export type MemberFilter = { permission?: string; withoutPermission?: string };

export const memberKeys = {
  /** Everything about the members of `org`: invalidated after any change. */
  all: (org: string) => ["orgs", org, "members"] as const,
  list: (org: string, params: MemberListParams) => [...memberKeys.all(org), "list", params] as const,
  picker: (org: string, filter: MemberFilter) => [...memberKeys.all(org), "picker", filter] as const,
  profile: (userId: string) => ["users", userId, "profile"] as const,
};

const membersPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}/members`;

export const membersApi = {
  list: (org: string, params: MemberListParams, signal?: AbortSignal) =>
    api<Page<Member>>(membersPath(org), { query: params, signal }),
  add: (org: string, body: z.input<typeof addMemberInput>) =>
    api<Member>(membersPath(org), { method: "POST", body }),
  update: (org: string, userId: string, body: z.input<typeof updateMemberInput>) =>
    api<Member>(`${membersPath(org)}/${encodeURIComponent(userId)}`, { method: "PATCH", body }),
  /** Promotes a developer to the verified step of the developer track, or demotes them (members.manage). */
  setVerification: (org: string, userId: string, verified: boolean) =>
    api<Member>(`${membersPath(org)}/${encodeURIComponent(userId)}/verification`, {
      method: "POST",
      body: { verified },
    }),
  /** The set-password email again, for a member who has not set a password yet. */
  resendInvitation: (org: string, userId: string) =>
    api<{ sent: true }>(`${membersPath(org)}/${encodeURIComponent(userId)}/invitation`, { method: "POST" }),
  profile: (userId: string, signal?: AbortSignal) =>
    api<UserProfile>(`/api/users/${encodeURIComponent(userId)}/profile`, { signal }),
  updateProfile: (userId: string, body: z.input<typeof profilePatchInput>) =>
    api<UserProfile>(`/api/users/${encodeURIComponent(userId)}/profile`, { method: "PATCH", body }),
};

/** Active members of `org` (members.view) matching `filter`, searched by name or username. */
export const memberPicker = (org: string, filter: MemberFilter = {}) =>
  pagedPicker({
    key: memberKeys.picker(org, filter),
    list: (query, signal) =>
      membersApi.list(org, { ...filter, isActive: true, ordering: "username", ...query }, signal),
    option: (member: Member) => ({
      id: member.user.id,
      label: personLabel({ username: member.user.username, displayName: member.profile.displayName }),
    }),
  });

/**
 * Who may be a client's customer account: someone of the client's side, told apart by
 * permissions rather than by the `customer` key. No permission belongs to customers alone, so
 * the pair says it: they may file tickets (tickets.add, which developers lack) yet do not see
 * the organization's members (members.view, which all staff hold). A custom role for clients
 * qualifies the same way.
 */
export const customerPicker = (org: string) =>
  memberPicker(org, { permission: "tickets.add", withoutPermission: "members.view" });
