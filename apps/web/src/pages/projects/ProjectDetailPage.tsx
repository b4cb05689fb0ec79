import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useOrg } from "../../app/org";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClass } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Icon } from "../../components/ui/Icon";
import { Menu } from "../../components/ui/Menu";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { projectKeys, projectQuery, projectsApi } from "../../api/projects";
import { Loaded } from "../../components/Loaded";
import { errorMessage } from "../../lib/api";
import { ProjectActivity } from "./ProjectActivity";
import { ProjectFiles } from "./ProjectFiles";
import { ProjectMembers } from "./ProjectMembers";
import { ProjectPayments } from "./ProjectPayments";
import { ProjectStatisticsCard } from "./ProjectStatistics";
import { ProjectCrumbs, ProjectTabs, ProjectTitle } from "./ProjectTabs";
import {
  PAYMENT_STATUS_LABELS,
  PAYMENT_STATUS_TONES,
  PRIORITY_LABELS,
  PRIORITY_TONES,
  STATUS_LABELS,
  can,
  formatDate,
  formatMoney,
  type ProjectDetail,
  type ProjectStatus,
} from "./model";

const route = getRouteApi("/app/o/$org/projects/$projectId");

export function ProjectDetailPage() {
  const { projectId } = route.useParams();
  return (
    <Loaded query={projectQuery(projectId)} what="project">
      {(data) => <Project project={data} />}
    </Loaded>
  );
}

function Project({ project }: { project: ProjectDetail }) {
  const { org } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const navigate = useNavigate();

  const setStatus = useMutation({
    mutationFn: (status: ProjectStatus) => projectsApi.setStatus(project.id, status),
    onSuccess: (saved) => {
      queryClient.setQueryData(projectKeys.detail(project.id), saved);
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
      toast.success(`${saved.name} is now ${STATUS_LABELS[saved.status].toLowerCase()}.`);
    },
    onError: (error) => toast.error(errorMessage(error), "The status was not changed"),
  });

  const remove = useMutation({
    mutationFn: () => projectsApi.remove(project.id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(project.id) });
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
      toast.success(`${project.name} is deleted.`);
      void navigate({ to: "/o/$org/projects", params: { org: org.slug } });
    },
    onError: (error) => toast.error(errorMessage(error), "The project was not deleted"),
  });

  const changeStatus = async (status: ProjectStatus) => {
    const final = status === "cancelled" || status === "completed";
    if (final) {
      const ok = await confirm({
        title: `Mark ${project.name} as ${STATUS_LABELS[status].toLowerCase()}?`,
        body:
          status === "cancelled"
            ? "A cancelled project cannot be reopened."
            : "A completed project moves out of active work.",
        confirmLabel: `Mark ${STATUS_LABELS[status].toLowerCase()}`,
        tone: status === "cancelled" ? "danger" : "primary",
      });
      if (!ok) return;
    }
    setStatus.mutate(status);
  };

  const askDelete = async () => {
    const ok = await confirm({
      title: `Delete ${project.name}?`,
      body: "Its members, payments and files are deleted with it. This cannot be undone.",
      confirmLabel: "Delete project",
    });
    if (ok) remove.mutate();
  };

  const financials = can(project, "viewFinancials") && project.cost !== undefined;

  return (
    <>
      <PageHeader
        documentTitle={project.name}
        title={<ProjectTitle project={project} />}
        description={<ProjectCrumbs project={project} />}
        actions={
          <>
            {project.statusTransitions.length > 0 ? (
              <Menu
                label="Change status"
                align="end"
                items={project.statusTransitions.map((status) => ({
                  key: status,
                  label: `Mark ${STATUS_LABELS[status].toLowerCase()}`,
                  tone: status === "cancelled" ? ("danger" as const) : undefined,
                  onSelect: () => void changeStatus(status),
                }))}
                trigger={
                  <span className={buttonClass("secondary")} aria-hidden="true">
                    Status
                    <Icon name="chevronDown" />
                  </span>
                }
              />
            ) : null}
            {can(project, "update") ? (
              <Link
                to="/o/$org/projects/$projectId/edit"
                params={{ org: org.slug, projectId: project.id }}
                className={buttonClass("secondary")}
              >
                <Icon name="edit" />
                Edit
              </Link>
            ) : null}
            {can(project, "delete") ? (
              <Button variant="ghost" onClick={() => void askDelete()} loading={remove.isPending}>
                Delete
              </Button>
            ) : null}
          </>
        }
      />
      <ProjectTabs project={project} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-4">
          <Card title="Overview">
            {project.description ? (
              <p className="mb-4 text-sm whitespace-pre-line text-zinc-700">{project.description}</p>
            ) : null}
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
              <Fact label="Priority">
                <Badge tone={PRIORITY_TONES[project.priority]}>{PRIORITY_LABELS[project.priority]}</Badge>
              </Fact>
              <Fact label="Client">
                {project.client && can(project, "viewClient") ? (
                  <Link
                    to="/o/$org/clients"
                    params={{ org: org.slug }}
                    search={{ search: project.client.name }}
                    className="text-accent-700 hover:underline"
                  >
                    {project.client.name}
                  </Link>
                ) : (
                  (project.client?.name ?? "—")
                )}
              </Fact>
              <Fact label="Team">
                {/* Linked only for those who may open the team: for anyone else the page would be a 404. */}
                {project.team && can(project, "viewTeam") ? (
                  <Link
                    to="/o/$org/teams/$teamId"
                    params={{ org: org.slug, teamId: project.team.id }}
                    className="text-accent-700 hover:underline"
                  >
                    {project.team.name}
                  </Link>
                ) : (
                  (project.team?.name ?? "—")
                )}
              </Fact>
              <Fact label="Owner">{project.owner ? `@${project.owner.username}` : "—"}</Fact>
              <Fact label="Manager">{project.manager ? `@${project.manager.username}` : "—"}</Fact>
              <Fact label="Visibility">{project.visibility === "team" ? "Team only" : "Organization"}</Fact>
              <Fact label="Start">{formatDate(project.startDate)}</Fact>
              <Fact label="Due">{formatDate(project.dueDate)}</Fact>
              <Fact label="Created">{formatDate(project.createdAt)}</Fact>
            </dl>
          </Card>
          {financials ? (
            <Card
              title="Financials"
              actions={
                project.paymentStatus ? (
                  <Badge tone={PAYMENT_STATUS_TONES[project.paymentStatus]}>
                    {PAYMENT_STATUS_LABELS[project.paymentStatus]}
                  </Badge>
                ) : null
              }
            >
              <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4" aria-label="Financials">
                <Money label="Cost" value={formatMoney(project.cost, project.currency)} />
                <Money label="Discount" value={formatMoney(project.discount, project.currency)} />
                <Money label="Net price" value={formatMoney(project.netPrice, project.currency)} strong />
                <Money
                  label="Paid (approved)"
                  value={formatMoney(project.paidAmount ?? project.amountPaid, project.currency)}
                />
              </dl>
            </Card>
          ) : null}
          {can(project, "viewPayments") ? <ProjectPayments project={project} /> : null}
          <ProjectFiles project={project} />
          {can(project, "viewAudit") ? <ProjectActivity project={project} /> : null}
        </div>
        <div className="min-w-0 space-y-4">
          <ProjectStatisticsCard project={project} />
          <ProjectMembers project={project} />
        </div>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 truncate text-zinc-900">{children}</dd>
    </div>
  );
}

function Money({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`mt-0.5 tabular-nums ${strong ? "font-semibold text-zinc-900" : "text-zinc-800"}`}>
        {value}
      </dd>
    </div>
  );
}
