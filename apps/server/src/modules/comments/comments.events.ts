import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const comment = {
  taskId: z.uuid(),
  key: z.string(),
  title: z.string(),
  projectId: z.uuid().nullable(),
  commentId: z.uuid(),
  /** The start of the comment as plain text, for the notification. */
  excerpt: z.string(),
};

/** How both are told: a link to the task, its ids, to whoever may see tasks at all. */
const aboutComment = {
  link: (data: { taskId: string }) => `/tasks/${data.taskId}`,
  data: (data: { taskId: string; projectId: string | null; key: string; commentId: string }) => ({
    taskId: data.taskId,
    projectId: data.projectId,
    key: data.key,
    commentId: data.commentId,
  }),
  audience: ["tasks.view_assigned" as const, "tasks.view_all" as const, "tasks.manage" as const, "tasks.oversee" as const],
};

/**
 * Recipients: the task's people who may still see it — its assignee and
 * reporter, the project's manager and owner, and everyone who commented on it
 * before — never the author, nor those the comment mentions (they get
 * `task.mentioned` instead).
 */
export const taskCommented = defineEvent("task.commented", z.object(comment), "Someone commented on a task you work on or discussed.", {
  label: "Comments on my tasks",
  text: (event, { actor }) => ({ title: `${actor} commented on ${event.data.key}: ${event.data.title}`, body: event.data.excerpt }),
  ...aboutComment,
});

/** Recipients: the members a comment mentions by `@username` who may see the task (never its author); an edit tells only the newly mentioned. */
export const taskMentioned = defineEvent("task.mentioned", z.object(comment), "Someone mentioned you in a comment on a task.", {
  label: "Mentions of me",
  email: "immediate",
  text: (event, { actor }) => ({ title: `${actor} mentioned you on ${event.data.key}: ${event.data.title}`, body: event.data.excerpt }),
  ...aboutComment,
});
