import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { taskKeys, taskQuery, tasksApi } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClass } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { EmptyState } from "../../components/ui/EmptyState";
import { Input, Textarea } from "../../components/ui/Field";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { taskDeleted } from "./cache";
import { canTask, type Task } from "./model";
import { Dependencies } from "./Dependencies";
import { LinkedTickets } from "./LinkedTickets";
import { Subtasks } from "./Subtasks";
import { TaskActivity } from "./collab/TaskActivity";
import { TaskComments } from "./collab/TaskComments";
import { TaskFiles } from "./collab/TaskFiles";
import { TaskTime } from "./collab/TaskTime";
import { StatusBadge } from "./TaskBits";
import { TaskDetails } from "./TaskDetails";
import { useTaskUpdate, type TaskPatch } from "./useTaskUpdate";

const route = getRouteApi("/app/o/$org/tasks/$taskId");

/** One task: its fields edited in place as far as the caller may, its sub-tasks and its parent. */
export function TaskPage() {
  const { taskId } = route.useParams();
  const { org } = useOrg();
  const query = useQuery(taskQuery(taskId));
  if (query.isLoading) return <PageSkeleton />;
  if (!query.data) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <div className="rounded-lg border border-zinc-200 bg-white">
          <EmptyState
            icon="search"
            title="Task not found"
            action={
              <Link to="/o/$org/tasks" params={{ org: org.slug }} className={buttonClass("secondary")}>
                Back to tasks
              </Link>
            }
          >
            There is no such task, or it is not one you can see.
          </EmptyState>
          <h1 className="sr-only">Task not found</h1>
        </div>
      );
    }
    return (
      <Alert tone="error" title="The task could not be loaded.">
        {errorMessage(query.error)}{" "}
        <button type="button" className="font-medium underline" onClick={() => void query.refetch()}>
          Try again
        </button>
      </Alert>
    );
  }
  return <TaskView task={query.data} />;
}

function TaskView({ task }: { task: Task }) {
  const { org } = useOrg();
  const { save } = useTaskUpdate(task);
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const toast = useToast();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => tasksApi.remove(task.id),
    onSuccess: () => {
      taskDeleted(queryClient, task.id, task.projectId);
      queryClient.removeQueries({ queryKey: taskKeys.detail(task.id) });
      toast.success(`${task.key} is deleted.`);
      void navigate({ to: "/o/$org/tasks", params: { org: org.slug } });
    },
    onError: (error) => toast.error(errorMessage(error), `${task.key} was not deleted`),
  });
  const askDelete = async () => {
    const ok = await confirm({
      title: `Delete ${task.key}?`,
      body: `“${task.title}” is deleted${task.subtasks.total ? ", with its sub-tasks" : ""}. This cannot be undone.`,
      confirmLabel: "Delete task",
    });
    if (ok) remove.mutate();
  };

  return (
    <>
      <PageHeader
        documentTitle={`${task.key} ${task.title}`}
        title={<Title task={task} save={save} />}
        description={
          <>
            <Link to="/o/$org/tasks" params={{ org: org.slug }} className="hover:underline">
              Tasks
            </Link>
            {task.project ? (
              <>
                {" / "}
                <Link
                  to="/o/$org/projects/$projectId/tasks"
                  params={{ org: org.slug, projectId: task.project.id }}
                  className="hover:underline"
                >
                  {task.project.name}
                </Link>
              </>
            ) : (
              " / Personal"
            )}{" "}
            / <span className="font-mono text-xs">{task.key}</span>
          </>
        }
        actions={
          canTask(task, "delete") ? (
            <Button variant="ghost" onClick={() => void askDelete()} loading={remove.isPending}>
              Delete
            </Button>
          ) : null
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          {task.parent ? (
            <p className="text-sm text-zinc-600">
              Sub-task of{" "}
              <Link
                to="/o/$org/tasks/$taskId"
                params={{ org: org.slug, taskId: task.parent.id }}
                className="font-medium text-accent-700 hover:underline"
              >
                {task.parent.key} {task.parent.title}
              </Link>
            </p>
          ) : null}
          <Description task={task} save={save} />
          <Subtasks task={task} />
          <Dependencies task={task} />
          <LinkedTickets task={task} />
          <TaskFiles task={task} />
          <TaskComments task={task} />
          <TaskActivity task={task} />
        </div>
        {/* On a phone the fields come first: the status is what changes most. */}
        <div className="order-first min-w-0 space-y-4 lg:order-none">
          <TaskDetails task={task} save={save} />
          <TaskTime task={task} />
        </div>
      </div>
    </>
  );
}

type Save = (patch: TaskPatch) => Promise<string | null>;

/** The text of a form's field. */
function textOf(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value : "";
}

/** The title, with an Edit button for those who may change it. */
function Title({ task, save }: { task: Task; save: Save }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (editing) {
    return (
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const title = textOf(event.currentTarget, "title");
          void save({ title }).then((problem) => {
            setError(problem);
            if (!problem) setEditing(false);
          });
        }}
      >
        <Input
          name="title"
          aria-label="Title"
          defaultValue={task.title}
          autoFocus
          className="min-w-64 flex-1 text-base font-semibold"
          aria-invalid={Boolean(error)}
          onKeyDown={(event) => event.key === "Escape" && setEditing(false)}
        />
        <Button type="submit" size="sm" variant="primary">
          Save
        </Button>
        <Button size="sm" onClick={() => setEditing(false)}>
          Cancel
        </Button>
        {error ? <span className="basis-full text-[13px] font-normal text-red-600">{error}</span> : null}
      </form>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <span>{task.title}</span>
      <StatusBadge status={task.status} />
      {canTask(task, "update") ? (
        <Button
          size="sm"
          variant="ghost"
          icon="edit"
          onClick={() => setEditing(true)}
          aria-label="Edit title"
        />
      ) : null}
    </span>
  );
}

function Description({ task, save }: { task: Task; save: Save }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editable = canTask(task, "update");
  return (
    <Card
      title="Description"
      actions={
        editable && !editing ? (
          <Button size="sm" icon="edit" onClick={() => setEditing(true)}>
            {task.description ? "Edit" : "Add"}
            <span className="sr-only"> description</span>
          </Button>
        ) : null
      }
    >
      {editing ? (
        <form
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            const description = textOf(event.currentTarget, "description");
            void save({ description }).then((problem) => {
              setError(problem);
              if (!problem) setEditing(false);
            });
          }}
        >
          <Textarea
            name="description"
            aria-label="Description"
            defaultValue={task.description}
            rows={8}
            autoFocus
            aria-invalid={Boolean(error)}
          />
          {error ? <p className="text-[13px] text-red-600">{error}</p> : null}
          <div className="flex justify-end gap-2">
            <Button size="sm" onClick={() => setEditing(false)}>
              Cancel
            </Button>
            <Button type="submit" size="sm" variant="primary">
              Save
            </Button>
          </div>
        </form>
      ) : task.description ? (
        <p className="text-sm whitespace-pre-line text-zinc-700">{task.description}</p>
      ) : (
        <p className="text-sm text-zinc-500">No description.</p>
      )}
    </Card>
  );
}
