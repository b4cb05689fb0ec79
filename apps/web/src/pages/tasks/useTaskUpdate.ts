import { updateTaskInput } from "@cairn/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { taskKeys, tasksApi } from "../../api/tasks";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { issuesToErrors } from "../../lib/form";
import { taskChanged } from "./cache";
import type { Task } from "./model";

export type TaskPatch = z.input<typeof updateTaskInput>;

/**
 * Saves one change of a task (an inline edit): checked first with the API's schema, then sent.
 * `save` resolves with the message to show beside the field, or null when it is saved.
 */
export function useTaskUpdate(task: Pick<Task, "id" | "key">) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: (patch: TaskPatch) => tasksApi.update(task.id, patch),
    onSuccess: (saved) => {
      queryClient.setQueryData(taskKeys.detail(saved.id), saved);
      taskChanged(queryClient, saved, { refetch: false });
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    },
  });
  const save = async (patch: TaskPatch): Promise<string | null> => {
    const parsed = updateTaskInput.safeParse(patch);
    if (!parsed.success) return Object.values(issuesToErrors(parsed.error.issues))[0] ?? "Not valid.";
    try {
      await mutation.mutateAsync(parsed.data);
      return null;
    } catch (error) {
      const message =
        error instanceof ApiError
          ? (Object.values(error.fieldErrors)[0] ?? error.userMessage)
          : errorMessage(error);
      toast.error(message, `${task.key} was not saved`);
      return message;
    }
  };
  return { save, saving: mutation.isPending };
}
