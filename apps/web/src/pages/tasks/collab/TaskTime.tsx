import { timeEntryFields } from "@cairn/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { collabApi, collabKeys, type TimeEntry } from "../../../api/collaboration";
import { Button } from "../../../components/ui/Button";
import { useConfirm } from "../../../components/ui/ConfirmDialog";
import { Dialog, DialogForm } from "../../../components/ui/Dialog";
import { TextField } from "../../../components/ui/Field";
import { Card } from "../../../components/ui/PageHeader";
import { SkeletonText } from "../../../components/ui/Skeleton";
import { ProgressBar } from "../../../components/ui/ProgressBar";
import { useToast } from "../../../components/ui/Toast";
import { errorMessage } from "../../../lib/api";
import { useForm } from "../../../lib/form";
import { useMe } from "../../../lib/me";
import { formatDate } from "../../projects/model";
import { canTask, formatMinutes, parseDuration, today, type Task } from "../model";

const timeForm = z.object({
  duration: z
    .string()
    .transform((value, context) => {
      const minutes = parseDuration(value);
      if (minutes === null || Number.isNaN(minutes)) {
        context.addIssue({ code: "custom", message: "Write the time as 1h 30m, 1.5h or 90 (minutes)." });
        return z.NEVER;
      }
      return minutes;
    })
    .pipe(timeEntryFields.minutes),
  spentOn: timeEntryFields.spentOn,
  note: timeEntryFields.note,
});

/**
 * Time on the task (GET/POST /api/tasks/{id}/time-entries): what was logged against the estimate,
 * the entries with Edit and Delete on one's own, and "Log time" for the assignee and the task's
 * managers. The task's `loggedMinutes` follows (the server pushes the task).
 */
export function TaskTime({ task }: { task: Task }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<TimeEntry | "new" | null>(null);
  const entries = useQuery({
    queryKey: collabKeys.time(task.id),
    queryFn: ({ signal }) => collabApi.taskTime(task.id, signal),
  });
  const mayLog = canTask(task, "update") || (me.data !== undefined && task.assigneeId === me.data.user.id);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: collabKeys.task(task.id) });
    void queryClient.invalidateQueries({ queryKey: collabKeys.timesheets });
  };
  const remove = async (entry: TimeEntry) => {
    const ok = await confirm({
      title: "Delete this time entry?",
      body: `${formatMinutes(entry.minutes)} on ${formatDate(entry.spentOn)} is removed from the task.`,
      confirmLabel: "Delete entry",
    });
    if (!ok) return;
    try {
      await collabApi.removeTime(entry.id);
      toast.success("The time entry is deleted.");
      refresh();
    } catch (failure) {
      toast.error(errorMessage(failure), "The entry was not deleted");
    }
  };
  const logged = entries.data?.totalMinutes ?? task.loggedMinutes;
  const estimate = task.estimateMinutes;
  const share = estimate ? Math.min(100, Math.round((logged / estimate) * 100)) : null;
  return (
    <Card
      title="Time"
      actions={
        mayLog ? (
          <Button size="sm" icon="plus" onClick={() => setEditing("new")}>
            Log time
          </Button>
        ) : null
      }
    >
      <p className="text-sm text-zinc-800">
        <strong className="font-semibold tabular-nums" data-testid="logged-time">
          {formatMinutes(logged)}
        </strong>{" "}
        logged{estimate ? <> of {formatMinutes(estimate)} estimated</> : null}
      </p>
      {share !== null ? (
        <ProgressBar
          value={share}
          label="Time logged against the estimate"
          tone={logged > (estimate ?? 0) ? "amber" : "accent"}
          size="sm"
          className="mt-2"
        />
      ) : null}
      {entries.isLoading ? (
        <SkeletonText lines={2} />
      ) : entries.data?.items.length ? (
        <ul className="mt-3 divide-y divide-zinc-100" aria-label="Time entries">
          {entries.data.items.map((entry) => (
            <li key={entry.id} className="flex items-start gap-2 py-1.5 text-sm">
              <div className="min-w-0 flex-1">
                <p className="flex items-baseline justify-between gap-2">
                  <strong className="font-medium tabular-nums">{formatMinutes(entry.minutes)}</strong>
                  <span className="shrink-0 text-xs text-zinc-500">{formatDate(entry.spentOn)}</span>
                </p>
                <p className="truncate text-xs text-zinc-500" title={entry.note ?? undefined}>
                  @{entry.user?.username ?? "someone"}
                  {entry.note ? ` · ${entry.note}` : ""}
                </p>
              </div>
              <div className="flex shrink-0 -mr-2">
                {entry.allowedActions.includes("update") ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setEditing(entry)}
                    aria-label={`Edit ${formatMinutes(entry.minutes)} on ${entry.spentOn}`}
                  >
                    Edit
                  </Button>
                ) : null}
                {entry.allowedActions.includes("delete") ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => void remove(entry)}
                    aria-label={`Delete ${formatMinutes(entry.minutes)} on ${entry.spentOn}`}
                  >
                    Delete
                  </Button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-xs text-zinc-500">
          {mayLog ? "Nothing logged yet." : "Nobody has logged time on this task yet."}
        </p>
      )}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? `Log time on ${task.key}` : "Edit time entry"}
        size="sm"
      >
        {editing !== null ? (
          <TimeForm
            task={task}
            entry={editing === "new" ? null : editing}
            onClose={() => setEditing(null)}
            onSaved={(entry) => {
              toast.success(
                `${formatMinutes(entry.minutes)} ${editing === "new" ? "logged" : "saved"} on ${task.key}.`,
              );
              refresh();
            }}
          />
        ) : null}
      </Dialog>
    </Card>
  );
}

function TimeForm({
  task,
  entry,
  onClose,
  onSaved,
}: {
  task: Task;
  entry: TimeEntry | null;
  onClose: () => void;
  onSaved: (entry: TimeEntry) => void;
}) {
  const form = useForm({
    schema: timeForm,
    initial: {
      duration: entry ? formatMinutes(entry.minutes) : "",
      spentOn: entry?.spentOn ?? today(),
      note: entry?.note ?? "",
    },
    fieldAliases: { minutes: "duration" },
    onSubmit: async (values) => {
      const body = { minutes: values.duration, spentOn: values.spentOn, note: values.note };
      const saved = entry ? await collabApi.editTime(entry.id, body) : await collabApi.logTime(task.id, body);
      onSaved(saved);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel={entry ? "Save" : "Log time"}>
      <TextField
        form={form}
        name="duration"
        label="Time spent"
        hint="1h 30m, 1.5h or 90 (minutes)"
        placeholder="1h 30m"
        autoFocus
      />
      <TextField form={form} name="spentOn" label="Day" type="date" max={today()} />
      <TextField form={form} name="note" label="Note" aside="Optional" placeholder="What was done" />
    </DialogForm>
  );
}
