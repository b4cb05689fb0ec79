import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const task = { taskId: z.uuid(), key: z.string(), title: z.string(), projectId: z.uuid().nullable() };

export const taskCreated = defineEvent("task.created", z.object({ ...task, assigneeId: z.uuid().nullable() }), "A task was created.");
export const taskAssigned = defineEvent(
  "task.assigned",
  z.object({ ...task, assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable() }),
  "A task was assigned, reassigned or unassigned.",
);
export const taskStatusChanged = defineEvent(
  "task.status_changed",
  z.object({ ...task, before: z.string(), after: z.string() }),
  "A task moved to another status.",
);
