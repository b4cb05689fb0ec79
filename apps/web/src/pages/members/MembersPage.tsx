import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { EmptyState } from "../../components/ui/EmptyState";
import { FilterSelect } from "../../components/ui/FilterSelect";
import { Icon } from "../../components/ui/Icon";
import { Menu } from "../../components/ui/Menu";
import { NoPermission } from "../../components/ui/NoPermission";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api, errorMessage, type Page } from "../../lib/api";
import {
  DEFAULT_PAGE_SIZE,
  compact,
  enumParam,
  parseListSearch,
  stringParam,
  type ListSearch,
} from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import { meKey, useMe } from "../../lib/me";
import { roleName, useRoles } from "../../lib/roles";
import type { Member } from "../../lib/types";
import { AddMemberDialog, EditRolesDialog } from "./MemberDialogs";
import { MemberProfileDialog } from "./MemberProfileDialog";

const ORDERINGS = ["username", "displayName", "joinedAt"] as const;
const STATUSES = ["active", "inactive"] as const;

export type MembersSearch = ListSearch & { role?: string; status?: (typeof STATUSES)[number] };

export function validateMembersSearch(raw: Record<string, unknown>): MembersSearch {
  return compact({
    ...parseListSearch(raw, ORDERINGS),
    role: stringParam(raw.role, 40),
    status: enumParam(raw.status, STATUSES),
  });
}

const route = getRouteApi("/app/o/$org/members");

export const membersKey = (org: string) => ["orgs", org, "members"] as const;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function MembersPage() {
  const { org, access } = useOrg();
  if (!access.can("members.view")) return <NoPermission permission="members.view" orgName={org.name} />;
  return <Members />;
}

function Members() {
  const { org, access } = useOrg();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const me = useMe();
  const roles = useRoles(org.slug);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const canManage = access.can("members.manage");
  const canViewProfiles = access.can("profiles.view_any");
  const [viewing, setViewing] = useState<Member | null>(null);

  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = {
    page,
    pageSize,
    search: search.search,
    role: search.role,
    isActive: search.status === undefined ? undefined : search.status === "active",
    ordering: search.ordering,
  };
  const members = useQuery({
    queryKey: [...membersKey(org.slug), query],
    queryFn: ({ signal }) =>
      api<Page<Member>>(`/api/orgs/${encodeURIComponent(org.slug)}/members`, { query, signal }),
    placeholderData: keepPreviousData,
  });

  /** Filters reset to page 1; the page itself does not. */
  const update = listUpdater<MembersSearch>(navigate);

  const setActive = useMutation({
    mutationFn: ({ member, isActive }: { member: Member; isActive: boolean }) =>
      api<Member>(`/api/orgs/${encodeURIComponent(org.slug)}/members/${member.user.id}`, {
        method: "PATCH",
        body: { isActive },
      }),
    onSuccess: (member, { isActive }) => {
      toast.success(`${member.user.username} is ${isActive ? "active again" : "deactivated"}.`);
      void queryClient.invalidateQueries({ queryKey: membersKey(org.slug) });
    },
    onError: (error) => toast.error(errorMessage(error), "The member was not changed"),
  });

  /** developer ↔ verified_developer, keeping the member's other roles. */
  const changeVerification = useMutation({
    mutationFn: ({ member, promote }: { member: Member; promote: boolean }) => {
      const [from, to] = promote ? ["developer", "verified_developer"] : ["verified_developer", "developer"];
      const next = [...member.roles.filter((role) => role !== from && role !== to), to];
      return api<Member>(`/api/orgs/${encodeURIComponent(org.slug)}/members/${member.user.id}`, {
        method: "PATCH",
        body: { roles: next },
      });
    },
    onSuccess: (member, { promote }) => {
      toast.success(
        promote
          ? `${member.user.username} is now a verified developer.`
          : `${member.user.username} is a developer again.`,
      );
      void queryClient.invalidateQueries({ queryKey: membersKey(org.slug) });
      void queryClient.invalidateQueries({ queryKey: ["orgs", org.slug, "developers"] });
      if (member.user.id === me.data?.user.id) void queryClient.invalidateQueries({ queryKey: meKey });
    },
    onError: (error) => toast.error(errorMessage(error), "The roles were not changed"),
  });

  const confirmVerification = async (member: Member, promote: boolean) => {
    const ok = await confirm({
      title: promote
        ? `Promote ${member.user.username} to verified developer?`
        : `Demote ${member.user.username} to developer?`,
      body: promote
        ? "They can create projects and manage the tasks of their own projects at once, whether or not they finished their onboarding."
        : "They lose projects.add and the rights on their own projects at once, and can be on one project at most. Projects they created stay.",
      confirmLabel: promote ? "Promote" : "Demote",
      tone: promote ? "primary" : "danger",
    });
    if (ok) changeVerification.mutate({ member, promote });
  };

  const toggleActive = async (member: Member) => {
    const deactivate = member.isActive;
    const ok = await confirm({
      title: deactivate ? `Deactivate ${member.user.username}?` : `Reactivate ${member.user.username}?`,
      body: deactivate
        ? `They lose access to ${org.name} at once: every permission, project and task here. Their history stays. You can reactivate them later.`
        : `They regain access to ${org.name} with their roles: ${member.roles.map((role) => roleName(role, roles.data)).join(", ") || "none"}.`,
      confirmLabel: deactivate ? "Deactivate" : "Reactivate",
      tone: deactivate ? "danger" : "primary",
    });
    if (ok) setActive.mutate({ member, isActive: !deactivate });
  };

  const filtered = Boolean(search.search || search.role || search.status);

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
              <Badge key={role} tone={role === "admin" ? "accent" : "neutral"}>
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
      cell: (member) =>
        member.isActive && member.user.isActive ? (
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
  ];
  if (canManage || canViewProfiles) {
    columns.push({
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "w-12 text-right",
      cell: (member) => {
        const self = member.user.id === me.data?.user.id;
        return (
          <Menu
            label={`Actions for ${member.user.username}`}
            align="end"
            items={[
              ...(canViewProfiles
                ? [
                    {
                      key: "profile",
                      label: access.can("profiles.change_any") ? "View or edit profile…" : "View profile…",
                      icon: <Icon name="user" className="size-4 text-zinc-500" />,
                      onSelect: () => setViewing(member),
                    },
                  ]
                : []),
              ...(canManage
                ? [
                    {
                      key: "roles",
                      label: "Change roles…",
                      icon: <Icon name="shield" className="size-4 text-zinc-500" />,
                      onSelect: () => setEditing(member),
                    },
                  ]
                : []),
              ...(canManage && member.roles.includes("developer")
                ? [
                    {
                      key: "promote",
                      label: "Promote to verified developer…",
                      icon: <Icon name="arrowUp" className="size-4 text-zinc-500" />,
                      onSelect: () => void confirmVerification(member, true),
                    },
                  ]
                : []),
              ...(canManage && member.roles.includes("verified_developer")
                ? [
                    {
                      key: "demote",
                      label: "Demote to developer…",
                      icon: <Icon name="arrowDown" className="size-4 text-zinc-500" />,
                      onSelect: () => void confirmVerification(member, false),
                    },
                  ]
                : []),
              ...(self || !canManage
                ? []
                : [
                    {
                      key: "active",
                      label: member.isActive ? "Deactivate…" : "Reactivate…",
                      tone: member.isActive ? ("danger" as const) : undefined,
                      icon: <Icon name={member.isActive ? "lock" : "check"} className="size-4" />,
                      onSelect: () => void toggleActive(member),
                    },
                  ]),
            ]}
            trigger={
              <span className="inline-flex size-7 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-200/70">
                <Icon name="more" />
              </span>
            }
          />
        );
      },
    });
  }

  return (
    <>
      <PageHeader
        title="Members"
        description={`People in ${org.name} and their roles.`}
        actions={
          canManage ? (
            <Button variant="primary" icon="plus" onClick={() => setAdding(true)}>
              Add member
            </Button>
          ) : null
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search members"
          placeholder="Search by name, username or email…"
        />
        <FilterSelect
          label="Role"
          anyLabel="All roles"
          value={search.role}
          onChange={(role) => update({ role })}
          options={(roles.data ?? []).map((role) => ({ value: role.key, label: role.name }))}
        />
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          value={search.status}
          onChange={(value) => update({ status: enumParam(value, STATUSES) })}
          options={[
            { value: "active", label: "Active" },
            { value: "inactive", label: "Deactivated" },
          ]}
        />
        {filtered ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => update({ search: undefined, role: undefined, status: undefined })}
          >
            Clear filters
          </Button>
        ) : null}
      </div>
      <DataTable
        label="Members"
        columns={columns}
        rowKey={(member) => member.user.id}
        {...listTableProps(members, search, update)}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title="No member matches"
              action={
                <Button
                  size="sm"
                  onClick={() => update({ search: undefined, role: undefined, status: undefined })}
                >
                  Clear filters
                </Button>
              }
            >
              Try another name, or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState
              icon="users"
              title="No members yet"
              action={
                canManage ? (
                  <Button variant="primary" icon="plus" size="sm" onClick={() => setAdding(true)}>
                    Add member
                  </Button>
                ) : null
              }
            >
              {canManage
                ? "Add the first member: they receive an email to set their password."
                : "Nobody has joined yet."}
            </EmptyState>
          )
        }
      />
      <AddMemberDialog
        open={adding}
        onClose={() => setAdding(false)}
        org={org}
        roles={roles.data ?? []}
        onAdded={(member) => {
          toast.success(
            `${member.user.username} is added. They will receive an email to set their password.`,
          );
          void queryClient.invalidateQueries({ queryKey: membersKey(org.slug) });
        }}
      />
      <MemberProfileDialog
        member={viewing}
        canChange={access.can("profiles.change_any")}
        onClose={() => setViewing(null)}
        onSaved={(profile) => {
          toast.success(`The profile of ${profile.username} is saved.`);
          void queryClient.invalidateQueries({ queryKey: membersKey(org.slug) });
        }}
      />
      <EditRolesDialog
        member={editing}
        onClose={() => setEditing(null)}
        org={org}
        roles={roles.data ?? []}
        onSaved={(member) => {
          toast.success(`Roles of ${member.user.username} are saved.`);
          void queryClient.invalidateQueries({ queryKey: membersKey(org.slug) });
          if (member.user.id === me.data?.user.id) void queryClient.invalidateQueries({ queryKey: meKey });
        }}
      />
    </>
  );
}
