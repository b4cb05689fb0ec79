import type { DeveloperTrack, GrantScope, Permission } from "@cairn/shared";

/** What the caller holds in one organization: the union of their roles' grants. */
export type OrgAccess = {
  orgId: string;
  slug: string;
  name: string;
  openRegistration: boolean;
  /** ISO-8601, as it survives the principal cache. */
  createdAt: string;
  roles: string[];
  grants: Partial<Record<Permission, GrantScope>>;
  /** The smallest project limit among the member's roles that set one; null is no limit. */
  projectLimit: number | null;
  /**
   * Where the member stands on the developer track here, from their roles' attribute:
   * `verified` when a role they hold is, else `unverified` when one is, else null.
   */
  developerTrack: DeveloperTrack | null;
};

export type UserActor = {
  kind: "user";
  userId: string;
  username: string;
  isSuperuser: boolean;
  /** The refresh-token family the access token belongs to: one sign-in. */
  sessionId: string | null;
  orgs: OrgAccess[];
};

export type SystemActor = { kind: "system"; reason: string };
export type AnonymousActor = { kind: "anonymous" };
export type Actor = UserActor | SystemActor | AnonymousActor;

export const anonymous: AnonymousActor = { kind: "anonymous" };

export function systemActor(reason: string): SystemActor {
  return { kind: "system", reason };
}
