import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { projectQuery } from "../../api/projects";
import { useOrg } from "../../app/org";
import { Loaded } from "../../components/Loaded";
import { Badge } from "../../components/ui/Badge";
import { Icon, type IconName } from "../../components/ui/Icon";
import { PageHeader } from "../../components/ui/PageHeader";
import { STATUS_LABELS, STATUS_TONES, type Project, type ProjectDetail } from "./model";

/** The project's name with its status, as the title of each of its pages. */
export function ProjectTitle({ project }: { project: Project }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      {project.name}
      <Badge tone={STATUS_TONES[project.status]}>{STATUS_LABELS[project.status]}</Badge>
    </span>
  );
}

/** "Projects / SHOP · Northwind": the way back to the list, under the title. */
export function ProjectCrumbs({ project }: { project: Project }) {
  const { org } = useOrg();
  return (
    <>
      <Link to="/o/$org/projects" params={{ org: org.slug }} className="hover:underline">
        Projects
      </Link>{" "}
      / {project.key}
      {project.client ? ` · ${project.client.name}` : ""}
    </>
  );
}

const TABS = [
  { label: "Overview", to: "/o/$org/projects/$projectId", icon: "folder" },
  { label: "Tasks", to: "/o/$org/projects/$projectId/tasks", icon: "list" },
  { label: "Board", to: "/o/$org/projects/$projectId/board", icon: "board" },
] as const satisfies readonly { label: string; to: string; icon: IconName }[];

/** Overview, Tasks and Board of a project: links, so each tab has its address. */
export function ProjectTabs({ project }: { project: Project }) {
  const { org } = useOrg();
  return (
    <nav aria-label="Project" className="-mt-2 mb-5 border-b border-zinc-200">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {TABS.map((tab) => (
          <li key={tab.label}>
            <Link
              to={tab.to}
              params={{ org: org.slug, projectId: project.id }}
              activeOptions={{ exact: true, includeSearch: false }}
              className="flex h-9 items-center gap-1.5 border-b-2 border-transparent px-3 text-sm font-medium text-zinc-600 hover:border-zinc-300 hover:text-zinc-900"
              activeProps={{ "aria-current": "page", className: "border-accent-600! text-zinc-900" }}
            >
              <Icon name={tab.icon} className="size-4" />
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A project's Tasks or Board tab: its title, tabs and actions above the tab's content. */
export function ProjectFrame({
  projectId,
  tab,
  actions,
  children,
}: {
  projectId: string;
  tab: string;
  actions?: (project: ProjectDetail) => ReactNode;
  children: (project: ProjectDetail) => ReactNode;
}) {
  return (
    <Loaded query={projectQuery(projectId)} what="project">
      {(project) => (
        <>
          <PageHeader
            documentTitle={`${tab} · ${project.name}`}
            title={<ProjectTitle project={project} />}
            description={<ProjectCrumbs project={project} />}
            actions={actions?.(project)}
          />
          <ProjectTabs project={project} />
          {children(project)}
        </>
      )}
    </Loaded>
  );
}
