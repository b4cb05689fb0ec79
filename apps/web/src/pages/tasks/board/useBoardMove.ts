import { useMutation, useQueryClient } from "@tanstack/react-query";
import { taskKeys, tasksApi, type Board } from "../../../api/tasks";
import { useToast } from "../../../components/ui/Toast";
import { errorMessage } from "../../../lib/api";
import { moveCard, taskChanged } from "../cache";
import type { TaskStatus } from "../model";

export type Move = { id: string; status: TaskStatus; afterId: string | null };

/**
 * A card dropped on the board: it moves at once; the server's answer places it for good, and a
 * refusal puts it back where it was and says why (the problem's detail).
 */
export function useBoardMove(projectId: string, announce: (message: string) => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const key = taskKeys.board(projectId);
  return useMutation({
    mutationFn: ({ id, status, afterId }: Move) => tasksApi.move(id, { status, afterId }),
    onMutate: async ({ id, status, afterId }: Move) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Board>(key);
      if (before) queryClient.setQueryData<Board>(key, moveCard(before, id, status, afterId));
      return { before };
    },
    onError: (error, _move, context) => {
      if (context?.before) queryClient.setQueryData<Board>(key, context.before);
      const message = errorMessage(error);
      toast.error(message, "The card was not moved");
      announce(`The move was refused: ${message} The card is back where it was.`);
    },
    onSuccess: (task) => taskChanged(queryClient, task, { refetch: false }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    },
  });
}
