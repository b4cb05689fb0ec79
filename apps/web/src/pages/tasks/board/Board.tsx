import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import {
  useEffect,
  useId,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { BOARD_COLUMN_SIZE, taskKeys, tasksApi, type Board as BoardData } from "../../../api/tasks";
import { useOrg } from "../../../app/org";
import { Alert } from "../../../components/ui/Alert";
import { cn } from "../../../components/ui/cn";
import { Skeleton } from "../../../components/ui/Skeleton";
import { errorMessage } from "../../../lib/api";
import { afterIdAt } from "../cache";
import { canMove, STATUS_DOTS, STATUS_LABELS, TASK_STATUSES, type Task, type TaskStatus } from "../model";
import { BoardCard } from "./BoardCard";
import { useBoardMove } from "./useBoardMove";

/** Where a card is headed: a column and its place there (0: the top). */
type Spot = { status: TaskStatus; index: number };

/** The columns as they would be with the card `id` at `spot`. */
function arranged(columns: BoardData["columns"], id: string, spot: Spot): BoardData["columns"] {
  const card = TASK_STATUSES.flatMap((status) => columns[status]).find((item) => item.id === id);
  if (!card) return columns;
  const next = {} as BoardData["columns"];
  for (const status of TASK_STATUSES) next[status] = columns[status].filter((item) => item.id !== id);
  next[spot.status] = [...next[spot.status]];
  next[spot.status].splice(spot.index, 0, card);
  return next;
}

function spotOf(columns: BoardData["columns"], id: string): Spot | null {
  for (const status of TASK_STATUSES) {
    const index = columns[status].findIndex((card) => card.id === id);
    if (index >= 0) return { status, index };
  }
  return null;
}

const where = (spot: Spot, columns: BoardData["columns"]) =>
  `${STATUS_LABELS[spot.status]}, position ${spot.index + 1} of ${columns[spot.status].length}`;

/**
 * A project's board: a column per status, cards in board order. Cards move with the mouse (drag
 * and drop) or the keyboard (Space picks up, arrows move, Space drops, Escape cancels), each step
 * announced; the move shows at once and is undone if the server refuses it.
 */
export function Board({ projectId }: { projectId: string }) {
  const { org } = useOrg();
  const navigate = useNavigate();
  const helpId = useId();
  const [message, setMessage] = useState("");
  const board = useQuery({
    queryKey: taskKeys.board(projectId),
    queryFn: ({ signal }) => tasksApi.board(projectId, signal),
  });
  const move = useBoardMove(projectId, setMessage);
  // Keyboard: the lifted card, where it started and where it is headed.
  const [lift, setLift] = useState<{ id: string; from: Spot; to: Spot } | null>(null);
  // Mouse: the dragged card and the spot under the pointer.
  const [drag, setDrag] = useState<{ id: string; over: Spot | null } | null>(null);
  // A card that changes column is a new element: the focus follows it once it is in its column.
  const pendingFocus = useRef<{ id: string; status: TaskStatus } | null>(null);
  const focusWhenIn = (id: string, status: TaskStatus) => {
    pendingFocus.current = { id, status };
  };
  useEffect(() => {
    const wanted = lift ? { id: lift.id, status: lift.to.status } : pendingFocus.current;
    if (!wanted) return;
    const card = document.querySelector<HTMLElement>(
      `[data-status="${wanted.status}"] [data-card="${CSS.escape(wanted.id)}"]`,
    );
    if (!card) return;
    if (document.activeElement !== card) card.focus();
    if (!lift) pendingFocus.current = null;
  });

  if (board.isLoading) {
    return (
      <div className="grid gap-3 md:grid-cols-3" aria-hidden="true">
        {TASK_STATUSES.map((status) => (
          <Skeleton key={status} className="h-48" />
        ))}
      </div>
    );
  }
  if (!board.data) {
    return (
      <Alert tone="error" title="The board could not be loaded.">
        {errorMessage(board.error)}
      </Alert>
    );
  }
  const data = board.data;
  const columns = lift ? arranged(data.columns, lift.id, lift.to) : data.columns;

  const drop = (task: Task, spot: Spot, from: Spot | null) => {
    if (from && from.status === spot.status && from.index === spot.index) {
      setMessage(`${task.key} dropped where it was.`);
      return;
    }
    const afterId = afterIdAt(data.columns[spot.status], spot.index, task.id);
    move.mutate({ id: task.id, status: spot.status, afterId });
    focusWhenIn(task.id, spot.status);
    setMessage(`${task.key} dropped in ${STATUS_LABELS[spot.status]}, position ${spot.index + 1}.`);
  };

  const onCardKey = (task: Task) => (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.target !== event.currentTarget) return;
    const lifted = lift?.id === task.id ? lift : null;
    if (!lifted) {
      if (event.key === "Enter") {
        event.preventDefault();
        void navigate({ to: "/o/$org/tasks/$taskId", params: { org: org.slug, taskId: task.id } });
      } else if (event.key === " " && canMove(task)) {
        event.preventDefault();
        const from = spotOf(data.columns, task.id);
        if (!from) return;
        setLift({ id: task.id, from, to: from });
        setMessage(
          `Picked up ${task.key}. ${where(from, data.columns)}. Arrow keys move it, Space drops it, Escape cancels.`,
        );
      }
      return;
    }
    const { to } = lifted;
    const column = TASK_STATUSES.indexOf(to.status);
    let next: Spot | null = null;
    switch (event.key) {
      case "ArrowUp":
        next = { ...to, index: Math.max(0, to.index - 1) };
        break;
      case "ArrowDown":
        next = { ...to, index: Math.min(columns[to.status].length - 1, to.index + 1) };
        break;
      case "ArrowLeft":
      case "ArrowRight": {
        const status = TASK_STATUSES[column + (event.key === "ArrowLeft" ? -1 : 1)];
        if (status) {
          const size = data.columns[status].filter((card) => card.id !== task.id).length;
          next = { status, index: Math.min(to.index, size) };
        } else next = to;
        break;
      }
      case " ":
      case "Enter":
        event.preventDefault();
        setLift(null);
        drop(task, to, lifted.from);
        return;
      case "Escape":
        event.preventDefault();
        setLift(null);
        focusWhenIn(task.id, lifted.from.status);
        setMessage(`Move cancelled. ${task.key} is back in ${where(lifted.from, data.columns)}.`);
        return;
      case "Tab":
        setLift(null);
        setMessage(`Move cancelled. ${task.key} is back where it was.`);
        return;
      default:
        return;
    }
    event.preventDefault();
    setLift({ ...lifted, to: next });
    setMessage(`${task.key}: ${where(next, arranged(data.columns, task.id, next))}.`);
  };

  /** The place under the pointer in a column: before the first card whose middle is below it. */
  const spotAt = (status: TaskStatus, event: DragEvent<HTMLElement>): Spot => {
    const cards = [...event.currentTarget.querySelectorAll<HTMLElement>("[data-card]")].filter(
      (card) => card.dataset.card !== drag?.id,
    );
    const index = cards.findIndex((card) => {
      const box = card.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    return { status, index: index < 0 ? cards.length : index };
  };

  return (
    <>
      <p id={helpId} className="sr-only">
        Space picks the card up; the arrow keys move it between columns and places; Space drops it; Escape
        cancels. Enter opens the task.
      </p>
      <p className="mb-3 text-[13px] text-zinc-600">
        Drag cards between columns, or focus one and press Space, then the arrow keys.
      </p>
      <div role="status" aria-live="assertive" className="sr-only">
        {message}
      </div>
      <div className="-mx-4 grid auto-cols-[minmax(15rem,1fr)] grid-flow-col gap-3 overflow-x-auto px-4 pb-2 sm:mx-0 sm:px-0">
        {TASK_STATUSES.map((status) => {
          const cards = columns[status];
          const over = drag?.over?.status === status ? drag.over.index : null;
          // The line goes before this card (the dragged one set aside), or after the last.
          const staying = cards.filter((card) => card.id !== drag?.id);
          const lineBefore = over === null ? undefined : (staying[over]?.id ?? null);
          const headingId = `${helpId}-${status}`;
          const hidden = data.totals[status] - data.columns[status].length;
          return (
            <section
              key={status}
              data-status={status}
              aria-labelledby={headingId}
              className={cn(
                "flex min-h-48 flex-col rounded-lg border bg-zinc-100/70 p-2",
                over !== null ? "border-accent-500 bg-accent-50/60" : "border-zinc-200",
              )}
              onDragOver={(event) => {
                if (!drag) return;
                event.preventDefault();
                event.dataTransfer.dropEffect = "move";
                const spot = spotAt(status, event);
                if (drag.over?.status !== spot.status || drag.over.index !== spot.index)
                  setDrag({ ...drag, over: spot });
              }}
              onDrop={(event) => {
                event.preventDefault();
                const task = TASK_STATUSES.flatMap((column) => data.columns[column]).find(
                  (card) => card.id === drag?.id,
                );
                const spot = spotAt(status, event);
                setDrag(null);
                if (task) drop(task, spot, spotOf(data.columns, task.id));
              }}
            >
              <h2
                id={headingId}
                className="flex items-center gap-2 px-1 pt-0.5 pb-2 text-[13px] font-semibold text-zinc-800"
              >
                <span className={cn("size-2 rounded-full", STATUS_DOTS[status])} aria-hidden="true" />
                {STATUS_LABELS[status]}
                <span className="font-normal text-zinc-600 tabular-nums">{data.totals[status]}</span>
              </h2>
              <ul className="flex flex-1 flex-col gap-2" aria-label={`${STATUS_LABELS[status]} tasks`}>
                {cards.map((task) => (
                  <CardSlot key={task.id} line={lineBefore === task.id}>
                    <BoardCard
                      task={task}
                      lifted={lift?.id === task.id}
                      dragging={drag?.id === task.id}
                      describedBy={helpId}
                      onKeyDown={onCardKey(task)}
                      onDragStart={(event) => {
                        event.dataTransfer.setData("text/plain", task.key);
                        event.dataTransfer.effectAllowed = "move";
                        setLift(null);
                        setDrag({ id: task.id, over: null });
                      }}
                      onDragEnd={() => setDrag(null)}
                      onMoveTo={(target) =>
                        drop(task, { status: target, index: 0 }, spotOf(data.columns, task.id))
                      }
                    />
                  </CardSlot>
                ))}
                {lineBefore === null ? (
                  <li aria-hidden="true" className="h-0.5 rounded bg-accent-500" />
                ) : null}
                {cards.length === 0 ? (
                  <li className="flex flex-1 items-center justify-center rounded-md border border-dashed border-zinc-300 px-3 py-6 text-center text-[13px] text-zinc-600">
                    No tasks {status === "done" ? "done yet" : STATUS_LABELS[status].toLowerCase()}
                  </li>
                ) : null}
              </ul>
              {hidden > 0 ? (
                <p className="px-1 pt-2 text-xs text-zinc-600">
                  The first {BOARD_COLUMN_SIZE} of {data.totals[status]}: the list shows them all.
                </p>
              ) : null}
            </section>
          );
        })}
      </div>
    </>
  );
}

/** A card with the drop line above it while a dragged card would land there. */
function CardSlot({ line, children }: { line: boolean; children: ReactNode }) {
  return (
    <>
      {line ? <li aria-hidden="true" className="h-0.5 rounded bg-accent-500" /> : null}
      {children}
    </>
  );
}
