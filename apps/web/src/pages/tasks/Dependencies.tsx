import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PickerOption } from "../../api/picker";
import { taskKeys, taskPicker } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { AsyncCombobox } from "../../components/AsyncCombobox";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { api, errorMessage } from "../../lib/api";
import { canTask, type Task, type TaskStatus } from "./model";
import { BlockedBadge, StatusBadge, TaskLink } from "./TaskBits";

/** One link of GET /api/tasks/{id}/dependencies: `task` is the other side, null when the caller may not see it. */
type DependencyLink = {
  taskId: string;
  dependsOnId: string;
  createdAt: string;
  task: { id: string; key: string; title: string; status: TaskStatus; projectId: string | null } | null;
};

const dependencyPath = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}/dependencies`;

/** Under the task's detail key: a change of the task (or its realtime push) refreshes its links too. */
const dependencyKey = (taskId: string) => [...taskKeys.detail(taskId), "dependencies"] as const;

const dependenciesApi = {
  list: (taskId: string, signal?: AbortSignal) =>
    api<{ items: DependencyLink[]; blocking: DependencyLink[] }>(dependencyPath(taskId), { signal }),
  add: (taskId: string, dependsOnId: string) =>
    api<DependencyLink>(dependencyPath(taskId), { method: "POST", body: { dependsOnId } }),
  remove: (taskId: string, dependsOnId: string) =>
    api<void>(`${dependencyPath(taskId)}/${encodeURIComponent(dependsOnId)}`, { method: "DELETE" }),
};

/**
 * What the task waits for and what waits for it (API.md "Tasks", dependencies), with a picker of the
 * organization's tasks to add a blocker (any project) for whoever may change the task.
 */
export function Dependencies({ task }: { task: Task }) {
  const { org } = useOrg();
  const toast = useToast();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const may = canTask(task, "update");
  const query = useQuery({
    queryKey: dependencyKey(task.id),
    queryFn: ({ signal }) => dependenciesApi.list(task.id, signal),
  });
  const refresh = () => client.invalidateQueries({ queryKey: taskKeys.all });
  const add = useMutation({
    mutationFn: (option: PickerOption) => dependenciesApi.add(task.id, option.id),
    onSuccess: (link) => {
      setProblem(null);
      toast.success(`${task.key} now waits for ${link.task?.key ?? "that task"}.`);
      void refresh();
    },
    onError: (error) => setProblem(errorMessage(error)),
  });
  const remove = useMutation({
    mutationFn: (dependsOnId: string) => dependenciesApi.remove(task.id, dependsOnId),
    onSuccess: () => {
      setProblem(null);
      void refresh();
    },
    onError: (error) => setProblem(errorMessage(error)),
  });
  const items = query.data?.items ?? [];
  const blocking = query.data?.blocking ?? [];
  const open = items.filter((link) => link.task && link.task.status !== "done").length;

  return (
    <Card
      title="Dependencies"
      description={
        items.length
          ? `Waits for ${items.length} task${items.length === 1 ? "" : "s"}, ${open} not done`
          : undefined
      }
      actions={<BlockedBadge task={task} />}
    >
      {query.isLoading ? (
        <SkeletonText lines={2} />
      ) : query.error ? (
        <p className="text-sm text-red-700">{errorMessage(query.error)}</p>
      ) : (
        <div className="space-y-3">
          <LinkList
            title="Blocked by"
            empty={may ? "Nothing. Add a task this one has to wait for." : "Nothing."}
            links={items}
            other={(link) => link.dependsOnId}
            org={org.slug}
            onRemove={may ? (link) => remove.mutate(link.dependsOnId) : undefined}
            removing={remove.isPending}
          />
          {blocking.length ? (
            <LinkList
              title="Blocking"
              empty=""
              links={blocking}
              other={(link) => link.taskId}
              org={org.slug}
            />
          ) : null}
          {may ? (
            <div>
              <AsyncCombobox
                source={taskPicker(org.slug)}
                value={undefined}
                label="Add a blocking task"
                placeholder="Add a blocking task: search by title or key"
                exclude={[task.id, ...items.map((link) => link.dependsOnId)]}
                disabled={add.isPending}
                onChange={(option) => option && add.mutate(option)}
              />
              {problem ? (
                <p role="alert" className="mt-1.5 text-sm text-red-700">
                  {problem}
                </p>
              ) : null}
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function LinkList({
  title,
  empty,
  links,
  other,
  org,
  onRemove,
  removing = false,
}: {
  title: string;
  empty: string;
  links: DependencyLink[];
  other: (link: DependencyLink) => string;
  org: string;
  onRemove?: ((link: DependencyLink) => void) | undefined;
  removing?: boolean;
}) {
  return (
    <div>
      <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{title}</h3>
      {links.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-500">{empty}</p>
      ) : (
        <ul className="mt-1 divide-y divide-zinc-100" aria-label={title}>
          {links.map((link) => (
            <li
              key={`${link.taskId}-${link.dependsOnId}`}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5"
            >
              {link.task ? (
                <TaskLink
                  task={link.task}
                  org={org}
                  className={
                    link.task.status === "done"
                      ? "min-w-0 flex-1 line-through decoration-zinc-400"
                      : "min-w-0 flex-1"
                  }
                />
              ) : (
                <span className="min-w-0 flex-1 text-sm text-zinc-500">A task you cannot see</span>
              )}
              {link.task ? <StatusBadge status={link.task.status} /> : null}
              {onRemove ? (
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={removing}
                  aria-label={`Remove ${link.task?.key ?? other(link)} from ${title.toLowerCase()}`}
                  onClick={() => onRemove(link)}
                >
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
