import { TEAM_ORDERINGS } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { teamKeys, teamsApi, type Team } from "../../api/teams";
import { orgListQuery } from "../../api/lists";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { Avatar } from "../../components/ui/Avatar";
import { useToast } from "../../components/ui/Toast";
import { TeamDialog } from "./TeamDialog";

export const teamsList = defineOrgList({
  orderings: TEAM_ORDERINGS,
  query: orgListQuery(teamKeys.list, teamsApi.list),
  rowKey: (team: Team) => team.id,
  label: "Teams",
  description: ({ org }) => `Groups of people who work on projects together in ${org.name}.`,
  emptyHint: ({ access }) =>
    access.can("teams.manage")
      ? "Create a team, then give it projects visible to the team only."
      : "Teams you belong to appear here.",
  searchPlaceholder: "Search by name…",
  empty: { icon: "users", title: "No teams yet" },
  noMatch: { title: "No team matches", hint: "Try another name." },
});

/** Teams the caller sees: all of them for admins, else those they manage or belong to. */
export function TeamsPage() {
  const context = useOrg();
  const { org, access } = context;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const canCreate = access.can("teams.manage");

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
    <ListPage
      list={teamsList}
      context={context}
      columns={columns}
      action={canCreate ? { label: "New team", onClick: () => setCreating(true) } : undefined}
    >
      <TeamDialog
        open={creating}
        team={null}
        onClose={() => setCreating(false)}
        onSaved={(team) => {
          toast.success(`${team.name} is created.`);
          void queryClient.invalidateQueries({ queryKey: teamKeys.all });
        }}
      />
    </ListPage>
  );
}
