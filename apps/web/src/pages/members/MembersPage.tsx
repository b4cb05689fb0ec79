import { MEMBER_ORDERINGS, MEMBER_STATES, type MemberState } from "@cairn/shared";
import { useState } from "react";
import { memberKeys, membersApi } from "../../api/members";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { choiceFilter, optionsFilter } from "../../components/listFilters";
import { actionsColumn } from "../../components/RowActions";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { requirePermission } from "../../components/ui/NoPermission";
import { useToast } from "../../components/ui/Toast";
import { roleName, useRoles } from "../../lib/roles";
import type { Member } from "../../lib/types";
import { AddMemberDialog, EditRolesDialog } from "./MemberDialogs";
import { MemberProfileDialog } from "./MemberProfileDialog";
import { useMemberActions } from "./useMemberActions";

/** The organization's roles, as the role filter's options. */
function useRoleOptions() {
  const { org } = useOrg();
  const roles = useRoles(org.slug);
  return (roles.data ?? []).map((role) => ({ value: role.key, label: role.name }));
}

const STATE_LABELS: Record<MemberState, string> = {
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

export const membersList = defineOrgList({
  orderings: MEMBER_ORDERINGS,
  filters: {
    role: optionsFilter({ label: "Role", anyLabel: "All roles", useOptions: useRoleOptions }),
    // The API's `state`: invited until the password is set, then active, or deactivated.
    state: choiceFilter({
      label: "Status",
      anyLabel: "Any status",
      values: MEMBER_STATES,
      labels: STATE_LABELS,
    }),
  },
  query: (params, { org }) => ({
    queryKey: memberKeys.list(org.slug, params),
    queryFn: ({ signal }) => membersApi.list(org.slug, params, signal),
  }),
  rowKey: (member: Member) => member.user.id,
  label: "Members",
  description: ({ org }) => `People in ${org.name} and their roles.`,
  emptyHint: ({ access }) =>
    access.can("members.manage")
      ? "Add the first member: they receive an email to set their password."
      : "Nobody has joined yet.",
  searchPlaceholder: "Search by name, username or email…",
  empty: { icon: "users", title: "No members yet" },
  noMatch: { title: "No member matches" },
});

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export const MembersPage = requirePermission("members.view", Members);

function Members() {
  const context = useOrg();
  const { org, access } = context;
  const toast = useToast();
  const roles = useRoles(org.slug);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [viewing, setViewing] = useState<Member | null>(null);
  const canManage = access.can("members.manage");
  // Roles that administer the organization stand out: those granting roles.manage, whatever their key.
  const administers = new Set(
    (roles.data ?? []).filter((role) => role.permissions.includes("roles.manage")).map((role) => role.key),
  );
  const { menuItems, changed } = useMemberActions({
    roles: roles.data,
    onViewProfile: setViewing,
    onEditRoles: setEditing,
  });

  const columns: Column<Member>[] = [
    {
      key: "member",
      header: "Member",
      sortField: "displayName",
      cell: (member) => {
        const name = member.profile.displayName || member.user.username;
        return (
          <div className="flex min-w-0 items-center gap-2.5">
            <Avatar name={name} src={member.profile.avatarUrl} seed={member.user.id} size="sm" />
            <div className="min-w-0">
              <p className="truncate font-medium text-zinc-900">{name}</p>
              <p className="truncate text-xs text-zinc-500">@{member.user.username}</p>
            </div>
          </div>
        );
      },
    },
    {
      key: "email",
      header: "Email",
      hideBelow: "lg",
      cell: (member) => <span className="text-zinc-600">{member.user.email ?? "—"}</span>,
    },
    {
      key: "roles",
      header: "Roles",
      cell: (member) => (
        <div className="flex flex-wrap gap-1">
          {member.roles.length ? (
            member.roles.map((role) => (
              <Badge key={role} tone={administers.has(role) ? "accent" : "neutral"}>
                {roleName(role, roles.data)}
              </Badge>
            ))
          ) : (
            <span className="text-zinc-400">No role</span>
          )}
        </div>
      ),
    },
    {
      key: "status",
      header: "Status",
      // The server's state: invited until the password is set, then active or deactivated.
      cell: (member) =>
        member.state === "invited" ? (
          <Badge tone="amber">Invited</Badge>
        ) : member.isActive && member.user.isActive ? (
          <Badge tone="green">Active</Badge>
        ) : (
          <Badge tone="red">Deactivated</Badge>
        ),
    },
    {
      key: "joinedAt",
      header: "Joined",
      sortField: "joinedAt",
      hideBelow: "md",
      cell: (member) => (
        <span className="text-zinc-600 tabular-nums">{dateFormat.format(new Date(member.joinedAt))}</span>
      ),
    },
    actionsColumn((member) => `Actions for ${member.user.username}`, menuItems),
  ];

  return (
    <ListPage
      list={membersList}
      context={context}
      columns={columns}
      action={canManage ? { label: "Add member", onClick: () => setAdding(true) } : undefined}
    >
      <AddMemberDialog
        open={adding}
        onClose={() => setAdding(false)}
        org={org}
        roles={roles.data ?? []}
        onAdded={(member) => {
          toast.success(
            `${member.user.username} is added. They will receive an email to set their password.`,
          );
          changed(member);
        }}
      />
      <MemberProfileDialog
        member={viewing}
        canChange={access.can("profiles.change_any")}
        onClose={() => setViewing(null)}
        onSaved={(profile) => {
          toast.success(`The profile of ${profile.username} is saved.`);
          if (viewing) changed(viewing);
        }}
      />
      <EditRolesDialog
        member={editing}
        onClose={() => setEditing(null)}
        org={org}
        roles={roles.data ?? []}
        onSaved={(member) => {
          toast.success(`Roles of ${member.user.username} are saved.`);
          changed(member);
        }}
      />
    </ListPage>
  );
}
