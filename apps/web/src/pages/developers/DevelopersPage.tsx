import { Link } from "@tanstack/react-router";
import { developerKeys, developersApi } from "../../api/developers";
import { projectPicker } from "../../api/projects";
import { orgListQuery } from "../../api/lists";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { choiceFilter, pickerFilter } from "../../components/listFilters";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { requirePermission } from "../../components/ui/NoPermission";
import { roleName } from "../../lib/roles";
import type { Developer } from "../../lib/types";
import { VerifiedBadge } from "./VerifiedBadge";

export const developersList = defineOrgList({
  orderings: ["username", "displayName", "createdAt"],
  filters: {
    verified: choiceFilter({
      label: "Verification",
      anyLabel: "Verified or not",
      values: ["true", "false"],
      labels: { true: "Verified", false: "Not verified yet" },
    }),
    project: pickerFilter({
      label: "Project",
      anyLabel: "All projects",
      picker: projectPicker,
      permission: "projects.view",
    }),
  },
  query: orgListQuery(developerKeys.list, developersApi.list),
  rowKey: (developer: Developer) => developer.id,
  label: "Developers",
  description: ({ org }) => `Developers of ${org.name}: who they are and what they work on.`,
  emptyHint: () =>
    "Developers appear here when they sign up or an administrator adds them with a developer role.",
  searchPlaceholder: "Search developers…",
  empty: { icon: "code", title: "No developers yet" },
  noMatch: { title: "No developer matches" },
});

export const DevelopersPage = requirePermission("developers.view", Developers);

function Developers() {
  const context = useOrg();
  const { org } = context;

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

  return <ListPage list={developersList} context={context} columns={columns} />;
}
