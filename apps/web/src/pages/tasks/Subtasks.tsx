import { useQuery } from "@tanstack/react-query";
import { taskKeys, tasksApi, type TaskListParams } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { errorMessage } from "../../lib/api";
import { canMove, canTask, type Task } from "./model";
import { useQuickCreate } from "./QuickCreate";
import { Assignee, DueDate, StatusBadge, TaskLink } from "./TaskBits";
import { useTaskUpdate } from "./useTaskUpdate";

/** The task's sub-tasks (GET /api/tasks?parent=id): how many are done, each ticked off in place, one more added. */
export function Subtasks({ task }: { task: Task }) {
  const { org } = useOrg();
  const quick = useQuickCreate();
  const params: TaskListParams = { org: org.slug, parent: task.id, ordering: "number", pageSize: 100 };
  const children = useQuery({
    queryKey: taskKeys.list(params),
    queryFn: ({ signal }) => tasksApi.list(params, signal),
  });
  const items = children.data?.items ?? [];
  const done = items.filter((child) => child.status === "done").length;
  const total = children.data?.total ?? task.subtasks.total;
  const percent = items.length ? Math.round((done / items.length) * 100) : 0;

  return (
    <Card
      title="Sub-tasks"
      description={total ? `${done} of ${total} done` : undefined}
      actions={
        canTask(task, "update") ? (
          <Button size="sm" icon="plus" onClick={() => quick.open({ parent: task, project: task.project })}>
            Add sub-task
          </Button>
        ) : null
      }
    >
      {children.isLoading ? (
        <SkeletonText lines={2} />
      ) : children.error ? (
        <p className="text-sm text-red-700">{errorMessage(children.error)}</p>
      ) : items.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No sub-tasks.{canTask(task, "update") ? " Split the work: add one." : ""}
        </p>
      ) : (
        <>
          <div
            className="mb-3 h-1.5 overflow-hidden rounded-full bg-zinc-100"
            role="progressbar"
            aria-label="Sub-tasks done"
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div className="h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
          </div>
          <ul className="-my-1 divide-y divide-zinc-100" aria-label="Sub-tasks">
            {items.map((child) => (
              <Subtask key={child.id} task={child} />
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function Subtask({ task }: { task: Task }) {
  const { org } = useOrg();
  const { save, saving } = useTaskUpdate(task);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
      {canMove(task) ? (
        <input
          type="checkbox"
          className="size-4 accent-accent-600"
          aria-label={`${task.key} done`}
          checked={task.status === "done"}
          disabled={saving}
          onChange={(event) => void save({ status: event.target.checked ? "done" : "todo" })}
        />
      ) : null}
      <TaskLink
        task={task}
        org={org.slug}
        className={
          task.status === "done" ? "min-w-0 flex-1 line-through decoration-zinc-400" : "min-w-0 flex-1"
        }
      />
      <StatusBadge status={task.status} />
      <span className="hidden sm:inline">
        <Assignee person={task.assignee} compact />
      </span>
      {task.dueDate ? <DueDate task={task} className="text-xs" /> : null}
    </li>
  );
}
