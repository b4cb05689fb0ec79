import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Select } from "../../components/ui/Field";
import { Icon } from "../../components/ui/Icon";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { developerPicker } from "../../api/developers";
import { memberPicker } from "../../api/members";
import { projectKeys, projectsApi } from "../../api/projects";
import { AsyncCombobox } from "../../components/AsyncCombobox";
import { ApiError, errorMessage } from "../../lib/api";
import { PROJECT_MEMBER_ROLES, can, type ProjectDetail, type ProjectMember } from "./model";

const ROLE_LABELS: Record<ProjectMember["role"], string> = {
  owner: "Owner",
  manager: "Manager",
  lead: "Lead",
  member: "Member",
  reviewer: "Reviewer",
};

/** The people on the project; add and remove when allowedActions include `manageMembers`. */
export function ProjectMembers({ project }: { project: ProjectDetail }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const manage = can(project, "manageMembers");
  // Pick from the organization's members when the caller may list them, else from the developers.
  const people = access.can("members.view") ? memberPicker(org.slug) : developerPicker(org.slug);
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<ProjectMember["role"]>("member");
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) });
    void queryClient.invalidateQueries({ queryKey: projectKeys.all });
  };

  const add = useMutation({
    mutationFn: () => projectsApi.addMember(project.id, { userId, role }),
    onSuccess: (member) => {
      toast.success(`@${member.username} is on ${project.name}.`);
      setUserId("");
      setError(null);
      refresh();
    },
    // A limit (409) or any refusal stays next to the form, where the person is looking.
    onError: (failure) =>
      setError(
        failure instanceof ApiError && failure.status === 409 ? failure.userMessage : errorMessage(failure),
      ),
  });

  const remove = useMutation({
    mutationFn: (member: ProjectMember) => projectsApi.removeMember(project.id, member.userId),
    onSuccess: (_, member) => {
      toast.success(`@${member.username} is off ${project.name}.`);
      refresh();
    },
    onError: (failure) => toast.error(errorMessage(failure), "The member was not removed"),
  });

  const askRemove = async (member: ProjectMember) => {
    const ok = await confirm({
      title: `Remove @${member.username} from ${project.name}?`,
      body: "They lose access to the project if it is visible to its team only. Their tasks stay.",
      confirmLabel: "Remove",
    });
    if (ok) remove.mutate(member);
  };

  return (
    <Card title="Members" description={`${project.members.length} on this project`}>
      <ul className="-my-1 divide-y divide-zinc-100" aria-label="Project members">
        {project.members.map((member) => {
          const name = member.displayName || member.username;
          return (
            <li key={member.userId} className="flex items-center gap-2.5 py-1.5">
              <Avatar name={name} seed={member.userId} size="sm" />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-zinc-900">{name}</p>
                <p className="truncate text-xs text-zinc-500">@{member.username}</p>
              </div>
              <Badge tone={member.role === "owner" ? "accent" : "neutral"}>{ROLE_LABELS[member.role]}</Badge>
              {manage && member.role !== "owner" ? (
                <button
                  type="button"
                  onClick={() => void askRemove(member)}
                  className="rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-red-600"
                  aria-label={`Remove @${member.username}`}
                >
                  <Icon name="x" className="size-4" />
                </button>
              ) : null}
            </li>
          );
        })}
        {project.members.length === 0 ? <li className="py-2 text-sm text-zinc-500">Nobody yet.</li> : null}
      </ul>
      {manage ? (
        <form
          className="mt-3 space-y-2 border-t border-zinc-100 pt-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (!userId) {
              setError("Choose a person to add.");
              return;
            }
            add.mutate();
          }}
        >
          {error ? <Alert tone="error">{error}</Alert> : null}
          <AsyncCombobox
            label="Person to add"
            source={people}
            value={userId}
            onChange={(person) => {
              setUserId(person?.id ?? "");
              setError(null);
            }}
            exclude={project.members.map((member) => member.userId)}
            placeholder="Add a person…"
          />
          <div className="flex gap-2">
            <label className="sr-only" htmlFor="project-member-role">
              Role on the project
            </label>
            <Select
              id="project-member-role"
              value={role}
              onChange={(event) => setRole(event.target.value as ProjectMember["role"])}
            >
              {PROJECT_MEMBER_ROLES.filter((key) => key !== "owner").map((key) => (
                <option key={key} value={key}>
                  {ROLE_LABELS[key]}
                </option>
              ))}
            </Select>
            <Button type="submit" loading={add.isPending}>
              Add
            </Button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}
