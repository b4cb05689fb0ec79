import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Icon } from "../../components/ui/Icon";
import { NoPermission } from "../../components/ui/NoPermission";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { groupByArea, rolesKey, usePermissionCatalog, useRoles } from "../../lib/roles";
import type { Role } from "../../lib/types";
import { RoleDialog, type RoleDialogMode } from "./RoleDialog";

export function RolesPage() {
  const { org, access } = useOrg();
  if (!access.can("members.view")) return <NoPermission permission="members.view" orgName={org.name} />;
  return <Roles />;
}

function Roles() {
  const { org, access } = useOrg();
  const roles = useRoles(org.slug);
  const catalog = usePermissionCatalog();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<{ mode: RoleDialogMode; role: Role | null } | null>(null);
  const canManage = access.can("roles.manage");

  const open = (role: Role) => setDialog({ mode: canManage && !role.isSystem ? "edit" : "view", role });

  return (
    <>
      <PageHeader
        title="Roles"
        description="Each role is a group of permissions; a member's permissions are the union of their roles."
        actions={
          canManage ? (
            <Button variant="primary" icon="plus" onClick={() => setDialog({ mode: "create", role: null })}>
              New role
            </Button>
          ) : null
        }
      />
      {roles.error ? (
        <Alert tone="error" title="The roles could not be loaded.">
          {errorMessage(roles.error)}
        </Alert>
      ) : null}
      <div className="space-y-4">
        <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" aria-label="Roles">
              <thead className="border-b border-zinc-200 bg-zinc-50/80 text-xs text-zinc-500">
                <tr>
                  <th scope="col" className="h-9 px-3 font-medium">
                    Role
                  </th>
                  <th scope="col" className="hidden h-9 px-3 font-medium md:table-cell">
                    Description
                  </th>
                  <th scope="col" className="h-9 px-3 font-medium whitespace-nowrap">
                    Permissions
                  </th>
                  <th scope="col" className="hidden h-9 px-3 font-medium whitespace-nowrap sm:table-cell">
                    Project limit
                  </th>
                  <th scope="col" className="h-9 px-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {roles.isLoading
                  ? Array.from({ length: 6 }, (_, index) => (
                      <tr key={index}>
                        <td className="h-12 px-3" colSpan={5}>
                          <Skeleton className="h-4 w-2/3" />
                        </td>
                      </tr>
                    ))
                  : roles.data?.map((role) => (
                      <tr key={role.key} className="hover:bg-zinc-50/70">
                        <td className="px-3 py-2">
                          <div className="flex items-center gap-2">
                            <span className="font-medium text-zinc-900">{role.name}</span>
                            {role.isSystem ? <Badge>System</Badge> : <Badge tone="blue">Custom</Badge>}
                          </div>
                          <code className="text-xs text-zinc-500">{role.key}</code>
                        </td>
                        <td className="hidden max-w-md px-3 py-2 text-zinc-600 md:table-cell">
                          {role.description || "—"}
                        </td>
                        <td className="px-3 py-2 text-zinc-600 tabular-nums">{role.permissions.length}</td>
                        <td className="hidden px-3 py-2 text-zinc-600 sm:table-cell">
                          {role.projectLimit ?? "No limit"}
                        </td>
                        <td className="px-3 py-2 text-right">
                          <Button
                            size="sm"
                            variant="ghost"
                            icon={canManage && !role.isSystem ? "edit" : undefined}
                            onClick={() => open(role)}
                          >
                            {canManage && !role.isSystem ? "Edit" : "View"}
                            <span className="sr-only"> {role.name}</span>
                          </Button>
                        </td>
                      </tr>
                    ))}
              </tbody>
            </table>
          </div>
        </div>
        <Card
          title="Permissions by role"
          description={
            canManage
              ? "System roles keep the default permissions; create a custom role for a different set."
              : "Read only: editing roles needs the roles.manage permission."
          }
        >
          {roles.data && catalog.data ? (
            <Matrix roles={roles.data} areas={groupByArea(catalog.data)} onOpen={open} />
          ) : (
            <Skeleton className="h-64 w-full" />
          )}
        </Card>
      </div>
      <RoleDialog
        mode={dialog?.mode ?? "view"}
        role={dialog?.role ?? null}
        open={dialog !== null}
        org={org}
        catalog={catalog.data ?? []}
        onClose={() => setDialog(null)}
        onSaved={(role, created) => {
          toast.success(created ? `The role ${role.name} is created.` : `The role ${role.name} is saved.`);
          void queryClient.invalidateQueries({ queryKey: rolesKey(org.slug) });
        }}
      />
    </>
  );
}

/** Rows are permissions grouped by area, columns are roles: who may do what, at a glance. */
function Matrix({
  roles,
  areas,
  onOpen,
}: {
  roles: Role[];
  areas: ReturnType<typeof groupByArea>;
  onOpen: (role: Role) => void;
}) {
  const grants = new Map(roles.map((role) => [role.key, new Set(role.permissions)]));
  const own = new Map(roles.map((role) => [role.key, new Set(role.ownScoped)]));
  return (
    <div className="-m-4 overflow-x-auto">
      <table className="w-full border-separate border-spacing-0 text-[13px]" aria-label="Permissions by role">
        <thead>
          <tr>
            <th
              scope="col"
              className="sticky left-0 z-10 min-w-56 border-b border-zinc-200 bg-white px-4 py-2 text-left text-xs font-medium text-zinc-500"
            >
              Permission
            </th>
            {roles.map((role) => (
              <th
                key={role.key}
                scope="col"
                className="min-w-22 border-b border-zinc-200 px-1.5 py-2 align-bottom"
              >
                <button
                  type="button"
                  onClick={() => onOpen(role)}
                  className="w-full rounded px-1 py-0.5 text-center text-xs leading-tight font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900"
                  title={role.description}
                >
                  {role.name}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => (
            <Fragment key={area.area}>
              <tr>
                <th
                  scope="colgroup"
                  colSpan={roles.length + 1}
                  className="sticky left-0 bg-zinc-50 px-4 py-1.5 text-left text-xs font-semibold tracking-wide text-zinc-600"
                >
                  {area.label}
                </th>
              </tr>
              {area.permissions.map((permission) => (
                <tr key={permission.codename} className="group">
                  <th
                    scope="row"
                    className="sticky left-0 z-10 border-b border-zinc-100 bg-white px-4 py-1.5 text-left font-normal group-hover:bg-zinc-50"
                  >
                    <span className="block text-zinc-800">{permission.description}</span>
                    <code className="text-[11px] text-zinc-400">{permission.codename}</code>
                  </th>
                  {roles.map((role) => {
                    const granted = grants.get(role.key)?.has(permission.codename) ?? false;
                    const ownOnly = own.get(role.key)?.has(permission.codename) ?? false;
                    return (
                      <td
                        key={role.key}
                        className="border-b border-zinc-100 px-1.5 py-1.5 text-center group-hover:bg-zinc-50"
                      >
                        {granted ? (
                          ownOnly ? (
                            <Badge tone="amber">own</Badge>
                          ) : (
                            <Icon name="check" className="mx-auto size-4 text-emerald-600" />
                          )
                        ) : (
                          <span className="text-zinc-300" aria-hidden="true">
                            ·
                          </span>
                        )}
                        <span className="sr-only">
                          {granted ? (ownOnly ? "granted on own objects" : "granted") : "not granted"}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
