import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { roleKeys } from "../../api/roles";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { requirePermission } from "../../components/ui/NoPermission";
import { Card } from "../../components/ui/PageHeader";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { localPage } from "../../lib/listTable";
import { groupByArea, rolesQuery, usePermissionCatalog, useRoles } from "../../lib/roles";
import type { Role } from "../../lib/types";
import { RoleDialog, type RoleDialogMode } from "./RoleDialog";
import { RolesMatrix } from "./RolesMatrix";

/** The API answers an organization's roles whole; the list searches, sorts and pages them here. */
export const rolesList = defineOrgList({
  orderings: ["name", "permissions"],
  query: (params, { org }) => ({
    queryKey: [...roleKeys.all(org.slug), "list", params],
    queryFn: async ({ client }) =>
      localPage((await client.fetchQuery(rolesQuery(org.slug))).items, params, {
        text: (role: Role) => `${role.name} ${role.key} ${role.description}`,
        sort: { name: (role) => role.name, permissions: (role) => role.permissions.length },
      }),
  }),
  rowKey: (role: Role) => role.key,
  label: "Roles",
  description: () =>
    "Each role is a group of permissions; a member's permissions are the union of their roles.",
  searchPlaceholder: "Search by name or key…",
  empty: { icon: "shield", title: "No roles yet" },
  noMatch: { title: "No role matches", hint: "Try another name or key." },
});

export const RolesPage = requirePermission("members.view", Roles);

function Roles() {
  const context = useOrg();
  const { org, access } = context;
  const roles = useRoles(org.slug);
  const catalog = usePermissionCatalog();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<{ mode: RoleDialogMode; role: Role | null } | null>(null);
  const canManage = access.can("roles.manage");
  const editable = (role: Role) => canManage && !role.isSystem;
  const open = (role: Role) => setDialog({ mode: editable(role) ? "edit" : "view", role });

  const columns: Column<Role>[] = [
    {
      key: "name",
      header: "Role",
      sortField: "name",
      cell: (role) => (
        <>
          <div className="flex items-center gap-2">
            <span className="font-medium text-zinc-900">{role.name}</span>
            {role.isSystem ? <Badge>System</Badge> : <Badge tone="blue">Custom</Badge>}
          </div>
          <code className="text-xs text-zinc-500">{role.key}</code>
        </>
      ),
    },
    {
      key: "description",
      header: "Description",
      hideBelow: "md",
      className: "max-w-md text-zinc-600",
      cell: (role) => role.description || "—",
    },
    {
      key: "permissions",
      header: "Permissions",
      sortField: "permissions",
      className: "text-zinc-600 tabular-nums",
      cell: (role) => role.permissions.length,
    },
    {
      key: "projectLimit",
      header: "Project limit",
      hideBelow: "sm",
      className: "text-zinc-600",
      cell: (role) => role.projectLimit ?? "No limit",
    },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "text-right",
      cell: (role) => (
        <Button
          size="sm"
          variant="ghost"
          icon={editable(role) ? "edit" : undefined}
          onClick={() => open(role)}
        >
          {editable(role) ? "Edit" : "View"}
          <span className="sr-only"> {role.name}</span>
        </Button>
      ),
    },
  ];

  return (
    <ListPage
      list={rolesList}
      context={context}
      columns={columns}
      action={
        canManage
          ? { label: "New role", onClick: () => setDialog({ mode: "create", role: null }) }
          : undefined
      }
    >
      <Card
        className="mt-4"
        title="Permissions by role"
        description={
          canManage
            ? "System roles keep the default permissions; create a custom role for a different set."
            : "Read only: editing roles needs the roles.manage permission."
        }
      >
        {roles.data && catalog.data ? (
          <RolesMatrix roles={roles.data} areas={groupByArea(catalog.data)} onOpen={open} />
        ) : (
          <Skeleton className="h-64 w-full" />
        )}
      </Card>
      <RoleDialog
        mode={dialog?.mode ?? "view"}
        role={dialog?.role ?? null}
        open={dialog !== null}
        org={org}
        catalog={catalog.data ?? []}
        roles={roles.data}
        onClose={() => setDialog(null)}
        onSaved={(role, created) => {
          toast.success(created ? `The role ${role.name} is created.` : `The role ${role.name} is saved.`);
          void queryClient.invalidateQueries({ queryKey: roleKeys.all(org.slug) });
        }}
      />
    </ListPage>
  );
}
