import type { Permission } from "./permissions.js";

/** Keys of the roles every organization is created with. */
export const DEFAULT_ROLE_KEYS = [
  "admin",
  "project_manager",
  "salesperson",
  "verifier",
  "support",
  "verified_developer",
  "developer",
  "customer",
] as const;

export type DefaultRoleKey = (typeof DEFAULT_ROLE_KEYS)[number];

/**
 * Where a role stands on the developer track: holders of an `unverified` role
 * are developers on their way to verification (onboarding promotes them), holders
 * of a `verified` role are verified developers. A role attribute, like the project
 * limit: code asks the attribute, never a role's key.
 */
export const DEVELOPER_TRACKS = ["unverified", "verified"] as const;

export type DeveloperTrack = (typeof DEVELOPER_TRACKS)[number];

/**
 * A member's place on the developer track from the tracks of the roles they hold:
 * `verified` when any is (roles are a union), else `unverified` when any is, else null.
 */
export function memberTrack(tracks: Iterable<DeveloperTrack | null | undefined>): DeveloperTrack | null {
  let track: DeveloperTrack | null = null;
  for (const each of tracks) {
    if (each === "verified") return each;
    if (each === "unverified") track = each;
  }
  return track;
}

export type RoleDefinition = {
  key: DefaultRoleKey;
  name: string;
  description: string;
  permissions: readonly Permission[];
  /**
   * Codenames of `permissions` granted only on the holder's own objects
   * ("own projects", "own client's"): the grant's scope is `own`, not `all`.
   */
  ownScoped?: readonly Permission[];
  /** How many projects a holder may belong to; null means no limit. */
  projectLimit: number | null;
  /** The role's place on the developer track; absent for roles off it. */
  developerTrack?: DeveloperTrack;
};

/** How far a grant reaches: every object of the organization, or the holder's own. */
export type GrantScope = "all" | "own";

const everyone = ["developers.view", "projects.view", "tasks.personal"] as const satisfies readonly Permission[];
const staff = [...everyone, "members.view", "clients.view"] as const satisfies readonly Permission[];

/**
 * The default grants of DESIGN.md's permission matrix. Object rules ("own
 * projects", "assigned to the caller", "own client's") are applied by the
 * modules' policies on top of these codenames.
 */
export const DEFAULT_ROLES: readonly RoleDefinition[] = [
  {
    key: "admin",
    name: "Administrator",
    description: "Everything in the organization: members, roles, all projects, all profiles",
    projectLimit: null,
    permissions: [
      ...staff,
      "members.manage",
      "roles.manage",
      "profiles.view_any",
      "profiles.change_any",
      "projects.view_financials",
      "projects.add",
      "projects.change_own",
      "projects.change_any",
      "projects.delete",
      "teams.manage",
      "clients.manage",
      "payments.add",
      "payments.verify",
      "tasks.view_all",
      "tasks.view_assigned",
      "tasks.manage",
      "tasks.update_status",
      "tasks.oversee",
      "tickets.add",
      "tickets.manage",
      "tickets.configure",
      "audit.view",
      "reports.view",
    ],
  },
  {
    key: "project_manager",
    name: "Project manager",
    description: "Teams, projects, tasks and assignment; tracks progress",
    projectLimit: null,
    ownScoped: ["audit.view", "teams.manage", "tickets.manage"],
    permissions: [
      ...staff,
      "projects.view_financials",
      "projects.add",
      "projects.change_own",
      "teams.manage",
      "tasks.view_all",
      "tasks.view_assigned",
      "tasks.manage",
      "tasks.update_status",
      "tickets.add",
      "tickets.manage",
      "audit.view",
      "reports.view",
    ],
  },
  {
    key: "salesperson",
    name: "Salesperson",
    description: "Clients, creates projects with cost, discount and timeline, records payments",
    projectLimit: null,
    permissions: [
      ...staff,
      "projects.view_financials",
      "projects.add",
      "projects.change_own",
      "clients.manage",
      "payments.add",
    ],
  },
  {
    key: "verifier",
    name: "Verifier",
    description: "Confirms or rejects project payments",
    projectLimit: null,
    permissions: [...staff, "projects.view_financials", "payments.verify"],
  },
  {
    key: "support",
    name: "Support",
    description: "Tickets after delivery",
    projectLimit: null,
    permissions: [...staff, "tasks.view_all", "tickets.add", "tickets.manage"],
  },
  {
    key: "verified_developer",
    name: "Verified developer",
    description: "Creates projects, edits own projects, works tasks",
    projectLimit: null,
    developerTrack: "verified",
    ownScoped: ["tasks.view_all", "tasks.manage"],
    permissions: [
      ...everyone,
      "projects.add",
      "projects.change_own",
      "tasks.view_all",
      "tasks.view_assigned",
      "tasks.manage",
      "tasks.update_status",
    ],
  },
  {
    key: "developer",
    name: "Developer",
    description: "Sees developers and projects, edits nothing, at most one project; verifies to unlock more",
    projectLimit: 1,
    developerTrack: "unverified",
    permissions: [...everyone, "tasks.view_assigned", "tasks.update_status"],
  },
  {
    key: "customer",
    name: "Customer",
    description: "Follows projects: sees developers and projects",
    projectLimit: null,
    ownScoped: ["projects.view_financials", "tickets.add"],
    permissions: [...everyone, "projects.view_financials", "tickets.add"],
  },
];

export const ROLE_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
