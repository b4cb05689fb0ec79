import { Link, getRouteApi } from "@tanstack/react-router";
import { taskKeys, tasksApi, type TaskListParams } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { ExportLink } from "../../components/ExportLink";
import { ListPage, defineList } from "../../components/ListPage";
import { buttonClass } from "../../components/ui/Button";
import { Icon } from "../../components/ui/Icon";
import type { OrgSummary } from "../../lib/types";
import { ProjectFrame } from "../projects/ProjectTabs";
import { BulkEditBar } from "./BulkEditBar";
import { TASK_ORDERINGS, type Task } from "./model";
import { NewTaskButton } from "./QuickCreate";
import { filtersOf, projectTaskFilters, taskColumns } from "./taskList";
import { DEFAULT_TASK_ORDERING, useTaskSelection } from "./TasksPage";

type Context = { org: OrgSummary; projectId: string };

export const projectTasksList = defineList<Task, typeof projectTaskFilters, Context>({
  orderings: TASK_ORDERINGS,
  filters: projectTaskFilters,
  query: (params, { org, projectId }) => {
    const query: TaskListParams = {
      ...params,
      org: org.slug,
      project: projectId,
      ordering: params.ordering ?? DEFAULT_TASK_ORDERING,
    };
    return { queryKey: taskKeys.list(query), queryFn: ({ signal }) => tasksApi.list(query, signal) };
  },
  rowKey: (task) => task.id,
  label: "Tasks",
  emptyHint: () => "The project's work goes here: press C to add a task.",
  searchPlaceholder: "Search title or key…",
  empty: { icon: "tasks", title: "No tasks in this project yet" },
  noMatch: { title: "No task matches" },
});

const route = getRouteApi("/app/o/$org/projects/$projectId/tasks");

/** A project's Tasks tab: its tasks as a list (filters in the URL), with the way to its board. */
export function ProjectTasksPage() {
  const { projectId } = route.useParams();
  const search = route.useSearch();
  const { org, access } = useOrg();
  const chosen = useTaskSelection();
  const csv = tasksApi.csvUrl(filtersOf({ ...search, org: org.slug, project: projectId }));
  return (
    <ProjectFrame
      projectId={projectId}
      tab="Tasks"
      actions={(project) => (
        <>
          {access.can("reports.view") ? (
            <ExportLink href={csv} filename={`tasks-${project.key.toLowerCase()}.csv`} />
          ) : null}
          <Link
            to="/o/$org/projects/$projectId/board"
            params={{ org: org.slug, projectId }}
            className={buttonClass("secondary")}
          >
            <Icon name="board" />
            Open board
          </Link>
          {access.can("tasks.manage") ? (
            <>
              <Link
                to="/o/$org/projects/$projectId/import"
                params={{ org: org.slug, projectId }}
                className={buttonClass("secondary")}
              >
                <Icon name="download" className="size-4 rotate-180" />
                Import CSV
              </Link>
              <NewTaskButton preset={{ project }} />
            </>
          ) : null}
        </>
      )}
    >
      {() => (
        <ListPage
          list={projectTasksList}
          context={{ org, projectId }}
          columns={taskColumns(org.slug, { project: false })}
          selection={chosen.selection}
          headless
        >
          <BulkEditBar tasks={chosen.tasks} onClear={chosen.clear} />
        </ListPage>
      )}
    </ProjectFrame>
  );
}
