import type { DragEvent, KeyboardEvent } from "react";
import { useOrg } from "../../../app/org";
import { Avatar } from "../../../components/ui/Avatar";
import { cn } from "../../../components/ui/cn";
import { Icon } from "../../../components/ui/Icon";
import { Menu } from "../../../components/ui/Menu";
import { canMove, STATUS_LABELS, TASK_STATUSES, type Task, type TaskStatus } from "../model";
import { BlockedBadge, DueDate, Labels, PriorityBadge, SubtaskProgress, TaskLink } from "../TaskBits";

/**
 * One card of the board. It takes the focus (Tab goes card by card): Space picks it up, Enter
 * opens the task; the mouse drags it. Its menu moves it to another column without dragging (touch).
 */
export function BoardCard({
  task,
  lifted,
  dragging,
  describedBy,
  onKeyDown,
  onDragStart,
  onDragEnd,
  onMoveTo,
}: {
  task: Task;
  /** Picked up with the keyboard. */
  lifted: boolean;
  /** Being dragged with the mouse. */
  dragging: boolean;
  describedBy: string;
  onKeyDown: (event: KeyboardEvent<HTMLLIElement>) => void;
  onDragStart: (event: DragEvent<HTMLLIElement>) => void;
  onDragEnd: () => void;
  onMoveTo: (status: TaskStatus) => void;
}) {
  const { org } = useOrg();
  const movable = canMove(task);
  const person = task.assignee;
  return (
    <li
      data-card={task.id}
      tabIndex={0}
      aria-describedby={movable ? describedBy : undefined}
      aria-label={`${task.key} ${task.title}`}
      draggable={movable}
      onKeyDown={onKeyDown}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      className={cn(
        "group relative rounded-md border bg-white p-2.5 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-accent-500",
        movable && "cursor-grab active:cursor-grabbing",
        lifted
          ? "border-accent-500 shadow-lg ring-2 ring-accent-500/40"
          : "border-zinc-200 hover:border-zinc-300",
        dragging && "opacity-40",
      )}
    >
      <div className="flex items-start gap-1.5">
        <TaskLink task={task} org={org.slug} tabIndex={-1} className="min-w-0 flex-1 leading-snug" />
        {movable ? (
          <Menu
            label={`Move ${task.key}`}
            align="end"
            items={TASK_STATUSES.filter((status) => status !== task.status).map((status) => ({
              key: status,
              label: `Move to ${STATUS_LABELS[status]}`,
              onSelect: () => onMoveTo(status),
            }))}
            trigger={
              <span className="-m-1 inline-flex size-6 items-center justify-center rounded text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800">
                <Icon name="more" />
              </span>
            }
          />
        ) : null}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1">
        <PriorityBadge priority={task.priority} />
        <BlockedBadge task={task} />
        {task.dueDate ? <DueDate task={task} className="text-xs" /> : null}
        <SubtaskProgress subtasks={task.subtasks} />
        {person ? (
          <span
            className="ml-auto inline-flex items-center gap-1 text-xs text-zinc-600"
            title={`@${person.username}`}
          >
            <Avatar name={person.displayName || person.username} seed={person.id} size="xs" />
            <span className="max-w-24 truncate">@{person.username}</span>
          </span>
        ) : null}
      </div>
      <Labels labels={task.labels} className="mt-1.5" />
    </li>
  );
}
