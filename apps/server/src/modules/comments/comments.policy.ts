import { allow, definePolicy, deny, type Rule, type Scoped } from "../../platform/access/engine.js";
import { taskPolicy, type TaskSubject } from "../tasks/index.js";

/** A comment as the rules see it: its author, and its task as the caller sees it. */
export type CommentSubject = Scoped & { authorId: string | null; task: TaskSubject };

const isAuthor = (actorId: string, comment: CommentSubject) => comment.authorId !== null && comment.authorId === actorId;

/** Authors edit their own comments, nobody else's (API.md "Tasks"). */
const update: Rule<CommentSubject> = (actor, comment) =>
  isAuthor(actor.userId, comment) ? allow : deny(null, "Only its author edits a comment.");

/** Authors delete their own; whoever manages the task (tasks.manage, a personal task's creator) deletes any. */
const remove: Rule<CommentSubject> = (actor, comment) => (isAuthor(actor.userId, comment) ? allow : taskPolicy.rules.delete(actor, comment.task));

/** Who writes on a task: whoever may see it (the task's `view`). */
const add: Rule<TaskSubject> = (actor, task) => taskPolicy.rules.view(actor, task);

export const commentPolicy = definePolicy<{ update: CommentSubject; delete: CommentSubject }>("comment", { update, delete: remove });

export const commentCreationPolicy = definePolicy<{ add: TaskSubject }>("comment", { add });
