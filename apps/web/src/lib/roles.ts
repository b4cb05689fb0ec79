import { DEFAULT_ROLES, PERMISSIONS, isPermission, permissionArea, type Permission } from "@cairn/shared";
import { useQuery } from "@tanstack/react-query";
import { roleKeys, rolesApi } from "../api/roles";
import type { PermissionInfo, Role } from "./types";

const defaultNames = new Map<string, string>(DEFAULT_ROLES.map((role) => [role.key, role.name]));

/** A role's display name: from the organization's roles when loaded, the default catalog, or its key. */
export function roleName(key: string, roles?: readonly Role[]): string {
  return (
    roles?.find((role) => role.key === key)?.name ??
    defaultNames.get(key) ??
    key.replace(/_/g, " ").replace(/^\w/, (letter) => letter.toUpperCase())
  );
}

/** GET /api/orgs/{org}/roles (members.view), shared by every page that shows roles. */
export const rolesQuery = (org: string) => ({
  queryKey: roleKeys.all(org),
  queryFn: ({ signal }: { signal: AbortSignal }) => rolesApi.list(org, signal),
  staleTime: 60_000,
});

export function useRoles(org: string, enabled = true) {
  return useQuery({ ...rolesQuery(org), select: (data) => data.items, enabled });
}

const catalogFallback: PermissionInfo[] = (Object.keys(PERMISSIONS) as Permission[]).map((codename) => ({
  codename,
  area: permissionArea(codename),
  description: PERMISSIONS[codename],
}));

/** GET /api/permissions, with the shared catalog shown until it answers. */
export function usePermissionCatalog() {
  return useQuery({
    queryKey: roleKeys.catalog,
    queryFn: ({ signal }) => rolesApi.catalog(signal),
    select: (data) => data.items,
    placeholderData: { items: catalogFallback },
    staleTime: Infinity,
  });
}

export type PermissionArea = { area: string; label: string; permissions: PermissionInfo[] };

const areaLabels: Record<string, string> = {
  developers: "Developers",
  members: "Members",
  roles: "Roles",
  profiles: "Profiles",
  projects: "Projects",
  teams: "Teams",
  clients: "Clients",
  payments: "Payments",
  tasks: "Tasks",
  tickets: "Tickets",
  audit: "Audit log",
  reports: "Reports",
};

export function areaLabel(area: string): string {
  return areaLabels[area] ?? area.replace(/^\w/, (letter) => letter.toUpperCase());
}

/** The catalog grouped by area, in catalog order. */
export function groupByArea(catalog: readonly PermissionInfo[]): PermissionArea[] {
  const areas = new Map<string, PermissionArea>();
  for (const item of catalog) {
    const area = areas.get(item.area) ?? { area: item.area, label: areaLabel(item.area), permissions: [] };
    area.permissions.push(item);
    areas.set(item.area, area);
  }
  return [...areas.values()];
}

/** The action part of a codename, readable: `view_financials` → "view financials". */
export function actionLabel(codename: string): string {
  return codename.slice(codename.indexOf(".") + 1).replace(/_/g, " ");
}

export function describePermission(codename: string): string {
  return isPermission(codename) ? PERMISSIONS[codename] : codename;
}
