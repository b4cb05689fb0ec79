import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Button, buttonClass } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Icon } from "../../components/ui/Icon";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { memberPicker } from "../../api/members";
import { teamKeys, teamQuery, teamsApi, type Team } from "../../api/teams";
import { Loaded } from "../../components/Loaded";
import { AsyncCombobox } from "../../components/AsyncCombobox";
import { errorMessage } from "../../lib/api";
import { can } from "../projects/model";
import { TeamDialog } from "./TeamDialog";

const route = getRouteApi("/app/o/$org/teams/$teamId");

export function TeamDetailPage() {
  const { teamId } = route.useParams();
  return (
    <Loaded query={teamQuery(teamId)} what="team">
      {(data) => <TeamView team={data} />}
    </Loaded>
  );
}

function TeamView({ team }: { team: Team }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [userId, setUserId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const manage = can(team, "manageMembers");
  const saved = (next: Team) => {
    queryClient.setQueryData(teamKeys.detail(team.id), next);
    void queryClient.invalidateQueries({ queryKey: teamKeys.all });
  };

  const add = useMutation({
    mutationFn: () => teamsApi.addMember(team.id, userId),
    onSuccess: (next) => {
      toast.success("The member is added.");
      setUserId("");
      setError(null);
      saved(next);
    },
    onError: (failure) => setError(errorMessage(failure)),
  });
  const remove = useMutation({
    mutationFn: (memberId: string) => teamsApi.removeMember(team.id, memberId),
    onSuccess: () => {
      toast.success("The member is removed.");
      void queryClient.invalidateQueries({ queryKey: teamKeys.all });
    },
    onError: (failure) => toast.error(errorMessage(failure), "The member was not removed"),
  });
  const destroy = useMutation({
    mutationFn: () => teamsApi.remove(team.id),
    onSuccess: () => {
      toast.success(`${team.name} is deleted.`);
      void queryClient.invalidateQueries({ queryKey: teamKeys.all });
      void navigate({ to: "/o/$org/teams", params: { org: org.slug } });
    },
    onError: (failure) => toast.error(errorMessage(failure), "The team was not deleted"),
  });

  return (
    <>
      <PageHeader
        documentTitle={team.name}
        title={team.name}
        description={
          <>
            <Link to="/o/$org/teams" params={{ org: org.slug }} className="hover:underline">
              Teams
            </Link>
            {team.description ? ` · ${team.description}` : ""}
          </>
        }
        actions={
          <>
            {access.can("projects.view") ? (
              <Link
                to="/o/$org/projects"
                params={{ org: org.slug }}
                search={{ team: team.id }}
                className={buttonClass("secondary")}
              >
                <Icon name="folder" />
                Projects
              </Link>
            ) : null}
            {can(team, "update") ? (
              <Button icon="edit" onClick={() => setEditing(true)}>
                Edit
              </Button>
            ) : null}
            {can(team, "delete") ? (
              <Button
                variant="ghost"
                loading={destroy.isPending}
                onClick={() =>
                  void confirm({
                    title: `Delete ${team.name}?`,
                    body: "Its projects keep going without a team. This cannot be undone.",
                    confirmLabel: "Delete team",
                  }).then((ok) => ok && destroy.mutate())
                }
              >
                Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid max-w-4xl gap-4 md:grid-cols-[minmax(0,1fr)_16rem]">
        <Card title="Members" description={`${team.members.length} in this team`}>
          <ul className="-my-1 divide-y divide-zinc-100" aria-label="Team members">
            {team.members.map((member) => (
              <li key={member.userId} className="flex items-center gap-2.5 py-1.5">
                <Avatar name={member.username} seed={member.userId} size="sm" />
                <span className="min-w-0 flex-1 truncate text-sm text-zinc-900">@{member.username}</span>
                {manage ? (
                  <button
                    type="button"
                    className="rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-red-600"
                    aria-label={`Remove @${member.username}`}
                    onClick={() =>
                      void confirm({
                        title: `Remove @${member.username} from ${team.name}?`,
                        body: "They lose access to the team's team-only projects.",
                        confirmLabel: "Remove",
                      }).then((ok) => ok && remove.mutate(member.userId))
                    }
                  >
                    <Icon name="x" className="size-4" />
                  </button>
                ) : null}
              </li>
            ))}
            {team.members.length === 0 ? <li className="py-2 text-sm text-zinc-500">Nobody yet.</li> : null}
          </ul>
          {manage && access.can("members.view") ? (
            <form
              className="mt-3 flex gap-2 border-t border-zinc-100 pt-3"
              onSubmit={(event) => {
                event.preventDefault();
                if (userId) add.mutate();
                else setError("Choose a person to add.");
              }}
            >
              <AsyncCombobox
                label="Person to add"
                source={memberPicker(org.slug)}
                value={userId}
                onChange={(person) => {
                  setUserId(person?.id ?? "");
                  setError(null);
                }}
                exclude={team.members.map((member) => member.userId)}
                placeholder="Add a member…"
                className="min-w-0 flex-1"
              />
              <Button type="submit" loading={add.isPending}>
                Add
              </Button>
            </form>
          ) : null}
          {error ? (
            <Alert tone="error" className="mt-2">
              {error}
            </Alert>
          ) : null}
        </Card>
        <Card title="Manager">
          {team.manager ? (
            <div className="flex items-center gap-2.5">
              <Avatar name={team.manager.username} seed={team.manager.id} size="sm" />
              <span className="text-sm text-zinc-900">@{team.manager.username}</span>
            </div>
          ) : (
            <p className="text-sm text-zinc-500">No manager.</p>
          )}
        </Card>
      </div>
      <TeamDialog
        open={editing}
        team={team}
        onClose={() => setEditing(false)}
        onSaved={(next) => {
          toast.success(`${next.name} is saved.`);
          saved(next);
        }}
      />
    </>
  );
}
