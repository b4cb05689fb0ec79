import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { taskKeys, tasksApi, type TaskListParams } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { ExportLink } from "../../components/ExportLink";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { BulkEditBar } from "./BulkEditBar";
import { canMove, TASK_ORDERINGS, type Task } from "./model";
import { NewTaskButton } from "./QuickCreate";
import { filtersOf, orgTaskFilters, taskColumns } from "./taskList";

/** Without an ordering, the most recently changed first. */
export const DEFAULT_TASK_ORDERING = "-updatedAt";

export const tasksList = defineOrgList({
  orderings: TASK_ORDERINGS,
  filters: orgTaskFilters,
  query: (params, { org }) => {
    const query: TaskListParams = {
      ...params,
      org: org.slug,
      ordering: params.ordering ?? DEFAULT_TASK_ORDERING,
    };
    return { queryKey: taskKeys.list(query), queryFn: ({ signal }) => tasksApi.list(query, signal) };
  },
  rowKey: (task: Task) => task.id,
  label: "Tasks",
  description: ({ org }) => `Tasks you can see in ${org.name}, in projects and your own.`,
  emptyHint: () => "Press C to write down the first one: a title is enough.",
  searchPlaceholder: "Search title or key…",
  empty: { icon: "tasks", title: "No tasks yet" },
  noMatch: { title: "No task matches", hint: "Try other words or filters, or clear them." },
});

const route = getRouteApi("/app/o/$org/tasks");

/** Which tasks are ticked, kept across pages of the list until cleared. */
export function useTaskSelection() {
  const [selected, setSelected] = useState<ReadonlyMap<string, Task>>(new Map());
  return {
    tasks: [...selected.values()],
    clear: () => setSelected(new Map()),
    selection: {
      selected: new Set(selected.keys()),
      canSelect: canMove,
      label: (task: Task) => task.key,
      onChange: (rows: Task[], on: boolean) =>
        setSelected((current) => {
          const next = new Map(current);
          for (const row of rows) {
            if (on) next.set(row.id, row);
            else next.delete(row.id);
          }
          return next;
        }),
    },
  };
}

/** The organization's tasks: every filter in the URL, sortable, several edited at once, exported. */
export function TasksPage() {
  const context = useOrg();
  const { org, access } = context;
  const search = route.useSearch();
  const chosen = useTaskSelection();
  const csv = tasksApi.csvUrl(filtersOf({ ...search, org: org.slug }));

  return (
    <ListPage
      list={tasksList}
      context={context}
      columns={taskColumns(org.slug, { project: true })}
      selection={chosen.selection}
      headerActions={
        <>
          {access.can("reports.view") ? <ExportLink href={csv} filename={`tasks-${org.slug}.csv`} /> : null}
          <NewTaskButton />
        </>
      }
    >
      <BulkEditBar tasks={chosen.tasks} onClear={chosen.clear} />
    </ListPage>
  );
}
