import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClass } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { FilterSelect } from "../../components/ui/FilterSelect";
import { Icon } from "../../components/ui/Icon";
import { NoPermission } from "../../components/ui/NoPermission";
import { PageHeader } from "../../components/ui/PageHeader";
import { api, errorMessage, type Page } from "../../lib/api";
import { useToast } from "../../components/ui/Toast";
import { downloadWithAuth } from "./download";
import {
  DEFAULT_PAGE_SIZE,
  compact,
  enumParam,
  parseListSearch,
  stringParam,
  type ListSearch,
} from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import {
  PAYMENT_STATUS_LABELS,
  PAYMENT_STATUS_TONES,
  PRIORITY_LABELS,
  PRIORITY_TONES,
  PROJECT_STATUSES,
  STATUS_LABELS,
  STATUS_TONES,
  formatDate,
  formatMoney,
  personLabel,
  projectsKey,
  useClientOptions,
  useDeveloperOptions,
  useTeamOptions,
  type Project,
} from "./model";

const ORDERINGS = ["name", "createdAt", "dueDate"] as const;

export type ProjectsSearch = ListSearch & {
  status?: (typeof PROJECT_STATUSES)[number];
  developer?: string;
  client?: string;
  team?: string;
};

export function validateProjectsSearch(raw: Record<string, unknown>): ProjectsSearch {
  return compact({
    ...parseListSearch(raw, ORDERINGS),
    status: enumParam(raw.status, PROJECT_STATUSES),
    developer: stringParam(raw.developer, 40),
    client: stringParam(raw.client, 40),
    team: stringParam(raw.team, 40),
  });
}

const route = getRouteApi("/app/o/$org/projects");

export function ProjectsPage() {
  const { org, access } = useOrg();
  if (!access.can("projects.view")) return <NoPermission permission="projects.view" orgName={org.name} />;
  return <Projects />;
}

function Projects() {
  const { org, access } = useOrg();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canAdd = access.can("projects.add");
  const toast = useToast();
  const clients = useClientOptions(org.slug, access.can("clients.view"));
  const teams = useTeamOptions(org.slug);
  const developers = useDeveloperOptions(org.slug, access.can("developers.view"));

  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = {
    org: org.slug,
    page,
    pageSize,
    search: search.search,
    status: search.status,
    developer: search.developer,
    client: search.client,
    team: search.team,
    ordering: search.ordering,
  };
  const projects = useQuery({
    queryKey: [...projectsKey, "list", query],
    queryFn: ({ signal }) => api<Page<Project>>("/api/projects", { query, signal }),
    placeholderData: keepPreviousData,
  });

  const update = listUpdater<ProjectsSearch>(navigate);
  const clearFilters = () =>
    update({
      search: undefined,
      status: undefined,
      developer: undefined,
      client: undefined,
      team: undefined,
    });
  const filtered = Boolean(
    search.search || search.status || search.developer || search.client || search.team,
  );
  const showMoney = projects.data?.items.some((project) => project.netPrice !== undefined) ?? false;

  const columns: Column<Project>[] = [
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
  ];
  if (showMoney) {
    columns.push({
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
    });
  }

  return (
    <>
      <PageHeader
        title="Projects"
        description={`Projects you can see in ${org.name}.`}
        actions={
          <>
            {access.can("reports.view") ? (
              <a
                href={`/api/reports/projects.csv?org=${encodeURIComponent(org.slug)}`}
                className={buttonClass("secondary")}
                onClick={(event) => {
                  event.preventDefault();
                  downloadWithAuth(
                    `/api/reports/projects.csv?org=${encodeURIComponent(org.slug)}`,
                    `projects-${org.slug}.csv`,
                  ).catch((error: unknown) => toast.error(errorMessage(error), "The export failed"));
                }}
              >
                Export CSV
              </a>
            ) : null}
            {canAdd ? (
              <Link to="/o/$org/projects/new" params={{ org: org.slug }} className={buttonClass("primary")}>
                <Icon name="plus" />
                New project
              </Link>
            ) : null}
          </>
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search projects"
          placeholder="Search by name…"
        />
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          value={search.status}
          onChange={(value) => update({ status: enumParam(value, PROJECT_STATUSES) })}
          options={PROJECT_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
        />
        {developers.data ? (
          <FilterSelect
            label="Developer"
            anyLabel="Any developer"
            value={search.developer}
            onChange={(developer) => update({ developer })}
            options={developers.data.map((developer) => ({
              value: developer.id,
              label: personLabel(developer),
            }))}
          />
        ) : null}
        {clients.data ? (
          <FilterSelect
            label="Client"
            anyLabel="Any client"
            value={search.client}
            onChange={(client) => update({ client })}
            options={clients.data.map((client) => ({ value: client.id, label: client.name }))}
          />
        ) : null}
        {teams.data && teams.data.length > 0 ? (
          <FilterSelect
            label="Team"
            anyLabel="Any team"
            value={search.team}
            onChange={(team) => update({ team })}
            options={teams.data.map((team) => ({ value: team.id, label: team.name }))}
          />
        ) : null}
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={clearFilters}>
            Clear filters
          </Button>
        ) : null}
      </div>
      <DataTable
        label="Projects"
        columns={columns}
        rowKey={(project) => project.id}
        {...listTableProps(projects, search, update)}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title="No project matches"
              action={
                <Button size="sm" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            >
              Try another name, or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState
              icon="folder"
              title="No projects yet"
              action={
                canAdd ? (
                  <Link
                    to="/o/$org/projects/new"
                    params={{ org: org.slug }}
                    className={buttonClass("primary", "sm")}
                  >
                    <Icon name="plus" />
                    New project
                  </Link>
                ) : null
              }
            >
              {canAdd
                ? "Open the first project: give it a name, a client and a timeline."
                : "Projects you are on or that are open to the organization appear here."}
            </EmptyState>
          )
        }
      />
    </>
  );
}
