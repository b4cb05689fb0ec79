import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const task = { taskId: z.uuid(), key: z.string(), title: z.string(), projectId: z.uuid().nullable() };

const STATUS_WORDS: Record<string, string> = { todo: "To do", in_progress: "In progress", done: "Done" };
const status = (value: string) => STATUS_WORDS[value] ?? value;

/** Who may ever hear of tasks: those who see some (assigned, or all of their projects). */
const audience = ["tasks.view_assigned", "tasks.view_all", "tasks.manage"] as const;
const aboutTask = {
  link: (data: { taskId: string }) => `/tasks/${data.taskId}`,
  data: (data: { taskId: string; projectId: string | null; key: string }) => ({
    taskId: data.taskId,
    projectId: data.projectId,
    key: data.key,
  }),
  audience: [...audience],
};

/** Recipients: the project's manager and owner, not the assignee (who hears of the assignment). */
export const taskCreated = defineEvent(
  "task.created",
  z.object({ ...task, assigneeId: z.uuid().nullable() }),
  "A task was created.",
  {
    label: "New tasks on my projects",
    text: (event, { actor }) => ({
      title: `New task ${event.data.key}: ${event.data.title}`,
      body: `${actor} created ${event.data.key} ${event.data.title}.`,
    }),
    ...aboutTask,
  },
);

/** Recipients: the new assignee, the previous one and the project's manager. */
export const taskAssigned = defineEvent(
  "task.assigned",
  z.object({ ...task, assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable() }),
  "A task was assigned, reassigned or unassigned.",
  {
    label: "Tasks assigned to me",
    email: "immediate",
    text: (event, { actor, recipientId }) => {
      const { key, title, assigneeId, previousAssigneeId } = event.data;
      if (recipientId === assigneeId)
        return {
          title: `Assigned to you: ${key} ${title}`,
          body: `${actor} assigned ${key} ${title} to you.`,
        };
      if (recipientId === previousAssigneeId)
        return {
          title: `${key} is no longer yours: ${title}`,
          body: `${actor} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.`,
        };
      return {
        title: `${key} ${assigneeId ? "was reassigned" : "is unassigned"}: ${title}`,
        body: `${actor} ${assigneeId ? "reassigned" : "unassigned"} ${key} ${title}.`,
      };
    },
    ...aboutTask,
  },
);

/** Recipients: the assignee, the reporter and the project's manager and owner. */
export const taskStatusChanged = defineEvent(
  "task.status_changed",
  z.object({ ...task, before: z.string(), after: z.string() }),
  "A task moved to another status.",
  {
    label: "Status changes of my tasks",
    text: (event, { actor }) => ({
      title: `${event.data.key} is ${status(event.data.after)}: ${event.data.title}`,
      body: `${actor} moved ${event.data.key} from ${status(event.data.before)} to ${status(event.data.after)}.`,
    }),
    ...aboutTask,
  },
);
