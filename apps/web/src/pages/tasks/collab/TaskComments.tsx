import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { collabApi, collabKeys, type TaskComment } from "../../../api/collaboration";
import { Avatar } from "../../../components/ui/Avatar";
import { Button } from "../../../components/ui/Button";
import { useConfirm } from "../../../components/ui/ConfirmDialog";
import { Card } from "../../../components/ui/PageHeader";
import { SkeletonText } from "../../../components/ui/Skeleton";
import { useToast } from "../../../components/ui/Toast";
import { errorMessage } from "../../../lib/api";
import { formatDateTime } from "../../projects/model";
import type { Task } from "../model";
import { CommentBox } from "./CommentBox";
import { Markdown } from "./Markdown";

/**
 * The task's discussion (GET/POST /api/tasks/{id}/comments): oldest first, each comment's safe HTML,
 * Edit for its author and Delete for its author and the task's managers (the comment's
 * `allowedActions`). New comments of others arrive live: `task.updated` refetches the list.
 */
export function TaskComments({ task }: { task: Task }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const comments = useQuery({
    queryKey: collabKeys.comments(task.id),
    queryFn: ({ signal }) => collabApi.comments(task.id, signal),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: collabKeys.task(task.id) });
  const add = async (body: string) => {
    try {
      await collabApi.addComment(task.id, { body });
      refresh();
      return true;
    } catch (failure) {
      toast.error(errorMessage(failure), "The comment was not sent");
      return false;
    }
  };
  const items = comments.data?.items ?? [];
  return (
    <Card title={`Comments${items.length ? ` (${comments.data?.total ?? items.length})` : ""}`}>
      {comments.isLoading ? (
        <SkeletonText lines={3} />
      ) : !comments.data ? (
        <p className="text-sm text-red-700">{errorMessage(comments.error)}</p>
      ) : items.length === 0 ? (
        <p className="mb-3 text-sm text-zinc-500">
          No comments yet. Ask a question, or @mention someone who should look.
        </p>
      ) : (
        <ol className="mb-4 space-y-4" aria-label="Comments">
          {items.map((comment) => (
            <CommentItem key={comment.id} comment={comment} taskId={task.id} onChanged={refresh} />
          ))}
        </ol>
      )}
      <CommentBox taskId={task.id} label="New comment" submitLabel="Comment" onSubmit={add} />
    </Card>
  );
}

function CommentItem({
  comment,
  taskId,
  onChanged,
}: {
  comment: TaskComment;
  taskId: string;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const confirm = useConfirm();
  const toast = useToast();
  const author = comment.author?.username ?? "a former member";
  const save = async (body: string) => {
    try {
      await collabApi.editComment(comment.id, { body });
      setEditing(false);
      onChanged();
      return true;
    } catch (failure) {
      toast.error(errorMessage(failure), "The comment was not changed");
      return false;
    }
  };
  const remove = async () => {
    const ok = await confirm({
      title: "Delete this comment?",
      body: `The comment by @${author} is removed for everyone. This cannot be undone.`,
      confirmLabel: "Delete comment",
    });
    if (!ok) return;
    try {
      await collabApi.removeComment(comment.id);
      toast.success("The comment is deleted.");
      onChanged();
    } catch (failure) {
      toast.error(errorMessage(failure), "The comment was not deleted");
    }
  };
  return (
    <li className="flex gap-3" aria-label={`Comment by @${author}`}>
      <Avatar name={author} seed={comment.authorId ?? "gone"} size="sm" className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-baseline gap-x-2 text-[13px]">
          <strong className="font-medium text-zinc-900">@{author}</strong>
          <time className="text-zinc-500" dateTime={comment.createdAt}>
            {formatDateTime(comment.createdAt)}
          </time>
          {comment.editedAt ? (
            <span className="text-zinc-500" title={`Edited ${formatDateTime(comment.editedAt)}`}>
              (edited)
            </span>
          ) : null}
          <span className="ml-auto flex gap-1">
            {comment.allowedActions.includes("update") && !editing ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => setEditing(true)}
                aria-label={`Edit the comment by @${author}`}
              >
                Edit
              </Button>
            ) : null}
            {comment.allowedActions.includes("delete") ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => void remove()}
                aria-label={`Delete the comment by @${author}`}
              >
                Delete
              </Button>
            ) : null}
          </span>
        </p>
        <div className="mt-1">
          {editing ? (
            <CommentBox
              taskId={taskId}
              label="Edit comment"
              initial={comment.body}
              submitLabel="Save"
              onSubmit={save}
              onCancel={() => setEditing(false)}
              autoFocus
            />
          ) : (
            <Markdown html={comment.bodyHtml} />
          )}
        </div>
      </div>
    </li>
  );
}
