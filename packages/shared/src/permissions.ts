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
  "tickets.manage": "Handle support tickets",
  "audit.view": "Read the audit log",
  "reports.view": "Download reports",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_CODENAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

/** The area of a codename, e.g. `projects` for `projects.add`. */
export function permissionArea(codename: Permission): string {
  return codename.slice(0, codename.indexOf("."));
}
