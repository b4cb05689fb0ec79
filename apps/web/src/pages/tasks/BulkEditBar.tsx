import { bulkUpdateTasksInput, type TaskPriority, type TaskStatus } from "@cairn/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import { assigneePicker, taskKeys, tasksApi } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { AsyncCombobox } from "../../components/AsyncCombobox";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Field } from "../../components/ui/Field";
import { FilterSelect } from "../../components/ui/FilterSelect";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { issuesToErrors } from "../../lib/form";
import { LabelsInput } from "./LabelsInput";
import { canMove, canTask, priorityOptions, statusOptions, type Task } from "./model";
import { peopleSource } from "./people";

type Changes = z.input<typeof bulkUpdateTasksInput>["set"];

/**
 * The bar under a list while tasks are selected: set the status, priority, assignee, due date or
 * labels of all of them at once (PATCH /api/tasks/bulk, all or nothing). It offers only what the
 * caller may change on every selected task.
 */
export function BulkEditBar({ tasks, onClear }: { tasks: Task[]; onClear: () => void }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [labelsOpen, setLabelsOpen] = useState(false);
  const people = peopleSource(org.slug, access);
  const status = tasks.every(canMove);
  const fields = tasks.every((task) => canTask(task, "update"));

  const update = useMutation({
    mutationFn: (set: Changes) => {
      const body = bulkUpdateTasksInput.safeParse({ ids: tasks.map((task) => task.id), set });
      if (!body.success) throw new Error(Object.values(issuesToErrors(body.error.issues)).join(" "));
      return tasksApi.bulkUpdate(body.data);
    },
    onSuccess: ({ updated }) => {
      toast.success(`${updated} task${updated === 1 ? "" : "s"} updated.`);
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error), "Nothing was changed"),
  });

  if (tasks.length === 0) return null;
  const count = `${tasks.length} task${tasks.length === 1 ? "" : "s"}`;
  return (
    <div className="sticky bottom-3 z-10 mt-3">
      <section
        aria-label="Bulk edit"
        className="flex flex-wrap items-center gap-2 rounded-lg border border-zinc-300 bg-white px-3 py-2 shadow-lg"
      >
        <p className="text-sm font-medium text-zinc-900" aria-live="polite">
          {count} selected
        </p>
        <Button size="sm" variant="ghost" onClick={onClear} loading={update.isPending} className="mr-1">
          Clear selection
        </Button>
        {status ? (
          <FilterSelect
            label={`Set the status of ${count}`}
            anyLabel="Status…"
            value={undefined}
            options={statusOptions}
            onChange={(value) => value && update.mutate({ status: value as TaskStatus })}
          />
        ) : null}
        {fields ? (
          <>
            <FilterSelect
              label={`Set the priority of ${count}`}
              anyLabel="Priority…"
              value={undefined}
              options={priorityOptions}
              onChange={(value) => value && update.mutate({ priority: value as TaskPriority })}
            />
            {people ? (
              <AsyncCombobox
                source={assigneePicker(org.slug, people)}
                value={undefined}
                label={`Assign ${count}`}
                placeholder="Assignee…"
                clearLabel="Unassign"
                onChange={(option) => update.mutate({ assigneeId: option?.id ?? null })}
                className="w-44"
              />
            ) : null}
            <label className="inline-flex h-8.5 items-center gap-1.5 rounded-md border border-zinc-300 bg-white pl-2.5 text-sm text-zinc-600 shadow-xs">
              Due
              <input
                type="date"
                aria-label={`Set the due date of ${count}`}
                value=""
                onChange={(event) => event.target.value && update.mutate({ dueDate: event.target.value })}
                className="h-full rounded-r-md bg-transparent pr-1.5 text-zinc-900 focus:outline-none"
              />
            </label>
            <Button size="sm" onClick={() => update.mutate({ dueDate: null })}>
              Clear due date
            </Button>
            <Button size="sm" icon="tag" onClick={() => setLabelsOpen(true)}>
              Labels…
            </Button>
          </>
        ) : null}
        {!fields ? (
          <p className="text-xs text-zinc-600">
            {status ? "You may change only the status of some of these." : "You may not change these."}
          </p>
        ) : null}
      </section>
      <Dialog
        open={labelsOpen}
        onClose={() => setLabelsOpen(false)}
        title={`Labels of ${count}`}
        description="These labels replace the ones the tasks have."
        size="sm"
      >
        <BulkLabels
          onCancel={() => setLabelsOpen(false)}
          onSave={(labels) => {
            update.mutate({ labels });
            setLabelsOpen(false);
          }}
        />
      </Dialog>
    </div>
  );
}

function BulkLabels({ onSave, onCancel }: { onSave: (labels: string[]) => void; onCancel: () => void }) {
  const [labels, setLabels] = useState<string[]>([]);
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(labels);
      }}
    >
      <Field label="Labels" hint="None: the tasks lose their labels.">
        {(props) => <LabelsInput {...props} value={labels} onChange={setLabels} />}
      </Field>
      <DialogFooter>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary">
          Set labels
        </Button>
      </DialogFooter>
    </form>
  );
}
