/**
 * The tasks list's URL parameters (every filter of GET /api/tasks) and columns, shared by the
 * organization's Tasks page and a project's Tasks tab.
 */
import { memberPicker } from "../../api/members";
import { projectPicker } from "../../api/projects";
import {
  ASSIGNEE_ME,
  ASSIGNEE_NONE,
  assigneePicker,
  labelPicker,
  taskPicker,
  type TaskFilters,
} from "../../api/tasks";
import type { Column } from "../../components/DataTable";
import { choiceFilter, dateFilter, manyFilter, pickerFilter } from "../../components/listFilters";
import { param } from "../../lib/listSearch";
import { formatDate } from "../projects/model";
import { PRIORITY_LABELS, STATUS_LABELS, TASK_PRIORITIES, TASK_STATUSES, type Task } from "./model";
import { peopleSource } from "./people";
import {
  Assignee,
  BlockedBadge,
  DueDate,
  Labels,
  PriorityBadge,
  StatusBadge,
  SubtaskProgress,
  TaskLink,
} from "./TaskBits";

const FLAG = ["true", "false"] as const;

const common = {
  status: manyFilter({ label: "Status", values: TASK_STATUSES, labels: STATUS_LABELS }),
  assignee: pickerFilter({
    label: "Assignee",
    anyLabel: "Anyone",
    schema: param.idOr(["me", "none"]),
    picker: (org, access) => assigneePicker(org, peopleSource(org, access), [ASSIGNEE_ME, ASSIGNEE_NONE]),
  }),
  priority: choiceFilter({
    label: "Priority",
    anyLabel: "Any priority",
    values: TASK_PRIORITIES,
    labels: PRIORITY_LABELS,
  }),
  label: pickerFilter({
    label: "Label",
    anyLabel: "Any label",
    schema: param.text(40),
    picker: labelPicker,
    secondary: true,
  }),
  reporter: pickerFilter({
    label: "Reporter",
    anyLabel: "Any reporter",
    picker: (org, access) => (access.can("members.view") ? memberPicker(org) : null),
    secondary: true,
  }),
  parent: pickerFilter({ label: "Parent task", anyLabel: "Any parent", picker: taskPicker, secondary: true }),
  dueBefore: dateFilter({ label: "Due before", secondary: true }),
  overdue: choiceFilter({
    label: "Overdue",
    anyLabel: "Overdue or not",
    values: FLAG,
    labels: { true: "Overdue", false: "Not overdue" },
    secondary: true,
  }),
  updatedSince: dateFilter({ label: "Updated since", timestamp: true, secondary: true }),
};

/** The filters of the organization's list: the project and personal tasks too. */
export const orgTaskFilters = {
  ...common,
  project: pickerFilter({ label: "Project", anyLabel: "Any project", picker: projectPicker }),
  personal: choiceFilter({
    label: "Kind",
    anyLabel: "Project and personal",
    values: FLAG,
    labels: { true: "Personal tasks", false: "Project tasks" },
    secondary: true,
  }),
};

/** A project's Tasks tab: its project is given. */
export const projectTaskFilters = common;

/** The list's parameters that are filters, for the CSV report (no paging, no ordering). */
export function filtersOf(search: TaskFilters & Record<string, unknown>): TaskFilters {
  const { org, project, assignee, reporter, status, priority, label, parent } = search;
  const { search: text, dueBefore, overdue, updatedSince, personal } = search;
  return {
    org,
    project,
    assignee,
    reporter,
    status,
    priority,
    label,
    parent,
    search: text,
    dueBefore,
    overdue,
    updatedSince,
    personal,
  };
}

/** The columns of a tasks table; `project` adds the project's column (the organization's list). */
export function taskColumns(org: string, { project }: { project: boolean }): Column<Task>[] {
  return [
    {
      key: "number",
      header: "Task",
      sortField: "number",
      cell: (task) => (
        <div className="max-w-xl min-w-48">
          <TaskLink task={task} org={org} className="line-clamp-2" />
          <div className="mt-0.5 flex flex-wrap items-center gap-2">
            {project && task.project ? (
              <span className="text-xs text-zinc-500">{task.project.name}</span>
            ) : null}
            {project && !task.project ? <span className="text-xs text-zinc-500">Personal</span> : null}
            <BlockedBadge task={task} />
            <SubtaskProgress subtasks={task.subtasks} />
            <Labels labels={task.labels} />
          </div>
        </div>
      ),
    },
    { key: "status", header: "Status", cell: (task) => <StatusBadge status={task.status} /> },
    {
      key: "priority",
      header: "Priority",
      sortField: "priority",
      cell: (task) => <PriorityBadge priority={task.priority} />,
    },
    {
      key: "assignee",
      header: "Assignee",
      hideBelow: "md",
      cell: (task) => <Assignee person={task.assignee} compact />,
    },
    {
      key: "dueDate",
      header: "Due",
      sortField: "dueDate",
      hideBelow: "sm",
      cell: (task) => <DueDate task={task} />,
    },
    {
      key: "updatedAt",
      header: "Updated",
      sortField: "updatedAt",
      hideBelow: "lg",
      cell: (task) => <span className="text-zinc-600 tabular-nums">{formatDate(task.updatedAt)}</span>,
    },
  ];
}
