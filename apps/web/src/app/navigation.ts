import type { Permission } from "@cairn/shared";
import type { IconName } from "../components/ui/Icon";
import type { OrgPath } from "../router";

/**
 * The sidebar, declared: one entry per page of an organization, shown only when the caller holds
 * `permission` there (any of them, when a list). Add a page: add its route in router.tsx and a line
 * here. Buttons inside pages follow the same rule through `useOrg().access.can(...)`.
 */
export type NavItem = {
  label: string;
  to: OrgPath;
  icon: IconName;
  permission?: Permission | readonly Permission[];
  /** Active only on this exact path, not below it. */
  exact?: boolean;
};

export type NavSection = { label?: string; items: NavItem[] };

/** Anyone who has tasks of any kind: their own to-dos, assigned work, or a project's tasks. */
const TASK_VIEWERS: readonly Permission[] = [
  "tasks.personal",
  "tasks.view_assigned",
  "tasks.view_all",
  "tasks.oversee",
];

export const NAVIGATION: NavSection[] = [
  {
    items: [
      { label: "Dashboard", to: "/o/$org", icon: "home", exact: true },
      { label: "My work", to: "/o/$org/my-work", icon: "target", permission: TASK_VIEWERS },
    ],
  },
  {
    label: "Work",
    items: [
      { label: "Tasks", to: "/o/$org/tasks", icon: "tasks", permission: TASK_VIEWERS },
      { label: "Timesheet", to: "/o/$org/time", icon: "calendar", permission: TASK_VIEWERS },
      { label: "Projects", to: "/o/$org/projects", icon: "folder", permission: "projects.view" },
      { label: "Support", to: "/o/$org/tickets", icon: "mail", permission: ["tickets.add", "tickets.manage"] },
      { label: "Clients", to: "/o/$org/clients", icon: "briefcase", permission: "clients.view" },
      {
        label: "Payments",
        to: "/o/$org/payments",
        icon: "check",
        permission: ["payments.verify", "projects.view_financials"],
      },
      { label: "Teams", to: "/o/$org/teams", icon: "users", permission: ["teams.manage", "members.view"] },
    ],
  },
  {
    label: "Organization",
    items: [
      { label: "Developers", to: "/o/$org/developers", icon: "code", permission: "developers.view" },
      { label: "Members", to: "/o/$org/members", icon: "users", permission: "members.view" },
      { label: "Roles", to: "/o/$org/roles", icon: "shield", permission: "members.view" },
      { label: "Audit log", to: "/o/$org/audit", icon: "list", permission: "audit.view" },
      { label: "Settings", to: "/o/$org/settings", icon: "key", permission: "roles.manage", exact: true },
      { label: "Service levels", to: "/o/$org/settings/sla", icon: "target", permission: "tickets.configure" },
    ],
  },
];

/** Prominent actions at the top of the sidebar, with the same permission rule. */
export const PRIMARY_ACTIONS: NavItem[] = [
  { label: "New project", to: "/o/$org/projects/new", icon: "plus", permission: "projects.add" },
];

export function allowed(
  item: Pick<NavItem, "permission">,
  can: (permission: Permission) => boolean,
): boolean {
  if (!item.permission) return true;
  const needed: readonly Permission[] =
    typeof item.permission === "string" ? [item.permission] : item.permission;
  return needed.some(can);
}

/** The sections with only what the caller may open; empty sections disappear. */
export function visibleNavigation(can: (permission: Permission) => boolean): NavSection[] {
  return NAVIGATION.map((section) => ({
    ...section,
    items: section.items.filter((item) => allowed(item, can)),
  })).filter((section) => section.items.length > 0);
}
