/** The small pieces every task view shows: status, priority, due date, assignee, labels, progress. */
import { Link } from "@tanstack/react-router";
import { personName } from "../../api/tasks";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { cn } from "../../components/ui/cn";
import { formatDate } from "../projects/model";
import {
  PRIORITY_LABELS,
  PRIORITY_TONES,
  STATUS_DOTS,
  STATUS_LABELS,
  type Task,
  type TaskPriority,
  type TaskStatus,
} from "./model";

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-[13px] whitespace-nowrap text-zinc-700">
      <span className={cn("size-2 rounded-full", STATUS_DOTS[status])} aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return <Badge tone={PRIORITY_TONES[priority]}>{PRIORITY_LABELS[priority]}</Badge>;
}

/** The due date, in red with "overdue" when it has passed and the task is not done. */
export function DueDate({
  task,
  className,
}: {
  task: Pick<Task, "dueDate" | "overdue">;
  className?: string;
}) {
  if (!task.dueDate) return <span className={cn("text-zinc-400", className)}>—</span>;
  return (
    <span
      className={cn(
        "whitespace-nowrap tabular-nums",
        task.overdue ? "font-medium text-red-700" : "text-zinc-600",
        className,
      )}
    >
      {formatDate(task.dueDate)}
      {task.overdue ? <span className="ml-1 text-xs">(overdue)</span> : null}
    </span>
  );
}

export function Assignee({ person, compact = false }: { person: Task["assignee"]; compact?: boolean }) {
  if (!person) return <span className="text-zinc-500">Unassigned</span>;
  const name = person.displayName || person.username;
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5" title={personName(person)}>
      <Avatar name={name} seed={person.id} size="xs" />
      <span className={cn("truncate text-zinc-700", compact && "max-w-28")}>
        {compact ? `@${person.username}` : personName(person)}
      </span>
    </span>
  );
}

export function Labels({ labels, className }: { labels: readonly string[]; className?: string }) {
  if (!labels.length) return null;
  return (
    <ul className={cn("flex flex-wrap gap-1", className)} aria-label="Labels">
      {labels.map((label) => (
        <li
          key={label}
          className="rounded bg-zinc-100 px-1.5 py-px text-xs text-zinc-700 ring-1 ring-zinc-200 ring-inset"
        >
          {label}
        </li>
      ))}
    </ul>
  );
}

/** "2/5" sub-tasks done, with a bar. */
export function SubtaskProgress({ subtasks }: { subtasks: Task["subtasks"] }) {
  if (subtasks.total === 0) return null;
  const percent = Math.round((subtasks.done / subtasks.total) * 100);
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-600 tabular-nums">
      <span
        className="h-1.5 w-10 overflow-hidden rounded-full bg-zinc-200"
        role="progressbar"
        aria-label="Sub-tasks done"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <span className="block h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </span>
      {subtasks.done}/{subtasks.total}
    </span>
  );
}

/** The task's key and title, linking to its page. */
export function TaskLink({
  task,
  org,
  className,
  tabIndex,
}: {
  task: Pick<Task, "id" | "key" | "title">;
  org: string;
  className?: string;
  tabIndex?: number;
}) {
  return (
    <Link
      to="/o/$org/tasks/$taskId"
      params={{ org, taskId: task.id }}
      tabIndex={tabIndex}
      className={cn("group min-w-0 text-zinc-900 hover:text-accent-700", className)}
    >
      <span className="mr-1.5 font-mono text-xs text-zinc-500 group-hover:text-accent-700">{task.key}</span>
      <span className="font-medium group-hover:underline">{task.title}</span>
    </Link>
  );
}

/** "Blocked" while the task waits for tasks that are not done (it cannot move to done yet). */
export function BlockedBadge({ task }: { task: Pick<Task, "isBlocked" | "openBlockers"> }) {
  if (!task.isBlocked) return null;
  const count = task.openBlockers;
  return (
    <span
      title={`Waits for ${count} task${count === 1 ? "" : "s"} that ${count === 1 ? "is" : "are"} not done`}
    >
      <Badge tone="red">Blocked</Badge>
    </span>
  );
}
