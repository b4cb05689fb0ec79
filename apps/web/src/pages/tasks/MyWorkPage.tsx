import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { taskKeys, tasksApi, type TaskListParams } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { Icon } from "../../components/ui/Icon";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { errorMessage } from "../../lib/api";
import { addDays, today, type Task, type TaskStatus } from "./model";
import { NewTaskButton } from "./QuickCreate";
import { BlockedBadge, DueDate, PriorityBadge, StatusBadge, TaskLink } from "./TaskBits";

const OPEN: TaskStatus[] = ["todo", "in_progress"];

/** How many rows a section shows before "See all". */
const SHOWN = 10;

type Section = {
  title: string;
  empty: string;
  params: Omit<TaskListParams, "org" | "page" | "pageSize">;
};

/**
 * What waits for the caller (GET /api/tasks?assignee=me): overdue, due this week, in progress, to
 * do. Personal to-dos are assigned to their creator, so they are here too.
 */
export function MyWorkPage() {
  const { org } = useOrg();
  const now = today();
  const sections: Section[] = [
    {
      title: "Overdue",
      empty: "Nothing overdue.",
      params: { assignee: "me", overdue: "true", ordering: "dueDate" },
    },
    {
      title: "Due in the next 7 days",
      empty: "Nothing due this week.",
      params: {
        assignee: "me",
        status: OPEN,
        overdue: "false",
        dueBefore: addDays(now, 7),
        ordering: "dueDate",
      },
    },
    {
      title: "In progress",
      empty: "Nothing in progress.",
      params: { assignee: "me", status: ["in_progress"], ordering: "-priority" },
    },
    {
      title: "To do",
      empty: "Nothing waiting.",
      params: { assignee: "me", status: ["todo"], ordering: "-priority" },
    },
  ];
  return (
    <>
      <PageHeader
        title="My work"
        description={`Tasks assigned to you in ${org.name}, the most pressing first.`}
        actions={<NewTaskButton />}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        {sections.map((section) => (
          <WorkSection key={section.title} section={section} />
        ))}
      </div>
    </>
  );
}

function WorkSection({ section }: { section: Section }) {
  const { org } = useOrg();
  const params: TaskListParams = { ...section.params, org: org.slug, pageSize: SHOWN };
  const query = useQuery({
    queryKey: taskKeys.list(params),
    queryFn: ({ signal }) => tasksApi.list(params, signal),
  });
  const total = query.data?.total ?? 0;
  const { ordering, ...filters } = section.params;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {section.title}
          {query.data ? (
            <span
              className={
                section.title === "Overdue" && total > 0
                  ? "rounded-full bg-red-50 px-1.5 text-xs text-red-700 ring-1 ring-red-200"
                  : "rounded-full bg-zinc-100 px-1.5 text-xs text-zinc-700"
              }
            >
              {total}
            </span>
          ) : null}
        </span>
      }
      actions={
        total > SHOWN ? (
          <Link
            to="/o/$org/tasks"
            params={{ org: org.slug }}
            search={{ ...filters, ordering }}
            className="text-[13px] font-medium text-accent-700 hover:underline"
          >
            See all {total}
          </Link>
        ) : null
      }
    >
      {query.isLoading ? (
        <SkeletonText lines={3} />
      ) : query.error ? (
        <p className="text-sm text-red-700">{errorMessage(query.error)}</p>
      ) : total === 0 ? (
        <p className="flex items-center gap-2 text-sm text-zinc-600">
          <Icon name="check" className="size-4 text-emerald-600" />
          {section.empty}
        </p>
      ) : (
        <TaskRows tasks={query.data?.items ?? []} />
      )}
    </Card>
  );
}

/** A compact list of tasks: key and title, project, status, priority, due date. */
export function TaskRows({ tasks }: { tasks: Task[] }) {
  const { org } = useOrg();
  return (
    <ul className="-my-2 divide-y divide-zinc-100">
      {tasks.map((task) => (
        <li key={task.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
          <div className="min-w-0 flex-1 basis-48">
            <TaskLink task={task} org={org.slug} className="line-clamp-1" />
            <p className="truncate text-xs text-zinc-500">{task.project?.name ?? "Personal"}</p>
          </div>
          <StatusBadge status={task.status} />
          <BlockedBadge task={task} />
          <PriorityBadge priority={task.priority} />
          {task.dueDate ? <DueDate task={task} className="text-xs" /> : null}
        </li>
      ))}
    </ul>
  );
}
