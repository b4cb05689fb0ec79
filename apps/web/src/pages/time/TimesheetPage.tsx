import { useQuery } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { collabApi, collabKeys, type TimeEntry, type TimeFilters } from "../../api/collaboration";
import { projectPicker } from "../../api/projects";
import { ASSIGNEE_ME, assigneePicker } from "../../api/tasks";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ExportLink } from "../../components/ExportLink";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { dateFilter, pickerFilter } from "../../components/listFilters";
import { DEFAULT_PAGE_SIZE, param } from "../../lib/listSearch";
import { formatDate } from "../projects/model";
import { formatMinutes } from "../tasks/model";
import { peopleSource } from "../tasks/people";

/**
 * The timesheet (GET /api/time-entries): the caller's own time and that of the tasks they may see
 * (ADR 0009), filtered by project, person and days, every filter in the URL; the total of all
 * matching entries beside the title; the same rows as CSV for holders of reports.view.
 */
export const timesheetList = defineOrgList({
  orderings: [],
  filters: {
    user: pickerFilter({
      label: "Person",
      anyLabel: "Anyone",
      schema: param.idOr(["me"]),
      picker: (org, access) => assigneePicker(org, peopleSource(org, access), [ASSIGNEE_ME]),
    }),
    project: pickerFilter({ label: "Project", anyLabel: "Any project", picker: projectPicker }),
    from: dateFilter({ label: "From" }),
    to: dateFilter({ label: "To" }),
  },
  query: (params, { org }) => {
    const query = sheetQuery(params, org.slug);
    return {
      queryKey: collabKeys.timesheet(query),
      queryFn: ({ signal }) => collabApi.timesheet(query, signal),
    };
  },
  rowKey: (entry: TimeEntry) => entry.id,
  label: "Timesheet",
  description: ({ org }) => `Time logged in ${org.name}: your own, and on the tasks you can see.`,
  emptyHint: () => "Log time from a task's page: its Time card has a Log time button.",
  empty: { icon: "calendar", title: "No time logged yet" },
  noMatch: {
    title: "No time in this view",
    hint: "Try other days, another person or project, or clear the filters.",
  },
});

type SheetParams = TimeFilters & { page: number; pageSize: number };

function sheetQuery(params: TimeFilters & { page: number; pageSize: number }, org: string): SheetParams {
  const { user, project, from, to, page, pageSize } = params;
  return { org, user, project, from, to, page, pageSize };
}

const route = getRouteApi("/app/o/$org/time");

function columns(org: string): Column<TimeEntry>[] {
  return [
    {
      key: "spentOn",
      header: "Day",
      cell: (entry) => <span className="whitespace-nowrap tabular-nums">{formatDate(entry.spentOn)}</span>,
    },
    { key: "user", header: "Person", cell: (entry) => (entry.user ? `@${entry.user.username}` : "—") },
    {
      key: "task",
      header: "Task",
      cell: (entry) => (
        <Link
          to="/o/$org/tasks/$taskId"
          params={{ org, taskId: entry.taskId }}
          className="font-medium text-zinc-900 hover:underline"
        >
          <span className="font-mono text-xs text-zinc-500">{entry.task.key}</span> {entry.task.title}
        </Link>
      ),
    },
    { key: "project", header: "Project", cell: (entry) => entry.task.project?.name ?? "Personal" },
    {
      key: "minutes",
      header: "Time",
      cell: (entry) => <span className="font-medium tabular-nums">{formatMinutes(entry.minutes)}</span>,
    },
    {
      key: "note",
      header: "Note",
      cell: (entry) => <span className="line-clamp-1 text-zinc-600">{entry.note}</span>,
    },
  ];
}

export function TimesheetPage() {
  const context = useOrg();
  const { org, access } = context;
  const search = route.useSearch();
  const query = sheetQuery(
    { ...search, page: search.page ?? 1, pageSize: search.pageSize ?? DEFAULT_PAGE_SIZE },
    org.slug,
  );
  // The list's own query (same key): its total of every matching entry.
  const sheet = useQuery({
    queryKey: collabKeys.timesheet(query),
    queryFn: ({ signal }) => collabApi.timesheet(query, signal),
  });
  const { page: _page, pageSize: _size, ...filters } = query;
  return (
    <ListPage
      list={timesheetList}
      context={context}
      columns={columns(org.slug)}
      headerActions={
        <>
          {sheet.data ? (
            <p className="rounded-md border border-zinc-200 bg-white px-3 py-1.5 text-sm" aria-live="polite">
              Total{" "}
              <strong className="font-semibold tabular-nums" data-testid="timesheet-total">
                {formatMinutes(sheet.data.totalMinutes)}
              </strong>
              <span className="text-zinc-500">
                {" "}
                in {sheet.data.total} {sheet.data.total === 1 ? "entry" : "entries"}
              </span>
            </p>
          ) : null}
          {access.can("reports.view") ? (
            <ExportLink href={collabApi.timeCsvUrl(filters)} filename={`time-${org.slug}.csv`} />
          ) : null}
        </>
      }
    />
  );
}
