import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { FilterSelect } from "../../components/ui/FilterSelect";
import { NoPermission } from "../../components/ui/NoPermission";
import { PageHeader } from "../../components/ui/PageHeader";
import { api, type Page } from "../../lib/api";
import {
  DEFAULT_PAGE_SIZE,
  compact,
  enumParam,
  parseListSearch,
  stringParam,
  type ListSearch,
} from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import { roleName } from "../../lib/roles";
import type { Developer } from "../../lib/types";
import { VerifiedBadge } from "./VerifiedBadge";

const ORDERINGS = ["username", "displayName", "createdAt"] as const;
const VERIFIED = ["true", "false"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DevelopersSearch = ListSearch & { verified?: (typeof VERIFIED)[number]; project?: string };

export function validateDevelopersSearch(raw: Record<string, unknown>): DevelopersSearch {
  const project = stringParam(raw.project, 36);
  return compact({
    ...parseListSearch(raw, ORDERINGS),
    verified: enumParam(typeof raw.verified === "boolean" ? String(raw.verified) : raw.verified, VERIFIED),
    project: project && UUID.test(project) ? project : undefined,
  });
}

const route = getRouteApi("/app/o/$org/developers");

export const developersKey = (org: string) => ["orgs", org, "developers"] as const;

type ProjectOption = { id: string; name: string };

/** Projects of the organization for the filter (GET /api/projects); the filter hides when none answer. */
function useProjectOptions(org: string, enabled: boolean) {
  return useQuery({
    queryKey: ["orgs", org, "projects", "options"],
    queryFn: ({ signal }) =>
      api<Page<ProjectOption>>("/api/projects", {
        query: { org, pageSize: 100, ordering: "name" },
        signal,
      }),
    select: (data) => data.items.map(({ id, name }) => ({ id, name })),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

export function DevelopersPage() {
  const { org, access } = useOrg();
  if (!access.can("developers.view")) return <NoPermission permission="developers.view" orgName={org.name} />;
  return <Developers />;
}

function Developers() {
  const { org, access } = useOrg();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const projects = useProjectOptions(org.slug, access.can("projects.view"));

  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = {
    org: org.slug,
    page,
    pageSize,
    search: search.search,
    verified: search.verified,
    project: search.project,
    ordering: search.ordering,
  };
  const developers = useQuery({
    queryKey: [...developersKey(org.slug), query],
    queryFn: ({ signal }) => api<Page<Developer>>("/api/developers", { query, signal }),
    placeholderData: keepPreviousData,
  });

  /** Filters reset to page 1; the page itself does not. */
  const update = listUpdater<DevelopersSearch>(navigate);

  const filtered = Boolean(search.search || search.verified || search.project);

  const columns: Column<Developer>[] = [
    {
      key: "developer",
      header: "Developer",
      sortField: "displayName",
      cell: (developer) => {
        const name = developer.displayName || developer.username;
        return (
          <Link
            to="/o/$org/developers/$userId"
            params={{ org: org.slug, userId: developer.id }}
            className="group flex min-w-0 items-center gap-2.5 rounded-md"
          >
            <Avatar name={name} src={developer.avatarUrl} seed={developer.id} size="md" />
            <span className="min-w-0">
              <span className="block truncate font-medium text-zinc-900 group-hover:underline">{name}</span>
              <span className="block truncate text-xs text-zinc-500">@{developer.username}</span>
            </span>
          </Link>
        );
      },
    },
    {
      key: "bio",
      header: "About",
      hideBelow: "lg",
      className: "max-w-80",
      cell: (developer) =>
        developer.bio ? (
          <p className="line-clamp-2 text-[13px] text-zinc-600">{developer.bio}</p>
        ) : (
          <span className="text-zinc-400">—</span>
        ),
    },
    {
      key: "status",
      header: "Status",
      cell: (developer) => <VerifiedBadge verified={developer.verified} />,
    },
    {
      key: "roles",
      header: "Roles",
      hideBelow: "md",
      cell: (developer) => (
        <div className="flex flex-wrap gap-1">
          {developer.roles.map((role) => (
            <Badge key={role}>{roleName(role)}</Badge>
          ))}
        </div>
      ),
    },
    {
      key: "projects",
      header: "Projects",
      hideBelow: "sm",
      cell: (developer) =>
        developer.projects.length ? (
          <span
            className="text-[13px] text-zinc-600"
            title={developer.projects.map((p) => p.name).join(", ")}
          >
            {developer.projects
              .slice(0, 2)
              .map((project) => project.name)
              .join(", ")}
            {developer.projects.length > 2 ? ` +${developer.projects.length - 2}` : ""}
          </span>
        ) : (
          <span className="text-zinc-400">None</span>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Developers"
        description={`Developers of ${org.name}: who they are and what they work on.`}
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search developers"
          placeholder="Search developers…"
        />
        <FilterSelect
          label="Verification"
          anyLabel="Verified or not"
          value={search.verified}
          onChange={(value) => update({ verified: enumParam(value, VERIFIED) })}
          options={[
            { value: "true", label: "Verified" },
            { value: "false", label: "Not verified yet" },
          ]}
        />
        {projects.data?.length || search.project ? (
          <FilterSelect
            label="Project"
            anyLabel="All projects"
            value={search.project}
            onChange={(project) => update({ project })}
            options={[
              ...(projects.data ?? []).map((project) => ({ value: project.id, label: project.name })),
              // A project from a shared link that is not in the caller's list still shows as chosen.
              ...(search.project && !projects.data?.some((project) => project.id === search.project)
                ? [{ value: search.project, label: "This project" }]
                : []),
            ]}
          />
        ) : null}
        {filtered ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => update({ search: undefined, verified: undefined, project: undefined })}
          >
            Clear filters
          </Button>
        ) : null}
      </div>
      <DataTable
        label="Developers"
        columns={columns}
        rowKey={(developer) => developer.id}
        {...listTableProps(developers, search, update)}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title="No developer matches"
              action={
                <Button
                  size="sm"
                  onClick={() => update({ search: undefined, verified: undefined, project: undefined })}
                >
                  Clear filters
                </Button>
              }
            >
              Try another name, or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState icon="code" title="No developers yet">
              Developers appear here when they sign up or an administrator adds them with a developer role.
            </EmptyState>
          )
        }
      />
    </>
  );
}
