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
import { ApiError, api, errorMessage } from "../../lib/api";
import {
  PROJECT_MEMBER_ROLES,
  can,
  personLabel,
  projectKey,
  projectsKey,
  useDeveloperOptions,
  useMemberOptions,
  type ProjectDetail,
  type ProjectMember,
} from "./model";

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
  const fromMembers = access.can("members.view");
  const members = useMemberOptions(org.slug, manage && fromMembers);
  const developers = useDeveloperOptions(org.slug, manage && !fromMembers);
  const options = (fromMembers ? members.data : developers.data) ?? [];
  const candidates = options.filter(
    (person) => !project.members.some((member) => member.userId === person.id),
  );
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<ProjectMember["role"]>("member");
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: projectKey(project.id) });
    void queryClient.invalidateQueries({ queryKey: projectsKey });
  };

  const add = useMutation({
    mutationFn: () =>
      api<ProjectMember>(`/api/projects/${project.id}/members`, { method: "POST", body: { userId, role } }),
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
    mutationFn: (member: ProjectMember) =>
      api<void>(`/api/projects/${project.id}/members/${member.userId}`, { method: "DELETE" }),
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
          <label className="sr-only" htmlFor="project-member-person">
            Person to add
          </label>
          <Select
            id="project-member-person"
            value={userId}
            onChange={(event) => {
              setUserId(event.target.value);
              setError(null);
            }}
          >
            <option value="">Add a person…</option>
            {candidates.map((person) => (
              <option key={person.id} value={person.id}>
                {personLabel(person)}
              </option>
            ))}
          </Select>
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
