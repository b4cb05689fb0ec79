import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Avatar } from "../../components/ui/Avatar";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api, type Page } from "../../lib/api";
import { DEFAULT_PAGE_SIZE, compact, parseListSearch, type ListSearch } from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import { teamsKey, type Team } from "../projects/model";
import { TeamDialog } from "./TeamDialog";

const ORDERINGS = ["name", "createdAt"] as const;

export type TeamsSearch = ListSearch;

export function validateTeamsSearch(raw: Record<string, unknown>): TeamsSearch {
  return compact(parseListSearch(raw, ORDERINGS));
}

const route = getRouteApi("/app/o/$org/teams");

/** Teams the caller sees: all of them for admins, else those they manage or belong to. */
export function TeamsPage() {
  const { org, access } = useOrg();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const canCreate = access.can("teams.manage");

  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = { org: org.slug, page, pageSize, search: search.search, ordering: search.ordering };
  const teams = useQuery({
    queryKey: [...teamsKey, "list", query],
    queryFn: ({ signal }) => api<Page<Team>>("/api/teams", { query, signal }),
    placeholderData: keepPreviousData,
  });
  const update = listUpdater<TeamsSearch>(navigate);

  const columns: Column<Team>[] = [
    {
      key: "name",
      header: "Team",
      sortField: "name",
      cell: (team) => (
        <div className="min-w-0">
          <Link
            to="/o/$org/teams/$teamId"
            params={{ org: org.slug, teamId: team.id }}
            className="font-medium text-zinc-900 hover:text-accent-700 hover:underline"
          >
            {team.name}
          </Link>
          {team.description ? <p className="truncate text-xs text-zinc-500">{team.description}</p> : null}
        </div>
      ),
    },
    {
      key: "manager",
      header: "Manager",
      cell: (team) => (
        <span className="text-zinc-700">{team.manager ? `@${team.manager.username}` : "—"}</span>
      ),
    },
    {
      key: "members",
      header: "Members",
      hideBelow: "sm",
      cell: (team) => (
        <div className="flex items-center gap-2">
          <div className="flex -space-x-1.5">
            {team.members.slice(0, 5).map((member) => (
              <Avatar
                key={member.userId}
                name={member.username}
                seed={member.userId}
                size="xs"
                className="ring-2 ring-white"
              />
            ))}
          </div>
          <span className="text-zinc-600 tabular-nums">{team.members.length}</span>
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Teams"
        description={`Groups of people who work on projects together in ${org.name}.`}
        actions={
          canCreate ? (
            <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
              New team
            </Button>
          ) : null
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search teams"
          placeholder="Search by name…"
        />
      </div>
      <DataTable
        label="Teams"
        columns={columns}
        rowKey={(team) => team.id}
        {...listTableProps(teams, search, update)}
        empty={
          <EmptyState
            icon="users"
            title={search.search ? "No team matches" : "No teams yet"}
            action={
              canCreate && !search.search ? (
                <Button variant="primary" icon="plus" size="sm" onClick={() => setCreating(true)}>
                  New team
                </Button>
              ) : null
            }
          >
            {search.search
              ? "Try another name."
              : canCreate
                ? "Create a team, then give it projects visible to the team only."
                : "Teams you belong to appear here."}
          </EmptyState>
        }
      />
      <TeamDialog
        open={creating}
        team={null}
        onClose={() => setCreating(false)}
        onSaved={(team) => {
          toast.success(`${team.name} is created.`);
          void queryClient.invalidateQueries({ queryKey: teamsKey });
        }}
      />
    </>
  );
}
