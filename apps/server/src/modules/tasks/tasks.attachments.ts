import { allow, requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { defineAttachmentOwner } from "../../platform/storage/owners.js";
import { taskPolicy } from "./tasks.policy.js";
import { findVisibleTask, taskSubject, type TaskRow } from "./tasks.queries.js";

/** Largest file on a task (API.md "Tasks"). */
export const MAX_TASK_FILE_BYTES = 25 * 1024 * 1024;

async function visibleTask(ctx: Ctx, taskId: string): Promise<TaskRow | null> {
  return findVisibleTask(ctx, taskId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
}

/**
 * Files of a task (GET/POST /api/tasks/{id}/attachments, through the
 * attachments module's one upload pipeline): any type up to 25 MB, its type
 * read from the content. Whoever may see the task reads and attaches; the
 * uploader and whoever manages the task (tasks.manage, a personal task's
 * creator) delete.
 */
export const taskAttachments = defineAttachmentOwner<TaskRow>({
  type: "task",
  path: "tasks",
  upload: { maxBytes: MAX_TASK_FILE_BYTES, accept: "any", area: "tasks" },
  async canRead(ctx, taskId) {
    const row = await visibleTask(ctx, taskId);
    return row ? { orgId: row.task.orgId, subject: row } : null;
  },
  canAdd: (ctx, row) => taskPolicy.rules.view(requireUser(ctx.actor), taskSubject(row)),
  canDelete: (ctx, row, attachment) =>
    attachment.uploadedById === requireUser(ctx.actor).userId ? allow : taskPolicy.rules.delete(requireUser(ctx.actor), taskSubject(row)),
});
