import { Link } from "@tanstack/react-router";
import { clientPicker } from "../../api/clients";
import { developerPicker } from "../../api/developers";
import { projectKeys, projectsApi } from "../../api/projects";
import { teamPicker } from "../../api/teams";
import { orgListQuery } from "../../api/lists";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { choiceFilter, pickerFilter } from "../../components/listFilters";
import { Badge } from "../../components/ui/Badge";
import { buttonClass } from "../../components/ui/Button";
import { Icon } from "../../components/ui/Icon";
import { requirePermission } from "../../components/ui/NoPermission";
import { ExportLink } from "../../components/ExportLink";
import {
  PAYMENT_STATUSES,
  PAYMENT_STATUS_LABELS,
  PROJECT_ORDERINGS,
  PAYMENT_STATUS_TONES,
  PRIORITY_LABELS,
  PRIORITY_TONES,
  PROJECT_STATUSES,
  STATUS_LABELS,
  STATUS_TONES,
  formatDate,
  formatMoney,
  type Project,
} from "./model";

export const projectsList = defineOrgList({
  orderings: PROJECT_ORDERINGS,
  filters: {
    status: choiceFilter({
      label: "Status",
      anyLabel: "Any status",
      values: PROJECT_STATUSES,
      labels: STATUS_LABELS,
    }),
    paymentStatus: choiceFilter({
      label: "Payment",
      anyLabel: "Any payment status",
      values: PAYMENT_STATUSES,
      labels: PAYMENT_STATUS_LABELS,
      permission: "projects.view_financials",
    }),
    developer: pickerFilter({
      label: "Developer",
      anyLabel: "Any developer",
      picker: developerPicker,
      permission: "developers.view",
    }),
    client: pickerFilter({
      label: "Client",
      anyLabel: "Any client",
      picker: clientPicker,
      permission: "clients.view",
    }),
    team: pickerFilter({ label: "Team", anyLabel: "Any team", picker: teamPicker }),
  },
  query: orgListQuery(projectKeys.list, projectsApi.list),
  rowKey: (project: Project) => project.id,
  label: "Projects",
  description: ({ org }) => `Projects you can see in ${org.name}.`,
  emptyHint: ({ access }) =>
    access.can("projects.add")
      ? "Open the first project: give it a name, a client and a timeline."
      : "Projects you are on or that are open to the organization appear here.",
  searchPlaceholder: "Search by name…",
  empty: { icon: "folder", title: "No projects yet" },
  noMatch: { title: "No project matches" },
});

export const ProjectsPage = requirePermission("projects.view", Projects);

function Projects() {
  const context = useOrg();
  const { org, access } = context;
  const canAdd = access.can("projects.add");
  const csv = `/api/reports/projects.csv?org=${encodeURIComponent(org.slug)}`;

  const columns = (rows: Project[] | undefined): Column<Project>[] => [
    {
      key: "name",
      header: "Project",
      sortField: "name",
      cell: (project) => (
        <div className="min-w-0">
          <Link
            to="/o/$org/projects/$projectId"
            params={{ org: org.slug, projectId: project.id }}
            className="font-medium text-zinc-900 hover:text-accent-700 hover:underline"
          >
            {project.name}
          </Link>
          <p className="truncate text-xs text-zinc-500">
            {project.key}
            {project.client ? ` · ${project.client.name}` : ""}
          </p>
        </div>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (project) => <Badge tone={STATUS_TONES[project.status]}>{STATUS_LABELS[project.status]}</Badge>,
    },
    {
      key: "priority",
      header: "Priority",
      hideBelow: "md",
      cell: (project) => (
        <Badge tone={PRIORITY_TONES[project.priority]}>{PRIORITY_LABELS[project.priority]}</Badge>
      ),
    },
    {
      key: "team",
      header: "Team",
      hideBelow: "lg",
      cell: (project) => <span className="text-zinc-600">{project.team?.name ?? "—"}</span>,
    },
    {
      key: "members",
      header: "Members",
      hideBelow: "lg",
      className: "text-right tabular-nums",
      cell: (project) => <span className="text-zinc-600">{project.memberCount}</span>,
    },
    {
      key: "dueDate",
      header: "Due",
      sortField: "dueDate",
      hideBelow: "sm",
      cell: (project) => <span className="text-zinc-600 tabular-nums">{formatDate(project.dueDate)}</span>,
    },
    // Only when the rows carry money (projects.view_financials, or the client's customer).
    ...(rows?.some((project) => project.netPrice !== undefined) ? [netPriceColumn] : []),
  ];

  return (
    <ListPage
      list={projectsList}
      context={context}
      columns={columns}
      headerActions={
        access.can("reports.view") ? <ExportLink href={csv} filename={`projects-${org.slug}.csv`} /> : null
      }
      action={
        canAdd
          ? {
              label: "New project",
              render: (size) => (
                <Link
                  to="/o/$org/projects/new"
                  params={{ org: org.slug }}
                  className={buttonClass("primary", size)}
                >
                  <Icon name="plus" />
                  New project
                </Link>
              ),
            }
          : undefined
      }
    />
  );
}

const netPriceColumn: Column<Project> = {
  key: "net",
  header: "Net price",
  hideBelow: "md",
  className: "text-right",
  cell: (project) =>
    project.netPrice !== undefined ? (
      <div className="tabular-nums">
        <p className="text-zinc-900">{formatMoney(project.netPrice, project.currency)}</p>
        {project.paymentStatus ? (
          <Badge tone={PAYMENT_STATUS_TONES[project.paymentStatus]}>
            {PAYMENT_STATUS_LABELS[project.paymentStatus]}
          </Badge>
        ) : null}
      </div>
    ) : (
      <span className="text-zinc-400">—</span>
    ),
};
