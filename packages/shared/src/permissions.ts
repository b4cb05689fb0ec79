/**
 * The permission catalog: every codename the engine knows, grouped by area.
 * Roles are groups of these codenames, stored in the database; this file is
 * the source of truth for what exists and what the default roles grant.
 */
export const PERMISSIONS = {
  "developers.view": "See the developer directory (list and detail)",
  "members.view": "See the organization's members and roles",
  "members.manage": "Create members, deactivate them and change their roles",
  "roles.manage": "Create and edit roles and the permissions they grant",
  "profiles.view_any": "See every field of any member's profile",
  "profiles.change_any": "Edit any member's profile",
  "projects.view": "See projects (list and detail)",
  "projects.view_financials": "See cost, discount and payments of projects",
  "projects.add": "Create projects",
  "projects.change_own": "Edit projects the caller owns or manages",
  "projects.change_any": "Edit any project",
  "projects.delete": "Delete projects",
  "teams.manage": "Manage teams (own teams for managers)",
  "clients.view": "See clients",
  "clients.manage": "Create, edit and delete clients",
  "payments.add": "Record payments on projects",
  "payments.verify": "Approve or reject recorded payments",
  "tasks.view_all": "See all tasks of visible projects",
  "tasks.view_assigned": "See tasks assigned to the caller",
  "tasks.manage": "Create, edit, assign and delete tasks",
  "tasks.update_status": "Change the status of tasks assigned to the caller",
  "tasks.personal": "Keep personal to-do tasks without a project",
  "tasks.oversee": "See every task of the organization, personal ones included",
  "tickets.add": "Open support tickets",
  "tickets.manage": "Handle support tickets: status, assignment, internal notes, escalation",
  "tickets.configure": "Set the organization's SLA targets and business hours",
  "audit.view": "Read the audit log",
  "reports.view": "Download reports",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_CODENAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/**
 * The permissions a role may grant on the holder's own objects only (a grant of scope `own`, as
 * the default roles do: a project manager's audit log of their own projects), and what "own" means
 * for each, in the words of the role editor. The others are granted on everything or not at all:
 * their rules know no "own" (`projects.change_own` and `tasks.update_status` are about the
 * caller's objects whatever the scope).
 */
export const OWN_SCOPES = {
  "projects.view": "projects they own or manage",
  "projects.view_financials": "projects of the client they are the customer of",
  "clients.view": "clients they are the salesperson of",
  "teams.manage": "teams they manage",
  "tasks.view_all": "projects they own or manage",
  "tasks.manage": "projects they own or manage",
  "tickets.add": "projects of the client they are the customer of",
  "tickets.manage": "projects they own or manage",
  "audit.view": "projects they own or manage",
  "reports.view": "projects they own or manage",
} as const satisfies Partial<Record<Permission, string>>;

/** What "own" means for `permission`, or null when it cannot be granted on own objects only. */
export function ownScopeOf(permission: string): string | null {
  return (OWN_SCOPES as Partial<Record<string, string>>)[permission] ?? null;
}

/** The area of a codename, e.g. `projects` for `projects.add`. */
export function permissionArea(codename: Permission): string {
  return codename.slice(0, codename.indexOf("."));
}
