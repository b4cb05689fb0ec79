/**
 * "New task" from anywhere in an organization: the `c` key (when not typing) or a page's button
 * opens one dialog (title, project or personal, assignee, priority, due date, labels). Pages open
 * it with what they know already: the project of a board, the parent of a sub-task.
 */
import { taskFields } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { z } from "zod";
import { projectKeys, projectPicker } from "../../api/projects";
import { assigneePicker, taskKeys, tasksApi } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { PickerField } from "../../components/AsyncCombobox";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { Field, SelectField, TextAreaField, TextField } from "../../components/ui/Field";
import { useToast } from "../../components/ui/Toast";
import { ApiError } from "../../lib/api";
import { blankOr, checkedBy } from "../../lib/fields";
import { useForm } from "../../lib/form";
import { LabelsInput } from "./LabelsInput";
import { priorityOptions, type Task } from "./model";
import { peopleSource } from "./people";

/** What the opener knows: the project (with its name) and the parent of a sub-task. */
export type QuickCreatePreset = {
  /** The project's name saves looking it up. */
  project?: { id: string; name?: string } | null;
  parent?: Pick<Task, "id" | "key" | "title"> | null;
  onCreated?: (task: Task) => void;
};

type QuickCreate = { open: (preset?: QuickCreatePreset) => void; canCreate: boolean };

const QuickCreateContext = createContext<QuickCreate | null>(null);

/** Opens the New task dialog; `canCreate` says whether the caller may create any task here. */
export function useQuickCreate(): QuickCreate {
  const value = useContext(QuickCreateContext);
  if (!value) throw new Error("useQuickCreate must be used below <QuickCreateProvider>.");
  return value;
}

/** Where the `c` key means a letter, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

export function QuickCreateProvider({ children }: { children: ReactNode }) {
  const { access } = useOrg();
  const canCreate = access.can("tasks.personal") || access.can("tasks.manage");
  const queryClient = useQueryClient();
  const [preset, setPreset] = useState<QuickCreatePreset | null>(null);
  const open = useCallback((next: QuickCreatePreset = {}) => setPreset(next), []);
  // On a project's pages, C writes a task of that project.
  const { projectId } = useParams({ strict: false });

  useEffect(() => {
    if (!canCreate) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (event.defaultPrevented || typing(event.target) || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      // The project's page has loaded it: its name saves a look-up.
      const project = projectId
        ? queryClient.getQueryData<{ name: string }>(projectKeys.detail(projectId))
        : undefined;
      setPreset({ project: projectId ? { id: projectId, name: project?.name } : null });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [canCreate, projectId, queryClient]);

  const value = useMemo(() => ({ open, canCreate }), [open, canCreate]);
  return (
    <QuickCreateContext value={value}>
      {children}
      <Dialog
        open={preset !== null}
        onClose={() => setPreset(null)}
        title={preset?.parent ? "New sub-task" : "New task"}
        description={
          preset?.parent
            ? `Under ${preset.parent.key} ${preset.parent.title}.`
            : "Press C anywhere to open this."
        }
      >
        {preset ? <NewTaskForm preset={preset} onClose={() => setPreset(null)} /> : null}
      </Dialog>
    </QuickCreateContext>
  );
}

const schema = z.object({
  title: checkedBy(taskFields.title),
  description: checkedBy(taskFields.description),
  projectId: z.string(),
  assigneeId: z.string(),
  priority: taskFields.priority,
  dueDate: blankOr(taskFields.dueDate),
  labels: taskFields.labels,
});

function NewTaskForm({ preset, onClose }: { preset: QuickCreatePreset; onClose: () => void }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const people = peopleSource(org.slug, access);
  const canManage = access.can("tasks.manage");
  const canPersonal = access.can("tasks.personal");
  const form = useForm({
    schema,
    initial: {
      title: "",
      description: "",
      projectId: (canManage ? preset.project?.id : undefined) ?? "",
      assigneeId: "",
      priority: "medium",
      dueDate: "",
      labels: [],
    },
    onSubmit: async (values) => {
      const projectId = values.projectId || null;
      if (!projectId && !canPersonal) {
        form.setErrors({ projectId: "Choose the project of the task." });
        return;
      }
      let task: Task;
      try {
        task = await tasksApi.create({
          orgId: org.id,
          projectId,
          title: values.title,
          description: values.description || undefined,
          priority: values.priority,
          assigneeId: projectId && values.assigneeId ? values.assigneeId : undefined,
          dueDate: values.dueDate,
          labels: values.labels,
          parentId: preset.parent?.id,
        });
      } catch (error) {
        // The assignee is over their project limit: said next to the assignee.
        if (error instanceof ApiError && error.status === 409 && values.assigneeId) {
          form.setErrors({ assigneeId: error.userMessage });
          return;
        }
        throw error;
      }
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      // A toast lives outside the router: it says the key, the lists show the task.
      toast.success(`${task.key} “${task.title}” is created.`);
      preset.onCreated?.(task);
      onClose();
    },
  });
  const personal = !form.values.projectId;

  return (
    <DialogForm form={form} submitLabel="Create task" onCancel={onClose}>
      <TextField form={form} name="title" label="Title" autoComplete="off" />
      <TextAreaField form={form} name="description" label="Description" aside="Optional" rows={3} />
      {canManage && !preset.parent ? (
        <PickerField
          form={form}
          name="projectId"
          label="Project"
          source={projectPicker(org.slug)}
          selectedLabel={preset.project?.name}
          clearLabel={canPersonal ? "No project (a personal task)" : undefined}
          hint={personal && canPersonal ? "Without a project, the task is yours alone." : undefined}
        />
      ) : null}
      {!personal && people ? (
        <PickerField
          form={form}
          name="assigneeId"
          label="Assignee"
          source={assigneePicker(org.slug, people)}
          clearLabel="Unassigned"
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField form={form} name="priority" label="Priority" options={priorityOptions} />
        <TextField form={form} name="dueDate" label="Due date" type="date" />
      </div>
      <Field label="Labels" error={form.errors.labels}>
        {(props) => (
          <LabelsInput
            {...props}
            value={form.values.labels}
            onChange={(labels) => form.setValue("labels", labels)}
          />
        )}
      </Field>
    </DialogForm>
  );
}

/** The "New task" button of a page, which says its shortcut. */
export function NewTaskButton({ preset, size = "md" }: { preset?: QuickCreatePreset; size?: "sm" | "md" }) {
  const quick = useQuickCreate();
  if (!quick.canCreate) return null;
  return (
    <Button
      variant="primary"
      size={size}
      icon="plus"
      aria-keyshortcuts="c"
      onClick={() => quick.open(preset)}
    >
      New task
      <kbd aria-hidden="true" className="rounded bg-white/20 px-1 font-sans text-[11px] leading-4">
        C
      </kbd>
    </Button>
  );
}
