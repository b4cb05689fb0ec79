import type { DeveloperTrack, MemberState } from "@cairn/shared";

/**
 * Shapes the API answers with (API.md, "Shapes of the main objects"). Kept here until
 * `@cairn/shared` exports response schemas; request schemas come from there already.
 */

export type User = {
  id: string;
  email?: string;
  username: string;
  isActive: boolean;
  isSuperuser: boolean;
  createdAt: string;
};

export type Profile = {
  userId: string;
  displayName: string;
  bio: string;
  nationalId?: string | null;
  phone?: string | null;
  phoneVerified: boolean;
  dateOfBirth?: string | null;
  timezone: string;
  avatarUrl: string | null;
  completedAt: string | null;
};

export type OrgSummary = { id: string; slug: string; name: string };

export type Organization = OrgSummary & { openRegistration: boolean; createdAt: string };

export type Membership = {
  org: OrgSummary;
  roles: string[];
  permissions: string[];
  ownScoped?: string[];
  projectLimit?: number | null;
  /** The caller's place on the developer track here (from their roles' attribute); null off it. */
  developerTrack?: DeveloperTrack | null;
};

export type Onboarding = {
  profileComplete: boolean;
  phoneVerified: boolean;
  verified: boolean;
  missing?: string[];
  /** Holds a role on the developer track somewhere: the onboarding concerns the caller. */
  isDeveloper?: boolean;
};

export type Me = {
  user: User;
  profile: Profile;
  memberships: Membership[];
  onboarding: Onboarding;
};

export type Member = {
  user: { id: string; username: string; email?: string; isActive: boolean };
  profile: { displayName: string; avatarUrl: string | null };
  roles: string[];
  isActive: boolean;
  state?: MemberState;
  joinedAt: string;
  /** The member's place on the developer track (from their roles' attribute); null off it. */
  developerTrack?: DeveloperTrack | null;
  /** What the caller may do: update, changeRoles, deactivate, reactivate, resendInvitation, promote, demote. */
  allowedActions?: string[];
};

export type Role = {
  id?: string;
  key: string;
  name: string;
  description: string;
  isSystem: boolean;
  projectLimit: number | null;
  /** The role's place on the developer track; null off it. */
  developerTrack?: DeveloperTrack | null;
  permissions: string[];
  ownScoped: string[];
};

export type PermissionInfo = {
  codename: string;
  area: string;
  description: string;
  /** What a grant on own objects only covers ("projects they own or manage"); null: no such grant. */
  own?: string | null;
};

export type Session = { access: string; refresh: string; accessExpiresAt?: string; user: User };

/** GET /api/developers: a developer as the directory shows them (public fields only). */
export type Developer = {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  timezone: string;
  verified: boolean;
  roles: string[];
  projects: { id: string; name: string }[];
};

/** GET /api/developers/{userId}. */
export type DeveloperDetail = Developer & {
  phoneVerified: boolean;
  profileComplete: boolean;
  completedAt: string | null;
  /** Per organization: the roles, and whether one of them is on the verified step of the developer track. */
  orgs: (OrgSummary & { roles: string[]; verified?: boolean })[];
};

/** GET/PATCH /api/users/{userId}/profile (profiles.view_any / profiles.change_any). */
export type UserProfile = Profile & {
  username: string;
  onboarding: { profileComplete: boolean; phoneVerified: boolean; missing: string[] };
};

/** GET /api/me/notifications, and the realtime `notification` event. */
export type Notification = {
  id: string;
  orgId: string | null;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** The app's page of what it is about (`/o/acme/tasks/…`), when there is one. */
  link: string | null;
  readAt: string | null;
  createdAt: string;
};
